"""`jurist report`: the policy in plain language and what is blocked where, from the rulesets."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("report", help="describe a ruleset: every rule and a table of what is blocked where")
    p.add_argument("path", metavar="PATH", help="a .policy file, a directory of them, or a store URL …#name")
    p.add_argument("--markdown", action="store_true", help="print Markdown (default: JSON)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to this file instead of stdout")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from jurist import load
    from jurist.engine.report import build_report, render_markdown, to_json

    policy = load(args.path)
    report = build_report(policy, origin=args.path)
    if args.markdown:
        text = render_markdown(report)
    else:
        text = json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
