"""`jurist report`: the policy in plain language, what is blocked where, and which seed policy each rule
enforces where, proved by which cases."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from jurist.engine.cases import CaseResult
    from jurist.engine.report_coverage import SeedPolicy

CATALOGUE = "policies.toml"


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("report", help="describe a ruleset: every rule, a table of what is blocked where, and "
                                      "which cases prove each seed policy")
    p.add_argument("path", metavar="PATH", help="a .policy file, a directory of them, or a store URL …#name")
    p.add_argument("--markdown", action="store_true", help="print Markdown (default: JSON)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to this file instead of stdout")
    p.add_argument("--policies", metavar="FILE",
                   help=f"the seed policies (default: {CATALOGUE} in PATH when PATH is a directory)")
    p.add_argument("--cases", metavar="PATH", action="append",
                   help="case files or directories proving them (default: PATH/tests); repeatable")
    p.add_argument("--require-policy-coverage", action="store_true",
                   help="exit 1, listing them, when a seed policy has a place and moment no passing case proves")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from jurist import load
    from jurist.cli.errors import UsageError
    from jurist.engine.report import build_report, render_markdown, to_json

    policy = load(args.path)
    catalogue_path = _catalogue_path(args.path, args.policies)
    if catalogue_path is None and args.require_policy_coverage:
        raise UsageError(f"--require-policy-coverage needs the seed policies: give --policies FILE "
                         f"(no {CATALOGUE} in {args.path})")
    catalogue: tuple[SeedPolicy, ...] = ()
    results: Sequence[CaseResult] = ()
    if catalogue_path is not None:
        catalogue = _read_catalogue(catalogue_path)
        results = _run_policy_cases(policy, args.cases, args.path)
    report = build_report(policy, origin=args.path, catalogue=catalogue, case_results=results,
                          catalogue_origin=str(catalogue_path or CATALOGUE))
    if args.markdown:
        text = render_markdown(report)
    else:
        text = json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if args.require_policy_coverage and report.uncovered:
        print(f"{len(report.uncovered)} of {len(report.coverage)} seed policy cells are not covered by a "
              "passing case:", file=sys.stderr)
        labels = {p.code: p.label for p in report.places}
        for cell in report.uncovered:
            print(f"  {cell.policy} at {cell.place}, stage {cell.stage}: {labels.get(cell.place, cell.place)}",
                  file=sys.stderr)
        return 1
    return 0


def _catalogue_path(ruleset: str, given: str | None) -> Path | None:
    if given is not None:
        return Path(given)
    beside = Path(ruleset) / CATALOGUE
    return beside if Path(ruleset).is_dir() and beside.is_file() else None


def _read_catalogue(path: Path) -> tuple[SeedPolicy, ...]:
    import tomllib

    from jurist.engine.report_coverage import CatalogueError, read_catalogue

    try:
        document: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise CatalogueError(f"{path}: not UTF-8 text") from None
    return read_catalogue(document, str(path))


def _run_policy_cases(policy: Any, given: Sequence[str] | None, ruleset: str) -> Sequence[CaseResult]:
    """The cases that name a seed policy, run as `jurist test` runs them (the others prove nothing here)."""
    from jurist.engine.cases import default_case_paths, load_cases
    from jurist.workbench.cases import run_cases

    paths = list(given) if given else default_case_paths(ruleset)
    cases = [case for case in load_cases(paths) if case.policy is not None]
    return run_cases(policy, cases).results
