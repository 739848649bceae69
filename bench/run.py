"""Run the benchmarks and write docs/performance.md.

    .venv/bin/python -m bench                 # everything (the 500-facility data is built once and cached)
    .venv/bin/python -m bench --quick --out /tmp/perf.md   # a small smoke run (CI, tests/test_bench_quick.py)

Cases (issue 6): import of 15 × 12 and 500 × 12 facility-months into a fresh head office against raw sqlite3
inserts plus Ed25519 verification; start-up to the head-office window against a bare PySide6 window; the largest
facility-month bundle; the monthly PDF and the year's workbook for 15 and 500 facilities (picked up when
``jbdesk.exports.pdf_monthly`` and ``jbdesk.exports.excel`` exist); and ``jbdesk demo`` itself. Every figure is
the median of ``--runs`` runs (``--big-runs`` for the 500-facility cases, which take minutes each).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path

from bench import cases
from bench.datasets import ROOT, dataset, default_cache


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# -- machine and versions ---------------------------------------------------------------------------------------------
def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _os() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip(chr(34))} ({platform.system()} {platform.release()})"
    except OSError:
        pass
    return platform.platform()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def _git() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
        return head.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except OSError:
        return "-"


def machine() -> list[tuple[str, str]]:
    import sqlite3

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return [
        ("CPU", _cpu()),
        ("Cores", str(os.cpu_count())),
        ("OS", _os()),
        ("Load average at start", ", ".join(f"{x:.2f}" for x in load) if load else "-"),
        ("Disk (temp dir)", tempfile.gettempdir()),
        ("Commit", _git()),
    ], [
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("PySide6", _version("PySide6-Essentials") if _version("PySide6") == "-" else _version("PySide6")),
        ("SQLAlchemy", _version("SQLAlchemy")),
        ("cryptography", _version("cryptography")),
        ("msgspec", _version("msgspec")),
        ("reportlab", _version("reportlab")),
        ("rl-accel", _version("rl-accel")),
        ("openpyxl", _version("openpyxl")),
    ]


# -- the document -----------------------------------------------------------------------------------------------------
def _value(row: cases.Row, value: float | None) -> str:
    if value is None:
        return "—"
    if row.unit == "KB":
        return f"{value:.1f} KB"
    if row.unit == "×":
        return f"{value:.2f}×"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def _met(row: cases.Row) -> str:
    return "—" if row.met is None else ("yes" if row.met else "**no**")


def render(
    rows: list[cases.Row],
    profiles: list[cases.Profile],
    info: tuple[list, list],
    data: list[str],
    *,
    quick: bool,
    started: datetime,
    seconds: float,
    argv: list[str],
) -> str:
    hw, versions = info
    out = ["# Performance", ""]
    out.append(
        f"Written by `python -m bench{' ' + ' '.join(argv) if argv else ''}` (bench/run.py) on "
        f"{started:%Y-%m-%d %H:%M}; the run took {seconds / 60:.1f} min. Each figure is the median of the runs "
        "shown; each floor was measured in the same run, on the same machine, between the measured runs."
    )
    if quick:
        out += [
            "",
            "**Quick mode**: tiny data (3 facilities, 2 months), one run each — a smoke test, not a measurement.",
        ]
    out += ["", "## Machine", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in hw]
    out += ["", "## Versions", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in versions]
    out += ["", "## Data", ""]
    out += [f"- {line}" for line in data]
    out += ["", "## Results", ""]
    out += ["| Case | Measured | Floor | Ratio | Target | Met | Runs | Notes |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = f"{r.ratio:.1f}×" if r.ratio is not None else "—"
        out.append(
            f"| {r.case} | {_value(r, r.measured)} | {_value(r, r.floor)} | {ratio} | {r.target or '—'} | "
            f"{_met(r)} | {r.runs} | {r.detail} |"
        )
    floors = [(r.case, r.floor_text) for r in rows if r.floor_text]
    if floors:
        out += ["", "Floors:", ""]
        out += [f"- {case}: {text}." for case, text in floors]
    notes = ROOT / "bench" / "notes.md"
    if notes.exists() and not quick:
        out += ["", notes.read_text(encoding="utf-8").strip()]
    if profiles:
        out += ["", "## Profiles of this run", ""]
        out += ["Taken for every case that missed its target (cProfile on one extra run, not part of the timings).", ""]
        for p in profiles:
            out += [f"### {p.title}", "", "```", p.text, "```", ""]
    return "\n".join(out).rstrip() + "\n"


# -- running ----------------------------------------------------------------------------------------------------------
def _guarded(case: str, fn, *args, **kwargs):
    """Run a case; a crash becomes a row saying so (the other cases still run and the document is written)."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        log(f"bench: {case} failed: {type(exc).__name__}: {exc}")
        return cases.Row(
            case=case, measured=None, unit="s", met=False, detail=f"**failed**: {type(exc).__name__}: {exc}"[:300]
        ), None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny data, one run each (smoke test)")
    parser.add_argument("--runs", type=int, default=3, help="runs per case (median), default 3")
    parser.add_argument("--big-runs", type=int, default=1, help="runs of the 500-facility cases, default 1")
    parser.add_argument("--facilities", type=int, default=500, help="size of the large data set, default 500")
    parser.add_argument("--skip-large", action="store_true", help="leave out the 500-facility cases")
    parser.add_argument("--no-demo", action="store_true", help="leave out the jbdesk demo case")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"), help="the document to write")
    parser.add_argument("--cache", default=str(default_cache()), help="where the generated bundles are kept")
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached data")
    parser.add_argument(
        "--render",
        action="store_true",
        help="rewrite the document from the last run's results (e.g. after editing bench/notes.md)",
    )
    args = parser.parse_args(argv)
    argv = list(argv if argv is not None else sys.argv[1:])
    saved = Path(args.cache) / ("last-run-quick.json" if args.quick else "last-run.json")
    if args.render:
        return _render_saved(saved, Path(args.out))
    started_at, t0 = datetime.now(), time.perf_counter()
    info = machine()
    cache = Path(args.cache)
    rows: list[cases.Row] = []
    profiles: list[cases.Profile] = []
    data: list[str] = []
    runs = 1 if args.quick else args.runs

    def built(ds) -> str:
        how = "built in this run" if ds.built_now else "cached from an earlier run, built"
        return (
            f"{ds.name}: {ds.facilities} facilities, {len(ds.bundles)} bundles through {ds.through}, made by "
            f"`jbdesk.demo` (the same machinery as `jbdesk demo --no-import`); {how} in "
            f"{ds.build_seconds:.1f} s, at {ds.root}."
        )

    with tempfile.TemporaryDirectory(prefix="jbdesk-bench-") as tmp:
        work = Path(tmp)
        small = (
            dataset(3, "2026-02", cache, fresh=args.fresh, log=log)
            if args.quick
            else dataset(15, "2026-12", cache, fresh=args.fresh, log=log)
        )
        data.append(built(small))
        large = None
        if not args.quick and not args.skip_large:
            large = dataset(args.facilities, "2026-12", cache, fresh=args.fresh, log=log)
            data.append(built(large))

        log(f"bench: import {small.name} × {runs}")
        hq_small = work / "hq-small-imported"
        row, prof = cases.import_case(small, work, runs, keep=hq_small, want_profile=not args.quick)
        rows.append(row)
        profiles += [prof] if prof else []
        hq_large = None
        if large is not None:
            log(f"bench: import {large.name} × {args.big_runs}")
            hq_large = work / "hq-large-imported"
            row, _ = _guarded(
                f"Import {large.name}", cases.import_case, large, work, args.big_runs, keep=hq_large, want_profile=False
            )
            rows.append(row)
            if not hq_large.exists():
                hq_large = None

        rows.append(cases.bundle_size_case(small))
        if large is not None:
            rows.append(cases.bundle_size_case(large))

        log(f"bench: start-up × {max(runs, 5) if not args.quick else 1}")
        row, prof = _guarded(
            "Start-up to head-office window",
            cases.startup_case,
            hq_small,
            small.name,
            max(runs, 5) if not args.quick else 1,
        )
        rows += row if isinstance(row, list) else [row]  # the shell and the filled page; one row if it failed
        profiles += [prof] if prof else []

        if cases.reports_available():
            log(f"bench: reports {small.name} × {runs}")
            report_rows, small_totals, prof = cases.reports_case(
                hq_small, small.name, small.facilities, work, runs, want_profile=not args.quick
            )
            report_rows[0].target, report_rows[1].target = "< 1 s (15 facilities)", "< 2 s (15 facilities)"
            for r, kind, limit in zip(report_rows, ("pdf", "xlsx"), (1.0, 2.0), strict=True):
                r.met = small_totals[kind] is not None and small_totals[kind] < limit
            rows += report_rows
            if prof is not None and not all(r.met for r in report_rows):
                profiles.append(prof)
            if hq_large is not None and large is not None:
                log(f"bench: reports {large.name} × {args.big_runs}")
                big_rows, big_totals, _ = cases.reports_case(
                    hq_large, large.name, large.facilities, work, args.big_runs, want_profile=False
                )
                for r, kind in zip(big_rows, ("pdf", "xlsx"), strict=True):
                    r.target = "linear in facilities (≤ 1.2× the 15-facility time per facility)"
                    if big_totals[kind] is None or small_totals[kind] is None:
                        r.met = False
                        continue
                    # The December sheet has a page per facility due in December (10 of the 15: F04-F08 were
                    # transferred in November; 495 of 500), the workbook covers every facility's year.
                    if kind == "pdf":
                        scale, per = big_totals["due"] / small_totals["due"], "due facility"
                    else:
                        scale, per = large.facilities / small.facilities, "facility"
                    growth = big_totals[kind] / (small_totals[kind] * scale)
                    r.met = growth <= 1.2
                    r.detail += f"; per {per} {growth:.2f}× the 15-facility cost"
                    if kind == "pdf":  # the model inside it covers every facility: say that figure too
                        plain = big_totals[kind] / (small_totals[kind] * large.facilities / small.facilities)
                        r.detail += f" (per registered facility {plain:.2f}×)"
                rows += big_rows
        else:
            data.append("Reports: `jbdesk.exports.pdf_monthly` / `jbdesk.exports.excel` not present; cases skipped.")

        if not args.quick and not args.no_demo:
            log("bench: jbdesk demo (15 facilities through 2026-10)")
            row = _guarded("jbdesk demo", cases.demo_case, work, log)
            rows.append(row[0] if isinstance(row, tuple) else row)

    seconds = time.perf_counter() - t0
    text = render(rows, profiles, info, data, quick=args.quick, started=started_at, seconds=seconds, argv=argv)
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(
        json.dumps(
            {
                "rows": [dataclasses.asdict(r) for r in rows], "profiles": [dataclasses.asdict(p) for p in profiles],
                "info": info, "data": data, "quick": args.quick, "started": started_at.isoformat(),
                "seconds": seconds, "argv": argv,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )  # fmt: skip
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    log(f"bench: wrote {out} ({seconds:.0f} s)")
    for r in rows:
        log(f"  {r.case}: {_value(r, r.measured)} (floor {_value(r, r.floor)}) met={r.met}")
    return 0


def _render_saved(saved: Path, out: Path) -> int:
    if not saved.exists():
        log(f"bench: no saved results at {saved}; run the benchmarks first")
        return 1
    raw = json.loads(saved.read_text(encoding="utf-8"))
    text = render(
        [cases.Row(**r) for r in raw["rows"]], [cases.Profile(**p) for p in raw["profiles"]],
        (raw["info"][0], raw["info"][1]), raw["data"], quick=raw["quick"],
        started=datetime.fromisoformat(raw["started"]), seconds=raw["seconds"], argv=raw["argv"],
    )  # fmt: skip
    out.write_text(text, encoding="utf-8")
    log(f"bench: rewrote {out} from {saved}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
