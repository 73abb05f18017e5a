"""The desktop admin GUI: edit, check, simulate, test, review and publish rulesets.

The use cases live in the workbench (`jurist.workbench`); the GUI is an
adapter over it.  Qt-free modules here (`interaction`, `simulation`,
`outline`, `completion`, `sidebyside`) hold what is particular to a window
(the simulator's form, the outline of a ruleset, what the editor completes)
and are tested without one; `models/` adapts them to Qt's model/view and
`widgets/` only shows them.  Widgets reach the store through one
`jurist.workbench.session.Workbench`, never directly.
"""
