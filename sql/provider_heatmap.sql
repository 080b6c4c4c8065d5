-- provider_heatmap.cells: error events per executor (the event's own, else its session's;
-- absent: `unknown`) and canonical category, and per 100 sessions of that executor.
-- Order: executors by their error count descending, then name; within one, categories by their
-- error count (over all executors) descending, then name.
WITH
e AS (SELECT coalesce(executor, 'unknown') AS ex, category FROM errors),
cells AS (SELECT ex, category, count(*) AS n FROM e GROUP BY ex, category),
row_total AS (SELECT ex, count(*) AS n FROM e GROUP BY ex),
col_total AS (SELECT category, count(*) AS n FROM e GROUP BY category),
per_executor AS (SELECT coalesce(executor, 'unknown') AS ex, count(*) AS n FROM sessions
                 GROUP BY coalesce(executor, 'unknown'))
SELECT
  cells.ex AS executor,
  cells.category AS error_category,
  cells.n AS count,
  CASE WHEN coalesce(per_executor.n, 0) > 0 THEN cells.n * 100.0 / per_executor.n END AS per_100_sessions
FROM cells
  JOIN row_total ON row_total.ex = cells.ex
  JOIN col_total ON col_total.category = cells.category
  LEFT JOIN per_executor ON per_executor.ex = cells.ex
ORDER BY row_total.n DESC, executor, col_total.n DESC, error_category
