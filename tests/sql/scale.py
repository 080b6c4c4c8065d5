#!/usr/bin/env python3
"""Scale figures (issue 15, point 5): the export and every query of the SQL check, timed on a
large demo folder, with peak memory; `spyglass report --json` on the same folder for comparison.

    target/py/bin/python tests/sql/scale.py [--size-mb 2000] [--work target/scale]
                                            [--spyglass target/release/spyglass] [--only NAME]

Generates the demo folder (`spyglass demo --out WORK/demo --size-mb N`, kept and reused while it
exists: delete it to generate again), exports it (`spyglass export WORK/demo --parquet
WORK/parquet`), times `spyglass report WORK/demo --json`, then runs each query the SQL check runs
(tests/sql/check_sql.py's CHECKS, the engine's dialect file where there is one) once in DuckDB
and once in chdb, each query in a subprocess of its own so that its peak resident memory is its
own (the engine's library and the views included: the `(engine alone)` row is a subprocess that
creates the views and runs `SELECT 1`). A query's time is the query alone, its result fetched;
a command's time is its wall time. Prints a Markdown table. Not a step of scripts/test.sh: it
takes minutes and gigabytes (the demo folder, the Parquet files) under WORK.
"""

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import check_sql  # noqa: E402  (the queries, the tables, the engines' views)


def folder_bytes(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    return total


def measure(cmd):
    """Run cmd (output discarded): (wall seconds, peak RSS in bytes) of that process alone."""
    if os.path.exists("/usr/bin/time"):
        t0 = time.monotonic()
        r = subprocess.run(["/usr/bin/time", "-v", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - t0
        if r.returncode != 0:
            sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-2000:]}")
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
        return wall, int(m.group(1)) * 1024
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    if status != 0:
        sys.exit(f"failed ({status}): {' '.join(cmd)}")
    return wall, usage.ru_maxrss * 1024


def one_query(engine, parquet, name):
    """In this (child) process: the views, then one query (or SELECT 1 for `-`), timed; prints
    {seconds, rows, peak} as JSON."""
    cls = check_sql.DuckDB if engine == "duckdb" else check_sql.ClickHouse
    e = cls(parquet)
    try:
        if name == "-":
            sql = "SELECT 1"
        else:
            with open(check_sql.sql_path(engine, name)) as f:
                sql = f.read()
        t0 = time.monotonic()
        rows = e.run(sql)
        seconds = time.monotonic() - t0
    finally:
        if hasattr(e, "close"):
            e.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "rows": len(rows), "peak": peak}))


def run_query(engine, parquet, name):
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--query", engine, parquet, name],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or ["?"])[-1][:200]
    return json.loads(r.stdout.strip().splitlines()[-1]), None


def mb(n):
    return n / 1e6


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--query":
        return one_query(*sys.argv[2:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--spyglass", default=os.path.join(ROOT, "target", "release", "spyglass"))
    ap.add_argument("--size-mb", type=int, default=2000)
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "scale"))
    ap.add_argument("--only", help="one query")
    a = ap.parse_args()
    demo = os.path.join(a.work, "demo")
    parquet = os.path.join(a.work, "parquet")
    os.makedirs(a.work, exist_ok=True)
    if not os.path.isdir(demo):
        print(f"generating {a.size_mb} MB of demo data in {demo} …", file=sys.stderr)
        subprocess.run([a.spyglass, "demo", "--out", demo, "--size-mb", str(a.size_mb)], check=True,
                       stdout=subprocess.DEVNULL)
    size = folder_bytes(demo)
    shutil.rmtree(parquet, ignore_errors=True)
    print("export …", file=sys.stderr)
    ex_s, ex_peak = measure([a.spyglass, "export", demo, "--parquet", parquet])
    pq = folder_bytes(parquet)
    print("report --json …", file=sys.stderr)
    rep_s, rep_peak = measure([a.spyglass, "report", demo, "--json"])
    import duckdb

    con = duckdb.connect()
    rows = {t: con.execute(f"SELECT count(*) FROM read_parquet('{os.path.join(parquet, t + '.parquet')}')").fetchone()[0]
            for t in ("sessions", "events", "errors", "tool_calls")}
    con.close()

    out = []
    out.append(f"Demo folder: {mb(size):,.0f} MB ({demo}); Parquet: {mb(pq):,.0f} MB "
               f"({rows['sessions']:,} sessions, {rows['events']:,} events, {rows['errors']:,} errors, "
               f"{rows['tool_calls']:,} tool_calls rows)")
    out.append("")
    out.append("| step | time | MB/s | peak memory | vs report --json |")
    out.append("| --- | ---: | ---: | ---: | ---: |")
    out.append(f"| `spyglass export --parquet` | {ex_s:.1f} s | {mb(size) / ex_s:.0f} | {mb(ex_peak):,.0f} MB | {ex_s / rep_s:.2f}× |")
    out.append(f"| `spyglass report --json` | {rep_s:.1f} s | {mb(size) / rep_s:.0f} | {mb(rep_peak):,.0f} MB | 1× |")
    out.append("")
    out.append("| query | DuckDB | DuckDB peak | chdb | chdb peak | rows |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    names = ["-"] + [c[0] for c in check_sql.CHECKS if not a.only or c[0] == a.only]
    totals = {"duckdb": 0.0, "clickhouse": 0.0}
    peaks = {"duckdb": 0, "clickhouse": 0}
    for name in names:
        cells = []
        n_rows = ""
        for engine in ("duckdb", "clickhouse"):
            print(f"{engine} {name} …", file=sys.stderr)
            r, err = run_query(engine, parquet, name)
            if r is None:
                cells += [f"failed: {err}", ""]
                continue
            if name != "-":
                totals[engine] += r["seconds"]
                n_rows = f"{r['rows']:,}"
            peaks[engine] = max(peaks[engine], r["peak"])
            cells += [f"{r['seconds']:.2f} s", f"{mb(r['peak']):,.0f} MB"]
        label = "(engine alone: views, `SELECT 1`)" if name == "-" else f"`{name}`"
        out.append(f"| {label} | {' | '.join(cells)} | {n_rows} |")
    out.append(f"| every query, one after another | {totals['duckdb']:.1f} s ({totals['duckdb'] / rep_s:.2f}× report) | "
               f"{mb(peaks['duckdb']):,.0f} MB | {totals['clickhouse']:.1f} s ({totals['clickhouse'] / rep_s:.2f}× report) | "
               f"{mb(peaks['clickhouse']):,.0f} MB | |")
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
