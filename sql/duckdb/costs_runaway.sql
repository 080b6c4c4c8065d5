-- costs.runaway: sessions whose cost (as the figures count it) is strictly above the 99th
-- percentile of the known session costs (linear interpolation) and strictly above 1.0 USD (the
-- defaults runaway_percentile and runaway_min_usd: change `p` to match a --params file).
-- Order: cost descending, then attempt_id. (duckdb dialect: the percentile and ISO time.)
WITH
p AS (SELECT 1.0 AS min_usd),
t AS (SELECT quantile_cont(cost_usd, 0.99) AS threshold FROM sessions WHERE cost_usd IS NOT NULL)
SELECT
  s.attempt_id AS attempt_id,
  s.task_id AS task_id,
  coalesce(s.model, 'unknown') AS model,
  CAST(s.cost_nanos AS DOUBLE) / 1e9 AS cost_usd,
  s.cost_source AS cost_source,
  CASE WHEN s.start_ms IS NOT NULL THEN strftime(epoch_ms(s.start_ms), '%Y-%m-%dT%H:%M:%S.%gZ') END AS start
FROM sessions AS s CROSS JOIN t CROSS JOIN p
WHERE s.cost_nanos IS NOT NULL AND CAST(s.cost_nanos AS DOUBLE) / 1e9 > t.threshold
  AND CAST(s.cost_nanos AS DOUBLE) / 1e9 > p.min_usd
ORDER BY cost_usd DESC, attempt_id
