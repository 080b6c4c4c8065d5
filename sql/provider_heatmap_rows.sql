-- provider_heatmap.rows: per executor (see provider_heatmap.sql), its error events, its sessions
-- and errors per 100 sessions. Order: errors descending, then executor.
WITH
e AS (SELECT coalesce(executor, 'unknown') AS ex FROM errors),
per_executor AS (SELECT coalesce(executor, 'unknown') AS ex, count(*) AS n FROM sessions
                 GROUP BY coalesce(executor, 'unknown'))
SELECT
  t.ex AS executor,
  t.n AS errors,
  coalesce(per_executor.n, 0) AS sessions,
  CASE WHEN coalesce(per_executor.n, 0) > 0 THEN t.n * 100.0 / per_executor.n END AS per_100_sessions
FROM (SELECT ex, count(*) AS n FROM e GROUP BY ex) AS t
  LEFT JOIN per_executor ON per_executor.ex = t.ex
ORDER BY errors DESC, executor
