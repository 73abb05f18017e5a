"""Widgets: they show models and forward the user's intent to `actions`; they decide nothing."""
