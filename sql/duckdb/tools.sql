-- tools.rows: per tool_name, its calls, results, failures, failure rate (over the results that
-- report an outcome), and the median and 95th percentile of its call → result latencies
-- (linear interpolation between closest ranks).
-- Order: calls descending, then tool_name.
-- (duckdb dialect: only the percentile function differs from the other engine's.)
WITH
t AS (SELECT tool_name, sum(calls) AS calls, sum(results) AS results, sum(failures) AS failures,
             sum(outcomes) AS outcomes
      FROM tool_calls GROUP BY tool_name),
l AS (SELECT tool_name, count(*) AS latency_n, quantile_cont(latency_ms, 0.5) AS p50, quantile_cont(latency_ms, 0.95) AS p95
      FROM tool_latencies GROUP BY tool_name)
SELECT
  t.tool_name AS tool_name,
  t.calls AS calls,
  t.results AS results,
  t.failures AS failures,
  CASE WHEN t.outcomes > 0 THEN t.failures / t.outcomes END AS failure_rate,
  t.outcomes AS failure_n,
  l.p50 AS latency_p50_ms,
  l.p95 AS latency_p95_ms,
  coalesce(l.latency_n, 0) AS latency_n
FROM t LEFT JOIN l ON l.tool_name = t.tool_name
WHERE t.calls > 0 OR t.results > 0
ORDER BY calls DESC, tool_name
