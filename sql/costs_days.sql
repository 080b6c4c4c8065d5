-- costs.days: per day of start, the cost the figures count, total tokens and sessions.
-- Order: day.
SELECT
  d AS day,
  CASE WHEN count(cost_nanos) > 0 THEN CAST(sum(cost_nanos) AS DOUBLE) / 1e9 END AS cost_usd,
  sum(tokens) AS total_tokens,
  count(*) AS sessions
FROM (SELECT start_day AS d, cost_nanos, total_tokens AS tokens FROM sessions WHERE start_ms IS NOT NULL) AS s
GROUP BY d
ORDER BY day
