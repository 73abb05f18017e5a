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
    p.set_defaults(func=cmd_decide)

    p = sub.add_parser("serve", help="serve decisions over HTTP (POST /v1/decide, GET /health)")
    p.add_argument("--rules", required=True, metavar="PATH", help="ruleset path or store URL ...#name")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--port", type=int, default=8787, help="TCP port (default: 8787; 0 picks a free one)")
    p.add_argument("--image-dir", help="let requests name image files inside this directory")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="drop a connection idle or stalled this long (default: 30)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("test", help="run simulation cases; closes with `N passed, N failed`")
    p.add_argument("path", metavar="PATH", help="ruleset; its cases are read from PATH/tests/ (for a store URL "
                                                "…#name, the cases stored with it) unless --cases")
    p.add_argument("--cases", nargs="+", metavar="FILE", help="case files or directories")
    p.add_argument("--baseline", metavar="OLD_PATH", help="also list cases whose decision differs from this ruleset")
    p.add_argument("--require-coverage", action="store_true", help="fail when a rule is reached by no case")
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
        result = compile_sources(read_sources(path)).located(path)
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
        print(decision.explain() if args.explain else decision.dumps())
        return 0
    # A script reading stdout still gets the fail-closed decision the engine would serve.
    args.on_failure = lambda failure: _print_refusal(args, reason)
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


def _print_refusal(args: argparse.Namespace, reason: str) -> None:
    from jurist.engine import Decision

    decision = Decision("deny", errors=(reason,))
    print(decision.explain() if args.explain else decision.dumps())


def cmd_serve(args: argparse.Namespace) -> int:
    from jurist import load
    from jurist.engine.http import DecisionServer

    if args.timeout <= 0:
        raise UsageError(f"--timeout must be a positive number of seconds, got {args.timeout:g}")
    policy = load(args.rules)
    server = DecisionServer((args.host, args.port), policy, args.image_dir, args.timeout)
    print(f"jurist: serving {policy.origin} ({len(policy.ruleset.rules)} rules) on "
          f"http://{args.host}:{server.server_address[1]}/v1/decide", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from jurist import load
    from jurist.engine.cases import coverage, default_case_paths, load_cases
    from jurist.workbench.cases import read_documents, run_cases

    policy = load(args.path)
    if not args.cases and "://" in args.path:  # a store URL: run the ruleset's stored cases
        from jurist.db.loader import case_changes, stored_cases

        from .errors import warn

        readable = read_documents(stored_cases(args.path))
        changes = case_changes(args.path)
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
    width = max((len(r.name) for r in results), default=10)
    for r in results:
        status = "PASS" if r.passed else "FAIL"
        print(f"{status}  {r.name:<{width}}  expected {r.effect:<6}  got {r.actual or '-':<6}  "
              f"fired {','.join(r.fired) or '-'}")
        for problem in r.problems:
            print(f"      {problem}")
    ruleset = policy.ruleset
    assert ruleset is not None  # a loaded policy compiled
    cov = coverage((x.id for x in ruleset.rules), results)
    print(f"\ncoverage: {cov.total - len(cov.unreached)}/{cov.total} rules fired in at least one case")
    for rule_id in cov.unreached:
        print(f"  not reached by any case: {rule_id} ({ruleset.rule(rule_id).source})")
    if baseline is not None:
        print(f"\nregression diff against {args.baseline}: {len(run.changes)} case(s) change")
        for ch in run.changes:
            print(f"  {ch.name}: {ch.before.effect} -> {ch.after.effect}"
                  f"  (rules {','.join(ch.before.rule_ids) or '-'} -> {','.join(ch.after.rule_ids) or '-'})")
    passed = sum(r.passed for r in results)
    failed = len(results) - passed
    coverage_failed = args.require_coverage and not cov.complete
    if coverage_failed:
        print(f"\ncoverage required: {len(cov.unreached)} rule(s) reached by no case")
    print(f"\n{passed} passed, {failed} failed")
    return 1 if failed or coverage_failed else 0
