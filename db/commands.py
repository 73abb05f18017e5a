"""The store's CLI commands, registered onto the `jurist` argument parser.

`register(subparsers)` adds `db`, `user`, `ruleset` and `audit`; each leaf
takes `--db URL` (default $JURIST_DB, else the per-user SQLite file) and
`--as USER` (admins only).  Handlers return an exit status: 0 success,
1 refused or failed check, 2 unusable database or bad input.  Errors are one
line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable

from sqlalchemy.exc import SQLAlchemyError

from jurist.db.connection import create_store_engine, resolve_url
from jurist.db.errors import CompileRefused, InvalidInput, StoreError
from jurist.db.migrate import ensure_schema
from jurist.db.models import ROLES
from jurist.db.service import Store

Handler = Callable[[argparse.Namespace], int]


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="database URL or SQLite file path (default: $JURIST_DB, else the per-user store)")
    common.add_argument("--as", dest="as_user", metavar="USER", default=argparse.SUPPRESS,
                        help="act as another registered user (admins only)")
    return common


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the store's commands to the `jurist` CLI."""
    common = _common()

    db = subparsers.add_parser("db", help="manage the store's database").add_subparsers(dest="db_command",
                                                                                       required=True)
    _leaf(db, "upgrade", common, _db_upgrade, "create or migrate the database to the current schema")

    user = subparsers.add_parser("user", help="manage users and roles").add_subparsers(dest="user_command",
                                                                                      required=True)
    p = _leaf(user, "add", common, _user_add, "register a user with a role (admin)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p = _leaf(user, "role", common, _user_role, "change a user's role (admin)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    _leaf(user, "list", common, _user_list, "list users and their roles")

    rs = subparsers.add_parser("ruleset", help="rulesets, versions and publishing").add_subparsers(
        dest="ruleset_command", required=True)
    p = _leaf(rs, "import", common, _ruleset_import, "import a directory of *.policy files as a new draft")
    p.add_argument("directory")
    p.add_argument("--name", required=True)
    p.add_argument("--jurisdiction", action="append", default=[], help="jurisdiction code (repeatable)")
    _leaf(rs, "list", common, _ruleset_list, "list rulesets and what is published")
    for verb, handler, text in (("submit", _submit, "send a draft to review (it must compile)"),
                                ("approve", _approve, "approve a version in review (not your own)"),
                                ("reject", _reject, "send a version in review back to draft"),
                                ("publish", _publish, "publish an approved version"),
                                ("retire", _retire, "retire a version (default: the published one)")):
        p = _leaf(rs, verb, common, handler, text)
        p.add_argument("name")
        p.add_argument("--version", type=int, metavar="V", help="version number (default: the obvious one)")
        if verb in ("approve", "reject"):
            p.add_argument("--comment", default="")
    p = _leaf(rs, "log", common, _log, "list a ruleset's versions")
    p.add_argument("name")
    p = _leaf(rs, "diff", common, _diff, "show what changed between two versions")
    p.add_argument("name")
    p.add_argument("old", type=int)
    p.add_argument("new", type=int)

    au = subparsers.add_parser("audit", help="the audit log").add_subparsers(dest="audit_command", required=True)
    _leaf(au, "verify", common, _audit_verify, "check that no audit event was edited, deleted or reordered")
    p = _leaf(au, "log", common, _audit_log, "show the newest audit events")
    p.add_argument("--limit", type=int, default=50)


def _leaf(group: "argparse._SubParsersAction[argparse.ArgumentParser]", name: str,
          common: argparse.ArgumentParser, handler: Handler, text: str) -> argparse.ArgumentParser:
    parser = group.add_parser(name, parents=[common], help=text, description=text)
    parser.set_defaults(func=_guarded(handler))
    return parser


def _guarded(handler: Handler) -> Handler:
    """Run a handler, turning every expected failure into one line on stderr."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except CompileRefused as exc:
            print(f"error: {exc}", file=sys.stderr)
            if exc.rendered:
                print(exc.rendered.rstrip(), file=sys.stderr)
            return exc.exit_code
        except InvalidInput as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except StoreError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return exc.exit_code
        except SQLAlchemyError as exc:
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            print(f"error: database error: {detail}", file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
            return 2

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


def _open(args: argparse.Namespace) -> Store:
    return Store.open(getattr(args, "db", None), as_user=getattr(args, "as_user", None))


def _db_upgrade(args: argparse.Namespace) -> int:
    url = resolve_url(getattr(args, "db", None))
    engine = create_store_engine(url)
    try:
        revision = ensure_schema(engine)
    finally:
        engine.dispose()
    print(f"{engine.url.render_as_string(hide_password=True)} is at schema revision {revision}")
    return 0


def _user_add(args: argparse.Namespace) -> int:
    with _open(args) as store:
        user = store.add_user(args.name, args.role)
    print(f"added {user.name} as {user.role}")
    return 0


def _user_role(args: argparse.Namespace) -> int:
    with _open(args) as store:
        user = store.set_role(args.name, args.role)
    print(f"{user.name} is now {user.role}")
    return 0


def _user_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        for user in store.list_users():
            print(f"{user.name:<24} {user.role}")
    return 0


def _ruleset_import(args: argparse.Namespace) -> int:
    with _open(args) as store:
        result = store.import_directory(args.directory, args.name, args.jurisdiction)
    if result.version is None:
        print(f"{args.name}: sources unchanged, no new version")
    else:
        v = result.version
        print(f"imported {len(v.files)} file(s) as {v.label} (draft, {v.content_hash[:19]}…)")
    if result.cases_saved:
        print(f"saved {result.cases_saved} test case(s)")
    for line in result.skipped:
        print(f"warning: skipped {line}", file=sys.stderr)
    return 0


def _ruleset_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        for rs in store.list_rulesets():
            published = f"v{rs.published}" if rs.published else "-"
            latest = f"v{rs.latest} {rs.latest_state}" if rs.latest else "no versions"
            print(f"{rs.name:<24} published {published:<6} latest {latest}")
    return 0


def _submit(args: argparse.Namespace) -> int:
    with _open(args) as store:
        v = store.submit(args.name, args.version)
    print(f"{v.label} submitted for review")
    return 0


def _approve(args: argparse.Namespace) -> int:
    with _open(args) as store:
        v = store.approve(args.name, args.version, args.comment)
    print(f"{v.label} approved by {v.approvals[-1].approver}")
    return 0


def _reject(args: argparse.Namespace) -> int:
    with _open(args) as store:
        v = store.reject(args.name, args.version, args.comment)
    print(f"{v.label} sent back to draft")
    return 0


def _publish(args: argparse.Namespace) -> int:
    with _open(args) as store:
        v = store.publish(args.name, args.version)
    print(f"{v.label} published ({v.content_hash[:19]}…)")
    return 0


def _retire(args: argparse.Namespace) -> int:
    with _open(args) as store:
        v = store.retire(args.name, args.version)
    print(f"{v.label} retired")
    return 0


def _log(args: argparse.Namespace) -> int:
    with _open(args) as store:
        versions = store.list_versions(args.name)
    if not versions:
        print(f"{args.name} has no versions")
    for v in reversed(versions):
        approvals = ", ".join(a.approver for a in v.approvals) or "-"
        parent = f"v{v.parent}" if v.parent else "-"
        print(f"v{v.number:<4} {v.state:<10} {v.created_at:%Y-%m-%d %H:%M} author {', '.join(v.authors):<16} "
              f"parent {parent:<5} approved-by {approvals:<12} {v.content_hash[:19]}…")
    return 0


def _diff(args: argparse.Namespace) -> int:
    with _open(args) as store:
        diff = store.diff(args.name, args.old, args.new)
    if not diff.files:
        print(f"{args.name} v{args.old} and v{args.new} have the same sources")
    sys.stdout.write(diff.unified)
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    with _open(args) as store:
        report = store.verify_audit()
    if report.ok:
        print(f"audit log intact: {report.events} events, head {report.head_hash}")
        return 0
    for problem in report.problems:
        print(f"audit: {problem.message}")
    print(f"error: audit log tampered with: {len(report.problems)} problem(s) in {report.events} events",
          file=sys.stderr)
    return 1


def _audit_log(args: argparse.Namespace) -> int:
    with _open(args) as store:
        events = store.audit_log(args.limit)
    for e in events:
        details = ", ".join(f"{k}={v}" for k, v in e.details.items())
        print(f"{e.seq:>6} {e.at[:19]} {e.actor:<12} {e.action:<18} {e.subject} {details}")
    return 0
