"""The rule-author commands: check, compile, decide, serve, test.

Only argparse is imported here at start-up; each command imports what it uses
when it runs (see `jurist.cli`).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .errors import UsageError


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("check", help="check rulesets and print diagnostics (exit 1 on errors)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a .policy file or a directory of them")
    p.add_argument("--json", action="store_true", help="print diagnostics as JSON")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("compile", help="compile a ruleset; print a summary or its evaluation graph")
    p.add_argument("path", metavar="PATH", help="a .policy file or a directory of them")
    p.add_argument("--graph", choices=("json", "dot"), help="dump the evaluation graph")
    p.add_argument("-o", "--output", help="write the dump to this file instead of stdout")
    p.set_defaults(func=cmd_compile)

    p = sub.add_parser("decide", help="decide one request and print the decision JSON")
    p.add_argument("--rules", required=True, metavar="PATH", help="ruleset path or store URL ...#name")
    p.add_argument("--request", required=True, metavar="FILE", help="request JSON file, or - for stdin")
    p.add_argument("--explain", action="store_true", help="print a human-readable trace instead of JSON")
    p.add_argument("--exhaustive", action="store_true", help="evaluate every applicable rule (no early stop)")
    p.add_argument("--why-not", action="store_true",
                   help="also give the smallest changes to the request that would change the effect")
    p.set_defaults(func=cmd_decide)

    p = sub.add_parser("compare", help="compare two rulesets per jurisdiction, with a witness request per difference")
    p.add_argument("a", metavar="A", help="the ruleset before: a path or store URL …#name")
    p.add_argument("b", metavar="B", help="the ruleset after")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("serve", help="serve decisions over HTTP (POST /v1/decide, /v1/decide:batch; docs/serving.md)",
                       description="Serve decisions over HTTP with uvicorn. Every limit fails closed with a reason; "
                                   "see docs/serving.md.")
    p.add_argument("--rules", required=True, metavar="PATH", help="ruleset path, or store URL ...#name (followed: "
                                                                  "a newly published version is served at once)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--port", type=int, default=8787, help="TCP port (default: 8787; 0 picks a free one)")
    p.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                   help="worker processes (default: the number of CPU cores)")
    p.add_argument("--image-dir", help="let requests name image files inside this directory")
    p.add_argument("--insecure-no-auth", action="store_true",
                   help="serve decisions without API tokens (anyone who reaches the port gets them)")
    p.add_argument("--db", metavar="URL", help="the store holding API tokens and the store log sink (default: the "
                                               "store of --rules, else $JURIST_DB, else the per-user store)")
    p.add_argument("--decision-log", action="append", default=[], metavar="DIR|store",
                   help="write every decision's record to JSON Lines files in DIR, or to the store (repeatable)")
    p.add_argument("--log-rotate-mb", type=_positive_float, default=64.0, metavar="MB",
                   help="rotate (and gzip) a decision log file past this size (default 64)")
    p.add_argument("--shadow", metavar="NAME@vN|PATH", help="also decide every request with this version, off the "
                                                            "latency path, and log the decisions that differ")
    p.add_argument("--canary", metavar="NAME@vN:P%", help="let this version answer P percent of requests, sticky by "
                                                          "X-Jurist-Canary-Key or the request's digest")
    p.add_argument("--reload-interval", type=_positive_float, default=2.0, metavar="SECONDS",
                   help="how often a store target is checked for a new version (default 2; PostgreSQL also "
                        "notifies at once)")
    p.add_argument("--tls-cert", metavar="FILE", help="serve HTTPS with this certificate (PEM; with --tls-key)")
    p.add_argument("--tls-key", metavar="FILE", help="the certificate's private key (PEM)")
    p.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"),
                   help="what the server logs on stderr (default: info)")
    limits = p.add_argument_group("limits (per worker; each refusal is a deny decision naming the limit)")
    limits.add_argument("--max-body-mb", type=_positive_float, default=48.0, metavar="MB",
                        help="largest request body, checked before it is read (default 48)")
    limits.add_argument("--max-batch", type=_positive_int, default=100, metavar="N",
                        help="requests in one /v1/decide:batch (default 100)")
    limits.add_argument("--request-timeout", type=_positive_float, default=None, metavar="SECONDS",
                        help="a request's headers and body must arrive within this, however slowly (default 30)")
    limits.add_argument("--idle-timeout", type=_positive_float, default=None, metavar="SECONDS",
                        help="close a connection idle this long between requests (default 5)")
    limits.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="set both timeouts above at once")
    limits.add_argument("--max-connections", type=_positive_int, default=1024, metavar="N",
                        help="open connections; more are answered 503 and closed (default 1024)")
    limits.add_argument("--backlog", type=_positive_int, default=2048, metavar="N",
                        help="connections waiting to be accepted (default 2048)")
    limits.add_argument("--image-concurrency", type=_positive_int, default=2, metavar="N",
                        help="decisions with images running at once (default 2)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("test", help="run simulation cases; closes with `N passed, N failed`")
    p.add_argument("path", metavar="PATH", help="ruleset; its cases are read from PATH/tests/ (for a store URL "
                                                "…#name (published) or …#name@vN, or store#name@vN: the cases "
                                                "that version was submitted with) unless --cases")
    p.add_argument("--cases", nargs="+", metavar="FILE", help="case files or directories")
    p.add_argument("--baseline", metavar="OLD_PATH", help="also list cases whose decision differs from this ruleset")
    p.add_argument("--require-coverage", action="store_true", help="fail when a rule is reached by no case")
    p.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML (for CI)")
    p.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    p.set_defaults(func=cmd_test)


def _print_diagnostics(result: Any, stream: Any) -> None:
    if result.diagnostics:
        print(result.render(), file=stream)


def cmd_check(args: argparse.Namespace) -> int:
    from jurist import compile_sources
    from jurist.dsl import read_sources
    from jurist.dsl.diagnostics import Diagnostic, to_json, visible

    failed = False
    all_diags: list[Diagnostic] = []
    for path in args.paths:
        result = compile_sources(read_sources(path), analyse=True).located(path)
        all_diags.extend(result.diagnostics)
        if not args.json:
            _print_diagnostics(result, sys.stderr if result.errors else sys.stdout)
            n_rules = len(result.ruleset.rules) if result.ruleset else 0
            state = f"{len(result.errors)} error(s)" if result.errors else f"ok, {n_rules} rules"
            print(f"{visible(path)}: {state}, {len(result.warnings)} warning(s)")
        failed |= not result.ok
    if args.json:
        print(to_json(all_diags))
    return 1 if failed else 0


def cmd_compile(args: argparse.Namespace) -> int:
    from jurist import compile_sources
    from jurist.dsl import read_sources
    from jurist.dsl.diagnostics import render_all

    result = compile_sources(read_sources(args.path)).located(args.path)
    if not result.ok:
        print(result.render(), file=sys.stderr)
        return 1
    graph = result.graph
    assert graph is not None  # compiled without errors
    if args.graph:
        text = graph.dumps() if args.graph == "json" else graph.to_dot()
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    atoms = sum(1 for nd in graph.nodes if not nd.children)
    shared = sum(1 for nid, count in graph.refcount.items() if count > 1)
    print(f"{args.path}: {len(graph.rules)} rules, {len(graph.nodes)} graph nodes ({atoms} tests, {shared} shared), "
          f"{len(graph.index)} places indexed, {len(graph.everywhere)} rules apply everywhere, "
          f"{len(graph.shadowed_by)} shadowed, default {graph.default}")
    if result.warnings:
        print(render_all(result.warnings, result.sources))
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    from jurist import load
    from jurist.engine import Request, RequestError

    policy = load(args.rules)
    try:
        request = Request.loads(_request_text(args.request))
    except RequestError as exc:
        reason = str(exc)
    else:
        decision = policy.decide(request, exhaustive=args.exhaustive)
        if args.explain:
            print(decision.explain(counterfactual=args.why_not))
        elif args.why_not:
            import json

            out = decision.to_json()
            out["counterfactuals"] = [c.to_json() for c in decision.counterfactuals()]
            print(json.dumps(out, indent=2, ensure_ascii=False))
        else:
            print(decision.dumps())
        return 0
    # A script reading stdout still gets the fail-closed decision the engine would serve.
    refusal = policy.refusal(reason)  # stamped like any decision: id, time, the policy's version
    args.on_failure = lambda failure: print(refusal.explain() if args.explain else refusal.dumps())
    raise RequestError(f"{args.request}: {reason}")


def _request_text(name: str) -> str:
    """The request file's (or stdin's) text; RequestError, as for any malformed request, when it cannot be read
    or is not UTF-8, as the HTTP API refuses such a body."""
    from jurist.engine import RequestError

    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise RequestError((exc.strerror or str(exc)).lower()) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestError(f"not valid UTF-8 at byte {exc.start}") from None


def cmd_compare(args: argparse.Namespace) -> int:
    import json

    from jurist import load
    from jurist.dsl.comparison import compare
    from jurist.engine.vocabulary import SCHEMA

    before, after = load(args.a), load(args.b)
    found = compare(before.ruleset, after.ruleset, SCHEMA)
    if args.json:
        print(json.dumps({"a": args.a, "b": args.b, "jurisdictions": [j.to_json() for j in found]}, indent=2,
                         ensure_ascii=False))
        return 0
    print(f"A = {args.a}\nB = {args.b}")
    for j in found:
        print(f"\n{j.name}" + (f" ({', '.join(j.codes)})" if j.codes and j.name != ", ".join(j.codes) else ""))
        for verdict in j.verdicts():
            print(f"  {verdict}")
        for d in j.differences:
            print(f"  A {d.before}, B {d.after}: {json.dumps(d.witness, ensure_ascii=False)}")
    return 0


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"`{text}` is not a positive whole number")
    return int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"`{text}` is not a positive number")
    return value


def serve_settings(args: argparse.Namespace) -> Any:
    """The server's settings from `jurist serve`'s arguments; UsageError for a combination that cannot work."""
    import os

    from jurist.serving.rollout import parse_share
    from jurist.serving.settings import Limits, Rollout, ServeSettings

    if args.timeout is not None and args.timeout <= 0:
        raise UsageError(f"--timeout must be a positive number of seconds, got {args.timeout:g}")
    request_timeout = args.request_timeout or args.timeout or 30.0
    idle_timeout = args.idle_timeout or args.timeout or 5.0
    if bool(args.tls_cert) != bool(args.tls_key):
        raise UsageError("--tls-cert and --tls-key go together")
    canary, share = None, 0.0
    if args.canary:
        canary, sep, percent = args.canary.rpartition(":")
        if not sep or not canary:
            raise UsageError(f"--canary takes NAME@vN:P% (e.g. global@v4:5%), got `{args.canary}`")
        try:
            share = parse_share(percent)
        except ValueError as exc:
            raise UsageError(f"--canary: {exc}") from None
    db = args.db
    if db is None and "://" not in args.rules and not args.insecure_no_auth:
        from jurist.db.connection import resolve_url

        db = resolve_url(None)
    limits = Limits(max_body_bytes=int(args.max_body_mb * 1024 * 1024), max_batch=args.max_batch,
                    request_timeout=request_timeout, idle_timeout=idle_timeout,
                    max_connections=args.max_connections, backlog=args.backlog,
                    image_concurrency=args.image_concurrency)
    return ServeSettings(args.rules, args.host, args.port, args.workers or os.cpu_count() or 1, args.image_dir,
                         limits, not args.insecure_no_auth, db, tuple(args.decision_log),
                         int(args.log_rotate_mb * 1024 * 1024), rollout=Rollout(args.shadow, canary, share),
                         reload_interval=args.reload_interval, tls_cert=args.tls_cert, tls_key=args.tls_key,
                         log_level=args.log_level)


def cmd_serve(args: argparse.Namespace) -> int:
    from jurist.serving.server import configure_logging, run
    from jurist.serving.worker import SettingsError

    settings = serve_settings(args)
    configure_logging(settings.log_level)
    if not settings.auth:
        from .errors import warn

        warn("authentication is OFF (--insecure-no-auth): anyone who can reach this port gets decisions")

    def announce(port: int, service: Any) -> None:
        served = service.following.current.policy
        print(f"jurist: serving {served.version} ({len(served.ruleset.rules)} rules) on "
              f"{settings.scheme}://{settings.host}:{port}/v1/decide with {settings.workers} worker(s)", flush=True)

    try:
        run(settings, announce)
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from jurist import load
    from jurist.engine.cases import coverage, default_case_paths, load_cases
    from jurist.workbench.cases import read_documents, run_cases

    from jurist.workbench.rule_sources import load_rules, store_target

    target = store_target(args.path)  # `URL#name`, `URL#name@vN`, `store#…`: a version in the store
    policy = load_rules(args.path).policy() if target is not None else load(args.path)
    if not args.cases and target is not None:  # the cases the version kept when submitted (else the working set)
        from jurist.db.loader import case_changes, stored_cases

        from .errors import warn

        where = "#".join(target)
        readable = read_documents(stored_cases(where))
        changes = case_changes(where)
        if changes is not None and changes.any:  # a case weakened since the review must not pass unseen
            warn(changes.describe())
        if not readable.cases and not readable.unreadable:
            raise UsageError(f"{args.path}: the store holds no cases for this ruleset; pass --cases")
        cases, unreadable = readable.cases, readable.unreadable
    else:
        paths = args.cases or default_case_paths(args.path)
        if not paths:
            raise UsageError(f"{args.path}: no cases found; put them in {args.path}/tests/ or pass --cases")
        cases, unreadable = tuple(load_cases(paths)), ()
    baseline = load(args.baseline) if args.baseline else None
    run = run_cases(policy, cases, baseline=baseline)
    results = unreadable + run.results
    ruleset = policy.ruleset
    cov = coverage((x.id for x in ruleset.rules), results)
    passed = sum(r.passed for r in results)
    failed = len(results) - passed
    coverage_failed = args.require_coverage and not cov.complete
    if args.junit:
        from jurist.workbench.reports import junit_xml

        Path(args.junit).write_text(junit_xml(args.path, results, cov, args.require_coverage), encoding="utf-8")
    if args.json:
        import json

        from jurist.workbench.reports import run_json

        print(json.dumps(run_json(args.path, results, cov, run.changes if baseline is not None else None,
                                  args.require_coverage), indent=2, ensure_ascii=False))
        return 1 if failed or coverage_failed else 0
    width = max((len(r.name) for r in results), default=10)
    for r in results:
        status = "PASS" if r.passed else "FAIL"
        print(f"{status}  {r.name:<{width}}  expected {r.effect:<6}  got {r.actual or '-':<6}  "
              f"fired {','.join(r.fired) or '-'}")
        for problem in r.problems:
            print(f"      {problem}")
    print(f"\ncoverage: {cov.total - len(cov.unreached)}/{cov.total} rules fired in at least one case")
    for rule_id in cov.unreached:
        only = " (matched only fail-closed, when an input was missing)" if rule_id in cov.fail_closed_only else ""
        print(f"  not reached by any case: {rule_id} ({ruleset.rule(rule_id).source}){only}")
    if baseline is not None:
        print(f"\nregression diff against {args.baseline}: {len(run.changes)} case(s) change")
        for ch in run.changes:
            print(f"  {ch.name}: {ch.before.effect} -> {ch.after.effect}"
                  f"  (rules {','.join(ch.before.rule_ids) or '-'} -> {','.join(ch.after.rule_ids) or '-'})")
    if coverage_failed:
        print(f"\ncoverage required: {len(cov.unreached)} rule(s) reached by no case")
    print(f"\n{passed} passed, {failed} failed")
    return 1 if failed or coverage_failed else 0
