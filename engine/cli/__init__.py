"""The engine's sub-commands of the `jurist` CLI, one module per group.

`rules` (check, compile, decide, test, serve), `detect`, `report` and
`vocabulary` each expose `register(subparsers)`; `jurist.cli` assembles them.
"""
