-- executors.rows: per executor (absent: `unknown`), its sessions and their figures; every rate
-- and mean over the sessions where its fact is known (null over none).
-- Order: sessions descending, then key.
SELECT
  coalesce(executor, 'unknown') AS key,
  count(*) AS sessions,
  CASE WHEN count(success) > 0
       THEN sum(CASE WHEN success THEN 1 ELSE 0 END) / count(success) END AS success_rate,
  count(success) AS success_n,
  CASE WHEN count(first_shot_success) > 0
       THEN sum(CASE WHEN first_shot_success THEN 1 ELSE 0 END) / count(first_shot_success) END AS first_shot_rate,
  count(first_shot_success) AS first_shot_n,
  CASE WHEN count(duration_ms) > 0 THEN CAST(sum(duration_ms) AS DOUBLE) / count(duration_ms) END AS avg_duration_ms,
  count(duration_ms) AS duration_n,
  CASE WHEN count(cost_nanos) > 0 THEN CAST(sum(cost_nanos) AS DOUBLE) / 1e9 / count(cost_nanos) END AS avg_cost_usd,
  count(cost_nanos) AS cost_n,
  CASE WHEN count(cost_nanos) > 0 THEN CAST(sum(cost_nanos) AS DOUBLE) / 1e9 END AS total_cost_usd,
  CASE WHEN count(estimated_cost_nanos) > 0 THEN CAST(sum(estimated_cost_nanos) AS DOUBLE) / 1e9 END AS estimated_cost_usd,
  count(estimated_cost_nanos) AS estimated_n,
  CASE WHEN count(total_tokens) > 0 THEN CAST(sum(total_tokens) AS DOUBLE) / count(total_tokens) END AS avg_tokens,
  count(total_tokens) AS tokens_n,
  CAST(sum(errors) AS DOUBLE) / count(*) AS avg_errors
FROM sessions
GROUP BY coalesce(executor, 'unknown')
ORDER BY sessions DESC, key
