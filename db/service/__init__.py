"""The store's service layer: the only way in, for the CLI and the GUI alike.

`Store` (in `store`) is the facade; behind it each aggregate has a module of
use cases — `users`, `versions` (with `importing`), `review`, `testcases`,
`simulations`, `audit` — that check roles and the workflow, change the rows
through the plain data-access functions in `jurist.db` and audit the change in
the same transaction.  `acting` holds who is acting; `inputs` checks names,
codes and files.
"""
from jurist.db.errors import StoreError
from jurist.db.records import CheckResult, SourcesCheck
from jurist.db.service.inputs import validate_jurisdictions, validate_ruleset_name, validate_user_name
from jurist.db.service.store import Store

__all__ = ["Store", "CheckResult", "SourcesCheck", "StoreError", "validate_user_name",
           "validate_ruleset_name", "validate_jurisdictions"]
