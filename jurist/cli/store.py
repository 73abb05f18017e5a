"""The store's commands: `db`, `user`, `ruleset`, `audit` and `key`.

Each leaf takes `--db URL` (default $JURIST_DB, else the per-user SQLite
file) and `--as USER` (admins only).  Only `db upgrade`, `user add` and
`ruleset import` may create a store; every other command refuses a database
that holds none.  Everything printed from the store goes through `shown`, so
stored text cannot forge lines.  SQLAlchemy is imported when a command runs,
not when the CLI starts.
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from jurist.db.safetext import shown
from jurist.db.workflow import ROLES, describe_state

from .errors import Refused, UsageError, warn

if TYPE_CHECKING:
    from jurist.db.records import AnchorCheck, AuditEventInfo, VersionInfo
    from jurist.db.service import Store

Handler = Callable[[argparse.Namespace], int]
ROLE_HELP = "the role: " + " < ".join(ROLES) + " (each includes the ones before it)"


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="database URL or SQLite file path (default: $JURIST_DB, else the per-user store)")
    common.add_argument("--as", dest="as_user", metavar="USER", default=argparse.SUPPRESS,
                        help="act as another registered user (admins only; your own login is recorded too)")
    return common


def version_number(text: str) -> int:
    """`3` or `v3`, as `ruleset log` prints it."""
    match = re.fullmatch(r"[vV]?([0-9]+)", text.strip())
    if match is None or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"`{shown(text)}` is not a version number (e.g. 3 or v3)")
    return int(match.group(1))


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"`{shown(text)}` is not a positive whole number")
    return int(text)


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the store's commands to the `jurist` CLI."""
    common = _common()

    db = subparsers.add_parser("db", help="manage the store's database").add_subparsers(dest="db_command",
                                                                                       required=True)
    _leaf(db, "upgrade", common, _db_upgrade, "create the store if there is none, or migrate it to the current schema")
    _leaf(db, "require-signed-approvals", common, _require_signed,
          "admin: from now on every approval must be signed with the approver's registered key, and the engine "
          "loads only versions with a signed approval (cannot be undone)")

    user = subparsers.add_parser("user", help="manage users and roles").add_subparsers(dest="user_command",
                                                                                      required=True)
    p = _leaf(user, "add", common, _user_add, "register a user with a role (admin; creates the store if needed)")
    p.add_argument("name", help="the user's login name (letters, digits, `.`, `_`, `-`)")
    p.add_argument("--role", required=True, choices=ROLES, help=ROLE_HELP)
    p = _leaf(user, "role", common, _user_role, "change a user's role (admin)")
    p.add_argument("name", help="a registered user's name")
    p.add_argument("--role", required=True, choices=ROLES, help=ROLE_HELP)
    _leaf(user, "list", common, _user_list, "list users, their roles and registered keys")
    p = _leaf(user, "key", common, _user_key, "register your own public key, to sign approvals with its private half")
    p.add_argument("--public-key", required=True, metavar="KEY",
                   help="`ed25519:…` or the .pub file `jurist key generate` wrote")

    rs = subparsers.add_parser("ruleset", help="rulesets, versions and publishing").add_subparsers(
        dest="ruleset_command", required=True)
    p = _leaf(rs, "import", common, _ruleset_import,
              "import a directory of *.policy files (and tests/*.json cases) as a new draft")
    p.add_argument("directory", help="directory holding the *.policy files, searched recursively")
    p.add_argument("--name", required=True, help="the ruleset's name (created if new)")
    p.add_argument("--jurisdiction", action="append", default=[], metavar="CODE",
                   help="ISO 3166 country or region code, e.g. GB or US-CA (repeatable; used for a new ruleset)")
    _leaf(rs, "list", common, _ruleset_list, "list rulesets, their jurisdictions and what is published")
    for verb, handler, text in (("submit", _submit, "send a draft to review (it must compile); prints its failing "
                                "cases and what it changes against the published version first"),
                                ("approve", _step, "approve a version in review (not your own)"),
                                ("reject", _step, "send a version in review back to draft"),
                                ("publish", _step, "publish an approved version"),
                                ("retire", _step, "retire a version (default: the published one)")):
        p = _leaf(rs, verb, common, handler, text)
        p.set_defaults(step=verb)
        p.add_argument("name", help="the ruleset's name")
        p.add_argument("--version", type=version_number, metavar="V",
                       help="version number, e.g. 3 or v3 (default: the obvious one"
                            + ("; naming an older one than the published rolls back" if verb == "publish" else "")
                            + ")")
        if verb in ("approve", "reject"):
            p.add_argument("--comment", default="", metavar="TEXT",
                           help="a one-line note for the audit log (no line breaks)")
        if verb == "approve":
            p.add_argument("--sign-with", metavar="KEYFILE",
                           help="sign the approval with this private key (the one whose public half you "
                                "registered with `jurist user key`)")
        if verb == "submit":
            p.add_argument("--impact-newest", type=positive, default=None, metavar="N",
                           help="backtest the draft on the store's newest N logged decisions (default 100,000)")
            p.add_argument("--impact-days", type=positive, default=None, metavar="D",
                           help="only decisions logged in the last D days")
        if verb == "publish":
            p.add_argument("--override-failing-tests", metavar="REASON", default=None,
                           help="publish although the version's own test cases fail; the reason is audited")
    p = _leaf(rs, "show", common, _show, "show a version and the impact computed when it was submitted")
    p.add_argument("target", metavar="NAME@vN", help="the version, e.g. global@v4 (NAME alone: the newest)")
    p.add_argument("--json", metavar="FILE", help="write the stored backtest report as JSON (`-`: standard output)")
    p.add_argument("--markdown", metavar="FILE", help="write the stored backtest report as Markdown")
    p.add_argument("--html", metavar="FILE", help="write the stored backtest report as an HTML page with charts")
    p = _leaf(rs, "log", common, _log, "list a ruleset's versions: state, who wrote, submitted, approved, published")
    p.add_argument("name", help="the ruleset's name")
    p = _leaf(rs, "diff", common, _diff, "show what changed between two versions")
    p.add_argument("name", help="the ruleset's name")
    p.add_argument("old", type=version_number, help="the older version, e.g. 1 or v1")
    p.add_argument("new", type=version_number, help="the newer version, e.g. 2 or v2")

    au = subparsers.add_parser("audit", help="the audit log").add_subparsers(dest="audit_command", required=True)
    p = _leaf(au, "verify", common, _audit_verify,
              "check that no audit event was edited, deleted or reordered, that each is one Jurist could have "
              "written (roles, authors, the workflow, the two-person rule, signatures), that the tables agree "
              "with the history it proves, and that it still holds what signed anchors vouched for")
    p.add_argument("--anchor", action="append", default=[], metavar="FILE",
                   help="an anchor `jurist audit anchor` wrote (repeatable); needs --anchor-key")
    p.add_argument("--anchor-key", metavar="KEY",
                   help="the public key the anchors must be signed with: `ed25519:…` or a .pub file")
    p = _leaf(au, "anchor", common, _audit_anchor,
              "verify the log, then write a signed checkpoint of its head to keep outside the store")
    p.add_argument("--key", required=True, metavar="KEYFILE", help="the private key to sign the anchor with")
    p.add_argument("-o", "--output", metavar="FILE", help="write the anchor here (default: print it)")
    p = _leaf(au, "log", common, _audit_log, "show the newest audit events, newest first")
    p.add_argument("--limit", type=positive, default=50, metavar="N", help="how many events to show (default 50)")


    key = subparsers.add_parser("key", help="Ed25519 keys for signed approvals and anchors").add_subparsers(
        dest="key_command", required=True)
    p = key.add_parser("generate", help="make a key pair: the private key file and its public half beside it",
                       description="make an Ed25519 key pair: FILE (private, readable by you only) and FILE.pub")
    p.add_argument("file", metavar="FILE", help="where to write the private key (must not exist)")
    p.set_defaults(func=_key_generate)


def _leaf(group: "argparse._SubParsersAction[argparse.ArgumentParser]", name: str,
          common: argparse.ArgumentParser, handler: Handler, text: str) -> argparse.ArgumentParser:
    parser = group.add_parser(name, parents=[common], help=text, description=text)
    parser.set_defaults(func=handler)
    return parser


def _open(args: argparse.Namespace, *, create: bool = False) -> "Store":
    from jurist.db.service import Store
    from jurist.workbench.checks import compile_check

    return Store.open(getattr(args, "db", None), as_user=getattr(args, "as_user", None), create=create,
                      check=compile_check)


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Columns padded to their widest cell, every cell escaped; the last column is not padded."""
    cells = [[shown(c) for c in header]] + [[shown(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row[:-1], widths)) + "  " + row[-1])


def _utc(moment: datetime | str | None, seconds: bool = False) -> str:
    if moment is None:
        return "-"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def _value(value: Any) -> str | None:
    """A detail's value as an auditor reads it; None when there is nothing to show."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith("sha256:"):
        return f"{value[:19]}…"
    if isinstance(value, str) and (" " in value or ";" in value or not value):
        return '"' + value.replace('"', '\\"') + '"'
    return str(value)


def _details(details: Mapping[str, Any]) -> str:
    parts = [f"{key} {shown_value}" for key, item in details.items()
             if (shown_value := _value(item)) is not None]
    return "; ".join(parts) or "-"


def _db_upgrade(args: argparse.Namespace) -> int:
    from jurist.db.connection import create_store_engine, resolve_url
    from jurist.db.migrate import ensure_schema

    url = resolve_url(getattr(args, "db", None))
    engine = create_store_engine(url, create=True)
    try:
        revision = ensure_schema(engine, create=True)
    finally:
        engine.dispose()
    print(f"{engine.url.render_as_string(hide_password=True)} is at schema revision {revision}")
    return 0


def _require_signed(args: argparse.Namespace) -> int:
    with _open(args) as store:
        changed = store.require_signed_approvals()
    print("signed approvals are now required" if changed else "signed approvals were already required")
    return 0


def _key_generate(args: argparse.Namespace) -> int:
    from jurist.db.signing import SigningKey

    key = SigningKey.generate()
    try:
        public = key.save(args.file)
    except FileExistsError:
        raise UsageError(f"{shown(args.file)} already exists; a key is never overwritten") from None
    print(f"private key: {shown(args.file)} (keep it to yourself)")
    print(f"public key:  {shown(public)}  {key.public}")
    return 0


def _user_key(args: argparse.Namespace) -> int:
    from jurist.db.signing import fingerprint, read_public_key

    with _open(args) as store:
        user = store.register_key(read_public_key(args.public_key))
    print(f"{user.name} signs with {fingerprint(user.key or '')}")
    return 0


def _user_add(args: argparse.Namespace) -> int:
    from jurist.db.service import validate_user_name

    validate_user_name(args.name)
    with _open(args, create=True) as store:
        user = store.add_user(args.name, args.role)
    print(f"added {user.name} as {user.role}")
    return 0


def _user_role(args: argparse.Namespace) -> int:
    with _open(args) as store:
        user = store.set_role(args.name, args.role)
    print(f"{user.name} is now {user.role}")
    return 0


def _user_list(args: argparse.Namespace) -> int:
    from jurist.db.signing import fingerprint

    with _open(args) as store:
        _table(("USER", "ROLE", "SINCE (UTC)", "KEY"),
               ((u.name, u.role, _utc(u.created_at), fingerprint(u.key) if u.key else "-") for u in store.list_users()))
    return 0


def _ruleset_import(args: argparse.Namespace) -> int:
    from jurist.db.service import Store
    from jurist.workbench.checks import compile_check

    # bad input (rules outside --jurisdiction included) writes nothing, not even a store
    Store.read_import(args.directory, args.name, args.jurisdiction, compile_check)
    with _open(args, create=True) as store:
        result = store.import_directory(args.directory, args.name, args.jurisdiction)
    if result.version is None:
        print(f"{args.name}: sources unchanged since the newest version, no new version")
    else:
        v = result.version
        print(f"imported {len(v.files)} file(s) as {v.label} (draft, {v.content_hash[:19]}…)")
    if result.cases_saved:
        print(f"saved {result.cases_saved} test case(s)")
    return 0


def _ruleset_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = [(rs.name, ", ".join(rs.jurisdictions) or "-", f"v{rs.published}" if rs.published else "-",
                 f"v{rs.latest} ({describe_state(rs.latest_state or '')})" if rs.latest else "no versions")
                for rs in store.list_rulesets()]
    _table(("RULESET", "JURISDICTIONS", "PUBLISHED", "LATEST"), rows)
    return 0


def _submit(args: argparse.Namespace) -> int:
    """Compute what the draft changes (its failing cases, the cases it decides differently from the published
    version, its backtest on the newest logged decisions), submit it with that impact kept, and print it."""
    from jurist.workbench.backtest_render import headline
    from jurist.workbench.impact import DEFAULT_NEWEST, ImpactWindow, record_and_submit
    from jurist.workbench.review import SubmitPreview

    window = ImpactWindow(args.impact_newest or DEFAULT_NEWEST, args.impact_days)
    with _open(args) as store:
        v, computed = record_and_submit(store, args.name, args.version, window)
    if computed is not None:
        against = f"{args.name}@v{computed.new.against_number}" if computed.new.against_number else None
        cases = computed.cases
        print(shown(SubmitPreview(computed.label, against, True, cases.changes, cases.failing,
                                  len(cases.results), computed.comparison).summary(), keep="\n"))
        report = computed.new.summary.get("backtest")
        if report is not None:
            print(f"Backtest against {against} on {window.describe()}:")
            for line in headline(report):
                print(shown(line))
    print(f"{v.label} submitted for review")
    return 0


def _show(args: argparse.Namespace) -> int:
    """A version's state, authors and hash, then the impact its approvers read."""
    from jurist.cli.backtest import write_outputs
    from jurist.workbench.impact import summary_lines

    name, _, number_text = args.target.rpartition("@v") if "@v" in args.target else (args.target, "", "")
    number = version_number(number_text) if number_text else None
    with _open(args) as store:
        v = store.get_version(name, number)
        impact = store.impact(name, v.number)
    print(f"{v.label}: {describe_state(v.state)}; authors {', '.join(v.authors) or '-'}; "
          f"hash {v.content_hash[:19]}…; files {', '.join(v.files) or '-'}")
    if v.approvals:
        print("approved by " + ", ".join(f"{a.approver} ({_utc(a.at)})" for a in v.approvals))
    for line in summary_lines(impact, v.label):
        print(shown(line))
    report = impact.summary.get("backtest") if impact is not None else None
    if report is not None:
        write_outputs(args, dict(report))
    elif any(getattr(args, o) for o in ("json", "markdown", "html")):
        warn(f"{v.label} has no stored backtest report to write")
    return 0


_DONE = {"approve": lambda v: f"{v.label} approved by {shown(v.approvals[-1].approver)}",
         "reject": lambda v: f"{v.label} sent back to draft",
         "publish": lambda v: f"{v.label} published ({v.content_hash[:19]}…)",
         "retire": lambda v: f"{v.label} retired"}


def _step(args: argparse.Namespace) -> int:
    """approve, reject, publish or retire: the workbench's review step, as the GUI's buttons take it.

    Approving prints the impact computed when the version was submitted first: what the approver signs off.
    """
    from jurist.db.signing import SigningKey
    from jurist.workbench.impact import summary_lines
    from jurist.workbench.review import permissions, take_step

    key = SigningKey.load(args.sign_with) if getattr(args, "sign_with", None) else None
    with _open(args) as store:
        if args.step == "approve":
            version = next((v for v in reversed(store.list_versions(args.name))
                            if v.number == args.version or (args.version is None and v.state == "in_review")), None)
            if version is not None and permissions(store, version)["approve"].allowed:
                for line in summary_lines(store.impact(args.name, version.number), version.label):
                    print(shown(line))
        v = take_step(store, args.step, args.name, args.version, getattr(args, "comment", ""), key,
                      override_failing_tests=getattr(args, "override_failing_tests", None))
    print(_DONE[args.step](v))
    return 0


def _last_actor(events: Sequence["AuditEventInfo"], actions: tuple[str, ...]) -> dict[int, str]:
    """Per version number, who did the newest of `actions` (events come newest first)."""
    out: dict[int, str] = {}
    for e in events:
        number = e.subject.rpartition("@")[2]
        if e.action in actions and number.isdigit():
            out.setdefault(int(number), e.who)
    return out


def _log(args: argparse.Namespace) -> int:
    with _open(args) as store:
        versions = store.list_versions(args.name)
        info = next(r for r in store.list_rulesets() if r.name == args.name)
        events = store.audit_log(limit=1_000_000, subject=f"ruleset:{args.name}")
        changes = store.case_changes(args.name) if versions else None
    print(f"ruleset {shown(args.name)}; jurisdictions {', '.join(info.jurisdictions) or '-'}; times in UTC")
    if not versions:
        print(f"{args.name} has no versions")
        return 0
    submitted = _last_actor(events, ("version.submit",))
    published = _last_actor(events, ("version.publish", "ruleset.seed"))
    _table(("VERSION", "STATE", "CREATED", "AUTHORS", "SUBMITTED BY", "APPROVED BY", "PUBLISHED BY", "PARENT",
            "HASH"),
           ((f"v{v.number}", v.state, _utc(v.created_at), ", ".join(v.authors),
             submitted.get(v.number, "-") if v.submitted_at or v.state != "draft" else "-",
             ", ".join(a.approver for a in v.approvals) or "-",
             published.get(v.number, "-") if v.published_at else "-", f"v{v.parent}" if v.parent else "-",
             f"{v.content_hash[:19]}…" + ("" if v.intact else "  TAMPERED")) for v in reversed(versions)))
    if changes is not None and changes.kept is not None:
        print(shown(changes.kept_line()))
    if changes is not None and changes.any:
        print(shown(changes.describe()))
    return _warn_tampered(versions)


def _warn_tampered(versions: Sequence["VersionInfo"]) -> int:
    bad = [v.label for v in versions if not v.intact]
    for label in bad:
        warn(f"{label}'s sources no longer match their recorded hash (edited in the database); "
             "run `jurist audit verify`")
    return 1 if bad else 0


def _diff(args: argparse.Namespace) -> int:
    with _open(args) as store:
        diff = store.diff(args.name, args.old, args.new)
    if not diff.files:
        print(f"{args.name} v{args.old} and v{args.new} have the same sources")
    sys.stdout.write(shown(diff.unified, keep="\n\t"))  # source text keeps its lines and tabs
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    from jurist.db.anchors import Anchor
    from jurist.db.signing import read_public_key

    if args.anchor and not args.anchor_key:
        raise UsageError("--anchor needs --anchor-key: the public key the anchor must be signed with (a key "
                         "read from the anchor itself would prove nothing)")
    anchors = [Anchor.read(path) for path in args.anchor]
    trusted = read_public_key(args.anchor_key) if args.anchor_key else ""
    with _open(args) as store:
        report = store.verify_audit([(anchor, trusted) for anchor in anchors])
    for check in report.anchors:
        _print_anchor(check)
    if report.ok:
        print(f"audit log intact: {report.events} events, head {report.head_hash}; every event is one Jurist "
              "could have written; the tables agree with it")
        return 0
    for problem in report.problems:
        print(f"audit: {shown(problem.message)}")
    for violation in report.violations:
        print(f"forged: {shown(violation.message)}")
    for mismatch in report.mismatches:
        print(f"mismatch: {shown(mismatch)}")
    summary = []
    if report.problems:
        summary.append(f"audit log tampered with: {len(report.problems)} problem(s) in {report.events} events")
    if report.violations:
        summary.append(f"{len(report.violations)} event(s) Jurist could not have written")
    if report.mismatches:
        summary.append(f"the tables disagree with the audit log in {len(report.mismatches)} place(s)")
    broken = [c for c in report.anchors if c.problem]
    if broken:
        summary.append(f"{len(broken)} anchor(s) no longer hold")
    raise Refused("; ".join(summary))


def _print_anchor(check: "AnchorCheck") -> None:
    from jurist.db.signing import fingerprint

    if check.problem:
        print(f"anchor: {shown(check.problem)}")
        return
    print(f"anchor: {shown(check.origin)} holds: events 1–{check.seq} are as they were on {_utc(check.at, True)} UTC "
          f"(signed by {fingerprint(check.key)})")
    if check.appended:
        first, last = check.appended
        actions = ", ".join(f"{action} ×{count}" for action, count in check.appended_actions)
        print(f"anchor: {last - first + 1} event(s) appended since, {first}–{last}, by "
              f"{shown(', '.join(check.appended_actors))}: {shown(actions)}")


def _audit_anchor(args: argparse.Namespace) -> int:
    from jurist.db.signing import SigningKey

    key = SigningKey.load(args.key)
    with _open(args) as store:
        anchor = store.anchor(key)
    if args.output:
        from pathlib import Path

        Path(args.output).write_text(anchor.to_json(), encoding="utf-8")
        print(f"anchored event {anchor.seq} ({anchor.head[:16]}…) in {shown(args.output)}; keep it outside the store")
    else:
        sys.stdout.write(anchor.to_json())
    return 0


def _audit_log(args: argparse.Namespace) -> int:
    with _open(args) as store:
        events = store.audit_log(args.limit)
    _table(("SEQ", "TIME (UTC)", "WHO", "ACTION", "SUBJECT", "DETAILS"),
           ((e.seq, _utc(e.at, seconds=True), e.who, e.action, e.subject, _details(e.details)) for e in events))
    return 0
