"""A backtest report for people: Markdown, a self-contained HTML page with charts, and the approver's summary.

Each renders the report's JSON form (`BacktestReport.to_json`), so a summary
stored with a version reads exactly like the report it came from.  Text that
comes from logs or rules (reasons, rule ids, places) is escaped for the
format it lands in.
"""
from __future__ import annotations

from html import escape
from typing import Any, Iterable, Mapping, Sequence

from jurist.dsl.diagnostics import visible

from . import charts

ARROW = "→"
TOP = 25   # rows per table in Markdown and HTML (the JSON has them all)


def flip_name(cell: Mapping[str, Any]) -> str:
    return f"{cell['from'].upper()}{ARROW}{cell['to'].upper()}"


def headline(report: Mapping[str, Any]) -> list[str]:
    """The sentences an approver reads first: how much changes, loosening first, and what could not be compared."""
    flips = report["flips"]
    lines = [f"{report['records']:,} logged decisions replayed ({_days(report)}): {report['compared']:,} compared, "
             f"{flips['total']:,} change effect ({flips['loosening']:,} loosen, {flips['tightening']:,} tighten)."]
    for cell in flips["matrix"]:
        lines.append(f"  {flip_name(cell)}: {cell['count']:,}" + _top_places(report, cell))
    rescan = report["needs_rescan"]
    if rescan["count"]:
        labels = sorted({r["label"] for r in rescan["labels"]})
        lines.append(f"{rescan['count']:,} need a re-scan before they can be compared (their log lacks "
                     f"{', '.join(labels)}): run the backtest with --rescan on the images.")
    closed = report["fail_closed"]
    if closed["change"]:
        lines.append(f"Decisions failing closed: {closed['baseline']:,} {ARROW} {closed['candidate']:,} "
                     f"({closed['change']:+,}).")
    return lines


def _days(report: Mapping[str, Any]) -> str:
    days = report.get("days")
    return "no decisions" if not days else days["first"] if days["first"] == days["last"] else \
        f"{days['first']} to {days['last']}"


def _top_places(report: Mapping[str, Any], cell: Mapping[str, Any], n: int = 3) -> str:
    places = [c for c in report["flips_by_country"] if c["from"] == cell["from"] and c["to"] == cell["to"]][:n]
    rules = [c for c in report["flips_by_rule"] if c["from"] == cell["from"] and c["to"] == cell["to"]][:n]
    parts = []
    if places:
        parts.append("in " + ", ".join(f"{p['country']} {p['count']:,}" for p in places))
    if rules:
        parts.append("by " + ", ".join(f"{r['rule']} {r['count']:,}" for r in rules))
    return f" ({'; '.join(parts)})" if parts else ""


# -- Markdown ----------------------------------------------------------------------------------


def markdown(report: Mapping[str, Any]) -> str:
    b, c = report["baseline"], report["candidate"]
    out = [f"# Backtest: {_md(c['name'])} against {_md(b['name'])}", "",
           f"Baseline `{b['sources_hash'][:19]}…`, candidate `{c['sources_hash'][:19]}…`; "
           f"log: {_md(', '.join(report['log']))}.", ""]
    out += [_md(line.strip()) + "  " for line in headline(report)] + [""]
    out += ["## Flips", ""] + _md_table(("from", "to", "decisions", "samples"),
                                        ((f["from"].upper(), f["to"].upper(), f"{f['count']:,}", _ids(f["samples"]))
                                         for f in report["flips"]["matrix"]), "No decision changes effect.")
    for key, title in (("country", "country"), ("region", "region"), ("rule", "deciding rule")):
        rows = report[f"flips_by_{key}"]
        out += ["", f"## Flips by {title}", ""] + _md_table(
            (title, "flip", "decisions", "samples"),
            ((r[key], flip_name(r), f"{r['count']:,}", _ids(r["samples"])) for r in rows[:TOP]), "None.")
        if len(rows) > TOP:
            out.append(f"\n…and {len(rows) - TOP:,} more rows in the JSON report.")
    out += ["", "## Rules whose hits change", ""] + _md_table(
        ("rule", "baseline", "candidate", "change"),
        ((r["rule"], _n(r["baseline"]), _n(r["candidate"]), f"{r['change']:+,}") for r in report["rule_hits"][:TOP]),
        "Every rule fires as often as before.")
    never = report["never_fired"]
    out += ["", "## Rules that never fire on this log", "",
            f"Baseline: {_md(', '.join(never['baseline']) or 'none')}.  ",
            f"Candidate: {_md(', '.join(never['candidate']) or 'none')}."]
    closed = report["fail_closed"]
    out += ["", "## Failing closed", "",
            f"Baseline {closed['baseline']:,}, candidate {closed['candidate']:,} ({closed['change']:+,}).", ""]
    out += _md_table(("side", "reason", "decisions"), ((r["side"], r["reason"], f"{r['count']:,}")
                                                      for r in closed["reasons"][:TOP]), "")
    rescan = report["needs_rescan"]
    out += ["", "## Needs re-scan", "",
            f"{rescan['count']:,} decisions (baseline {rescan['baseline']:,}, candidate {rescan['candidate']:,}): "
            f"their logged observations lack a label the rules need; samples: {_ids(rescan['samples']) or '-'}.", ""]
    out += _md_table(("side", "label", "decisions"), ((r["side"], r["label"], f"{r['count']:,}")
                                                     for r in rescan["labels"]), "")
    if report["malformed"]["count"]:
        out += ["", f"{report['malformed']['count']:,} logged requests are malformed (denied on both sides)."]
    return "\n".join(out).rstrip() + "\n"


def _md(text: str) -> str:
    return visible(str(text)).replace("|", "\\|")


def _md_table(header: Sequence[str], rows: Iterable[Sequence[Any]], empty: str) -> list[str]:
    body = [f"| {' | '.join(_md(str(c)) for c in row)} |" for row in rows]
    if not body:
        return [empty] if empty else []
    return [f"| {' | '.join(header)} |", "|" + "---|" * len(header)] + body


def _ids(ids: Sequence[str], n: int = 3) -> str:
    return ", ".join(ids[:n])


def _n(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


# -- HTML ----------------------------------------------------------------------------------------


def html(report: Mapping[str, Any]) -> str:
    """One page, no script and no outside resource: tables and two inline SVG charts."""
    b, c = report["baseline"], report["candidate"]
    title = f"Backtest: {c['name']} against {b['name']}"
    parts = [f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>",
             f"<style>{_CSS}</style></head><body>", f"<h1>{escape(title)}</h1>",
             f"<p class=\"meta\">baseline <code>{escape(b['sources_hash'][:19])}…</code>, candidate "
             f"<code>{escape(c['sources_hash'][:19])}…</code>; log: {escape(', '.join(report['log']))}</p>",
             "<div class=\"headline\">" + "".join(f"<p>{escape(line.strip())}</p>" for line in headline(report))
             + "</div>",
             flips_by_country_chart(report), hits_over_time_chart(report),
             "<h2>Flips</h2>", _html_table(("from", "to", "decisions", "samples"),
                                           ((f["from"].upper(), f["to"].upper(), f"{f['count']:,}",
                                             _ids(f["samples"], 5)) for f in report["flips"]["matrix"]),
                                           "No decision changes effect.")]
    for key, name in (("country", "country"), ("region", "region"), ("rule", "deciding rule")):
        parts += [f"<h2>Flips by {name}</h2>",
                  _html_table((name, "flip", "decisions", "samples"),
                              ((r[key], flip_name(r), f"{r['count']:,}", _ids(r["samples"]))
                               for r in report[f"flips_by_{key}"][:TOP]), "None.")]
    parts += ["<h2>Rules whose hits change</h2>",
              _html_table(("rule", "baseline", "candidate", "change"),
                          ((r["rule"], _n(r["baseline"]), _n(r["candidate"]), f"{r['change']:+,}")
                           for r in report["rule_hits"][:TOP]), "Every rule fires as often as before."),
              "<h2>Rules that never fire on this log</h2>",
              f"<p>Baseline: {escape(', '.join(report['never_fired']['baseline']) or 'none')}.<br>"
              f"Candidate: {escape(', '.join(report['never_fired']['candidate']) or 'none')}.</p>"]
    closed, rescan = report["fail_closed"], report["needs_rescan"]
    parts += [f"<h2>Failing closed</h2><p>Baseline {closed['baseline']:,}, candidate {closed['candidate']:,} "
              f"({closed['change']:+,}).</p>",
              _html_table(("side", "reason", "decisions"),
                          ((r["side"], r["reason"], f"{r['count']:,}") for r in closed["reasons"][:TOP]), ""),
              f"<h2>Needs re-scan</h2><p>{rescan['count']:,} decisions: their logged observations lack a label "
              "the rules need.</p>",
              _html_table(("side", "label", "decisions"),
                          ((r["side"], r["label"], f"{r['count']:,}") for r in rescan["labels"]), ""),
              "</body></html>"]
    return "\n".join(p for p in parts if p)


def flips_by_country_chart(report: Mapping[str, Any], top: int = 30) -> str:
    """Bars of flips per country, stacked by kind of flip, the countries with most flips first."""
    per: dict[str, dict[str, int]] = {}
    for cell in report["flips_by_country"]:
        per.setdefault(cell["country"], {})[flip_name(cell)] = cell["count"]
    bars = sorted(per.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:top]
    series = [flip_name(f) for f in report["flips"]["matrix"]]
    colors = {"DENY→ALLOW": "#c0392b", "REVIEW→ALLOW": "#e67e22", "DENY→REVIEW": "#d4ac0d",
              "ALLOW→DENY": "#2471a3", "ALLOW→REVIEW": "#17a589", "REVIEW→DENY": "#8e44ad"}
    return charts.stacked_bars(bars, series, "Flips per country", colors)


def hits_over_time_chart(report: Mapping[str, Any], top: int = 4) -> str:
    """Hits per day of the rules whose hits change most (baseline dashed, candidate solid)."""
    days_seen = report.get("days")
    if not days_seen:
        return ""
    by_day = report["hits_by_day"]
    days = sorted({d for side in by_day.values() for per in side.values() for d in per})
    rules = [r["rule"] for r in report["rule_hits"][:top]]
    if not rules:
        totals = {rule: sum(per.values()) for rule, per in by_day["candidate"].items()}
        rules = sorted(totals, key=lambda r: -totals[r])[:top]
    series: list[tuple[str, Mapping[str, int], bool]] = []
    for rule in rules:
        series.append((f"{rule} (baseline)", by_day["baseline"].get(rule, {}), True))
        series.append((f"{rule} (candidate)", by_day["candidate"].get(rule, {}), False))
    return charts.lines(days, series, "Hits per rule per day")


def _html_table(header: Sequence[str], rows: Iterable[Sequence[Any]], empty: str) -> str:
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    if not body:
        return f"<p>{escape(empty)}</p>" if empty else ""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = ("body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
        "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;"
        "text-align:left;font-size:.9rem}th{background:#f3f3f3}.meta{color:#666}"
        ".headline{background:#fff8e5;border-left:4px solid #e67e22;padding:.3rem 1rem}svg{margin:1rem 0}")
