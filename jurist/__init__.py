"""Jurist: a policy engine for AI image generation."""
