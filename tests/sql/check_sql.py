#!/usr/bin/env python3
"""The SQL recipes of sql/ against the JSON report, on two real engines.

For each data set (the demo data `spyglass demo` writes, the golden fixture, and the demo data
again under --params that the export applies: estimates included, a time zone, no inference, an
alias table), exports the
Parquet tables (`spyglass export --parquet`), runs every query of sql/ with DuckDB (the `duckdb`
package) and with ClickHouse's in-process engine (the `chdb` package), and compares each result
with the same table of `spyglass report --json`: counts and text exact, rates and money to 1e-9,
the same rows in the same order. A mismatch names the engine, data set, pipeline, row and field.

The queries read tables by name (`FROM sessions`); each engine is given one view per table over
its Parquet file, as the README shows.

    python tests/sql/check_sql.py [--spyglass PATH] [--only PIPELINE] [--keep DIR]

The last line is `sql: N passed, M failed` (one check = one query, one engine, one data set); a
missing engine is a failure, never a skip. Exit status 0 when nothing failed.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SQL = os.path.join(ROOT, "sql")

TABLES = [
    "sessions", "session_categories", "session_files", "session_anomaly_actions", "events", "errors", "tool_calls",
    "tool_latencies", "metrics_rows", "alerts", "sources", "diagnostics",
]

# Checks that hold only on some data sets: a query with a parameter written in it (the budget is
# the demo-params set's; the other sets set none, and their reports have no budget).
ONLY_ON = {"costs_budget": {"demo-params"}}

# Each check: the query (sql/<name>.sql, or sql/<engine>/<name>.sql where the dialects differ),
# the report's table it reproduces (a path into the report: a list of rows, or one object) and
# the fields compared. A query returns exactly these columns; every one is compared.
CHECKS = [
    ("summary", "summary", [
        "files", "lines", "events", "metrics_rows", "alerts", "sessions", "tasks",
        "duplicate_lines", "superseded_rows", "skipped_lines", "field_warnings",
        "first_timestamp", "last_timestamp", "success_rate", "success_n", "first_shot_rate",
        "first_shot_n", "total_cost_usd", "cost_n", "estimated_cost_usd", "estimated_cost_n",
        "total_tokens", "input_tokens", "cached_input_tokens", "cache_read_tokens",
        "cache_creation_tokens", "output_tokens", "error_events",
    ]),
    ("task_risk", "task_risk.rows", [
        "task_id", "task_title", "sessions", "attempts", "completed", "tool_failures", "error_categories",
        "repeated_categories", "executors", "risk", "reasons",
    ]),
    ("git", "git.rows", [
        "attempt_id", "task_id", "model", "success", "agent_made_commits", "diff_files_changed",
        "diff_lines_added", "diff_lines_deleted",
    ]),
    ("git_no_change_success", "git.no_change_success", ["count", "attempt_ids"]),
    ("git_scope", "git.scope", ["task_id", "sessions", "attempts", "lines_changed", "lines_n"]),
    ("git_hot_files", "git.hot_files", ["file", "tasks", "failed_tasks", "failure_rate", "failure_n"]),
    ("git_review", "git.review", ["model", "review_passed", "review_failed"]),
    ("executors", "executors.rows", [
        "key", "sessions", "success_rate", "success_n", "first_shot_rate", "first_shot_n",
        "avg_duration_ms", "duration_n", "avg_cost_usd", "cost_n", "total_cost_usd",
        "estimated_cost_usd", "estimated_n", "avg_tokens", "tokens_n", "avg_errors",
    ]),
    ("executors_by_day", "executors.by_day", ["day", "executor", "sessions", "success_rate", "success_n"]),
    ("model_scores", "model_scores.rows", [
        "key", "sessions", "success_rate", "success_n", "first_shot_rate", "first_shot_n",
        "avg_cost_usd", "cost_n", "errors", "avg_errors", "retry_rate", "retry_n",
        "total_cost_usd", "estimated_cost_usd", "estimated_n", "total_tokens", "tokens_n",
        "cost_per_success", "score", "cost_term_known", "flags", "dominant_error_category",
    ]),
    ("error_clusters", "error_clusters.rows", [
        "fingerprint", "count", "tasks", "attempts", "first_seen", "last_seen", "categories",
        "recorded_categories", "sample_message",
    ]),
    ("error_clusters_correlation", "error_clusters.correlation", [
        "fingerprint", "count", "by_executor", "by_model", "tasks", "tasks_total", "sessions",
        "avg_session_duration_ms", "duration_n",
    ]),
    ("tools", "tools.rows", [
        "tool_name", "calls", "results", "failures", "failure_rate", "failure_n",
        "latency_p50_ms", "latency_p95_ms", "latency_n",
    ]),
    ("tool_commands", "tools.commands", ["commands", "command_failures", "commands_n", "test_runs", "lint_runs"]),
    ("interventions", "interventions.rows", [
        "comparison", "a_label", "a", "b_label", "b", "difference", "significant", "label",
    ]),
    ("interventions_actions", "interventions.actions", ["action", "sessions", "success"]),
    ("guardrails", "guardrails.rows", [
        "category", "executor", "model", "failed_sessions", "share", "share_n", "error_events", "remedy",
    ]),
    ("guardrails_totals", "guardrails.totals", [
        "category", "failed_sessions", "share", "share_n", "error_events", "remedy",
    ]),
    ("provider_heatmap", "provider_heatmap.cells", ["executor", "error_category", "count", "per_100_sessions"]),
    ("provider_heatmap_categories", "provider_heatmap.categories", ["error_category", "errors"]),
    ("provider_heatmap_rows", "provider_heatmap.rows", ["executor", "errors", "sessions", "per_100_sessions"]),
    ("provider_heatmap_hourly", "provider_heatmap.hourly.points", ["executor", "error_category", "hour", "count"]),
    ("provider_heatmap_spikes", "provider_heatmap.spikes", ["executor", "error_category", "hour", "count", "mean", "std_dev"]),
    ("costs", "costs.rows", [
        "day", "model", "sessions", "cost_usd", "cost_n", "estimated_cost_usd", "estimated_n",
        "prompt_tokens", "completion_tokens", "total_tokens",
    ]),
    ("costs_budget", "costs.budget.days_over", ["day", "cost_usd"]),
    ("costs_days", "costs.days", ["day", "cost_usd", "total_tokens", "sessions"]),
    ("costs_per_model", "costs.per_model", [
        "model", "sessions", "successes", "cost_usd", "cost_n", "estimated_cost_usd", "estimated_n",
        "cost_per_success", "input_tokens", "cached_input_tokens", "cache_read_tokens",
        "cache_creation_tokens", "output_tokens",
    ]),
    ("costs_runaway", "costs.runaway", ["attempt_id", "task_id", "model", "cost_usd", "cost_source", "start"]),
    ("recorded_alerts", "alerts.rows", [
        "time", "type", "severity", "executor", "attempt_id", "task_id", "cooldown_key", "occurrences",
    ]),
    ("recorded_alerts_by_type", "alerts.by_type", ["type", "severity", "count"]),
    ("recorded_alerts_by_executor", "alerts.by_executor", ["executor", "type", "count"]),
    ("recorded_alerts_by_day", "alerts.by_day", ["day", "type", "count"]),
    ("recomputed_alerts", "alerts.recomputed", [
        "time", "type", "severity", "attempt_id", "task_id", "executor", "detail",
    ]),
    ("recomputed_alerts_comparison", "alerts.comparison", [
        "type", "recorded", "recomputed", "recorded_failed_rate", "recorded_failed_n",
        "recomputed_failed_rate", "recomputed_failed_n",
    ]),
]

TOLERANCE = 1e-9


def sql_path(engine, name):
    for p in (os.path.join(SQL, engine, name + ".sql"), os.path.join(SQL, name + ".sql")):
        if os.path.exists(p):
            return p
    return None


def report_table(report, path):
    """The rows at `path`; a part naming a list inside each row of a list flattens it: each inner
    row with its outer row's other fields first (`provider_heatmap.hourly.points`)."""
    v = report
    for part in path.split("."):
        if isinstance(v, list):
            v = [{**{k: x for k, x in row.items() if k != part}, **inner} for row in v for inner in row[part]]
        else:
            v = v[part]
    return [v] if isinstance(v, dict) else v


def same(a, b):
    """Whether a SQL value equals a report value: exact, but floats to 1e-9 (absolute, or
    relative for large ones) and numbers compared across int/float."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(b, bool) or isinstance(a, bool):
        return bool(a) == bool(b) and isinstance(a, (bool, int)) and isinstance(b, (bool, int))
    if isinstance(b, (int, float)) and isinstance(a, (int, float)):
        if isinstance(b, int) and isinstance(a, int):
            return a == b
        return math.isclose(float(a), float(b), rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    if isinstance(b, list) and isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    # an object of the report: a struct (by name) or a tuple (by position, in the report's order)
    if isinstance(b, dict) and isinstance(a, dict):
        return list(a.keys()) == list(b.keys()) and all(same(a[k], b[k]) for k in b)
    if isinstance(b, dict) and isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b.values()))
    return a == b


def compare(rows, expected, fields):
    """The first difference between query rows (dicts) and report rows, as a sentence, or None."""
    for i, (got, want) in enumerate(zip(rows, expected)):
        for f in fields:
            if f not in want:
                return f"row {i}: the report has no field {f!r}"
            if f not in got:
                return f"row {i}: the query returns no column {f!r}"
            if not same(got[f], want[f]):
                key = next(iter(want.values()))
                return f"row {i} ({key!r}), field {f!r}: query {got[f]!r}, report {want[f]!r}"
    if len(rows) != len(expected):
        return f"{len(rows)} rows, the report has {len(expected)}"
    return None


class DuckDB:
    name = "duckdb"

    def __init__(self, folder):
        import duckdb

        self.con = duckdb.connect()
        for t in TABLES:
            p = os.path.join(folder, t + ".parquet").replace("'", "''")
            self.con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{p}')")

    def run(self, sql):
        cur = self.con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


class ClickHouse:
    name = "clickhouse"

    def __init__(self, folder):
        from chdb import session

        self.path = tempfile.mkdtemp(prefix="chdb-")
        self.s = session.Session(self.path)
        # 64-bit integers as JSON numbers, nested ones too
        self.s.query("SET output_format_json_quote_64bit_integers = 0")
        for t in TABLES:
            p = os.path.join(folder, t + ".parquet").replace("'", "\\'")
            self.s.query(f"CREATE OR REPLACE VIEW {t} AS SELECT * FROM file('{p}', Parquet)")

    def run(self, sql):
        res = self.s.query(sql, "JSONCompact")
        text = res.bytes().decode() if hasattr(res, "bytes") else str(res)
        if not text.strip():
            return []
        doc = json.loads(text)
        names = [m["name"] for m in doc["meta"]]
        types = [m["type"] for m in doc["meta"]]
        out = []
        for r in doc["data"]:
            out.append({n: convert(v, t) for n, v, t in zip(names, r, types)})
        return out

    def close(self):
        self.s.close()
        shutil.rmtree(self.path, ignore_errors=True)


def convert(v, t):
    """ClickHouse's JSON gives 64-bit integers as strings: back to numbers by column type."""
    if v is None:
        return None
    base = t.replace("Nullable(", "").replace("LowCardinality(", "").rstrip(")")
    if isinstance(v, list):
        inner = t[t.find("(") + 1:-1] if t.startswith("Array(") else t
        return [convert(x, inner) for x in v]
    if base.startswith(("Int", "UInt")) and isinstance(v, str):
        return int(v)
    if base.startswith(("Float", "Decimal")) and isinstance(v, str):
        return float(v)
    if base == "Bool" or base == "Bool)":
        return bool(v)
    return v


def export(spyglass, inputs, out, args=()):
    subprocess.run([spyglass, "export", *inputs, "--parquet", out, *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    r = subprocess.run([spyglass, "report", *inputs, "--json", *args], check=True, capture_output=True)
    return json.loads(r.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spyglass", default=os.path.join(ROOT, "target", "debug", "spyglass"))
    ap.add_argument("--only")
    ap.add_argument("--keep")
    ap.add_argument("--expect-from", help="read the report of a data set from DIR/<set>.json instead (to check a perturbed report fails)")
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp(prefix="spyglass-sql-")
    os.makedirs(work, exist_ok=True)
    passed = failed = 0

    def fail(msg):
        nonlocal failed
        failed += 1
        print(f"FAIL {msg}")

    demo = os.path.join(work, "demo-logs")
    if not os.path.isdir(demo):
        subprocess.run([a.spyglass, "demo", "--out", demo], check=True, stderr=subprocess.DEVNULL)
    # the demo again under parameters the export applies to the values it writes (estimates
    # counted, another time zone, no inference, an alias of the user's): the same queries hold
    params = os.path.join(work, "params.json")
    with open(params, "w") as f:
        json.dump({"include_estimated_cost": True, "utc_offset_minutes": -300, "infer_categories": False,
                   "category_aliases": {"test_failure": "test", "auth_error": "auth", "rate_limited": "rate_limit"},
                   "daily_budget_usd": 15}, f)
    sets = {
        "demo": ([demo], []),
        "golden": ([os.path.join(ROOT, "tests", "fixtures", "golden")], []),
        "demo-params": ([demo], ["--params", params]),
    }
    engines = []
    for cls in (DuckDB, ClickHouse):
        try:
            __import__("duckdb" if cls is DuckDB else "chdb")
            engines.append(cls)
        except ImportError as e:
            fail(f"{cls.name}: the engine is not installed ({e}; scripts/setup.sh installs it into target/py)")
    for set_name, (inputs, args) in sets.items():
        out = os.path.join(work, set_name + "-parquet")
        shutil.rmtree(out, ignore_errors=True)
        report = export(a.spyglass, inputs, out, args)
        if a.expect_from and os.path.exists(os.path.join(a.expect_from, set_name + ".json")):
            with open(os.path.join(a.expect_from, set_name + ".json")) as f:
                report = json.load(f)
        for cls in engines:
            engine = cls(out)
            try:
                for name, path, fields in CHECKS:
                    if (a.only and name != a.only) or set_name not in ONLY_ON.get(name, {set_name}):
                        continue
                    where = f"{cls.name} {set_name} {name}"
                    sql_file = sql_path(cls.name, name)
                    if sql_file is None:
                        fail(f"{where}: no query (sql/{name}.sql or sql/{cls.name}/{name}.sql)")
                        continue
                    with open(sql_file) as f:
                        sql = f.read()
                    try:
                        rows = engine.run(sql)
                    except Exception as e:  # the engine's error, named
                        fail(f"{where}: the query failed: {str(e).strip().splitlines()[0][:300]}")
                        continue
                    expected = report_table(report, path)
                    cols = fields or (list(expected[0].keys()) if expected else list(rows[0].keys()) if rows else [])
                    extra = [c for c in (rows[0].keys() if rows else []) if c not in cols]
                    diff = compare(rows, expected, cols)
                    if diff is None and extra:
                        diff = f"columns the report's table does not have: {extra}"
                    if diff:
                        fail(f"{where}: {diff}")
                    else:
                        passed += 1
                        print(f"ok   {where} ({len(rows)} rows)")
            finally:
                if hasattr(engine, "close"):
                    engine.close()
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"sql: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
