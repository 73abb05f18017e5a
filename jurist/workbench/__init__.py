"""The workbench: every use case of Jurist's users, in one place, with no Qt and no argparse.

Legal staff and engineers do a handful of things: open and save drafts,
run test cases and record the run, decide one request across every place,
submit a version with a preview of what it changes, review and publish it.
Each lives here once; the CLI (`jurist.cli`) and the GUI (`jurist.gui`) are
thin adapters that turn a user's gesture into a call and the result into text
or widgets.  Below it sit the store (`jurist.db`), the engine (`jurist.engine`)
and the language (`jurist.dsl`); nothing here imports an adapter.
"""
