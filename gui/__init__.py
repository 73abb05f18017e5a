"""The desktop admin GUI: edit, check, simulate, test, review and publish rulesets.

Qt-free modules (`actions`, `interaction`, `permissions`, `simulation`,
`casework`, `outline`, `completion`, `sidebyside`) hold the logic and are
tested without a window; `models/` adapts them to Qt's model/view and
`widgets/` only shows them.  Widgets reach the store through `actions.Actions`,
which calls the store's service layer and nothing else.
"""
