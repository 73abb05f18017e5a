"""The desktop admin GUI: edit, check, simulate, test, review and publish rulesets, in English or French.

The use cases live in the workbench (`jurist.workbench`); the GUI is an
adapter over it.  Modules without a widget here (`interaction`, `simulation`,
`explanation`, `reasons`, `words`, `outline`, `completion`, `sidebyside`) hold
what is particular to a window (the simulator's form, the decision said in a
sentence, why a step is off, the words for the store's states and roles) and
are tested without one; `models/` adapts records to Qt's model/view and
`widgets/` only shows them.  Widgets reach the store through one
`jurist.workbench.session.Workbench`, never directly.  Every string a person
reads goes through Qt's translation tools (`i18n`, `translations/`); colours
live in `palette`, held to WCAG AA by the tests.
"""
