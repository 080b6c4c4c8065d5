-- costs.per_model: per model (absent: `unknown`), every session with or without a start: its
-- sessions, successes, cost (and estimated cost), cost per successful session, and the token
-- breakdown. Order: model.
SELECT
  m AS model, count(*) AS sessions,
  sum(CASE WHEN success THEN 1 ELSE 0 END) AS successes,
  CASE WHEN count(cost_nanos) > 0 THEN CAST(sum(cost_nanos) AS DOUBLE) / 1e9 END AS cost_usd,
  count(cost_nanos) AS cost_n,
  CASE WHEN count(estimated_cost_nanos) > 0 THEN CAST(sum(estimated_cost_nanos) AS DOUBLE) / 1e9 END AS estimated_cost_usd,
  count(estimated_cost_nanos) AS estimated_n,
  CASE WHEN count(cost_nanos) > 0 AND sum(CASE WHEN success THEN 1 ELSE 0 END) > 0
       THEN CAST(sum(cost_nanos) AS DOUBLE) / 1e9 / sum(CASE WHEN success THEN 1 ELSE 0 END) END AS cost_per_success,
  sum(input_tokens) AS input_tokens,
  sum(cached_input_tokens) AS cached_input_tokens,
  sum(cache_read_tokens) AS cache_read_tokens,
  sum(cache_creation_tokens) AS cache_creation_tokens,
  sum(output_tokens) AS output_tokens
FROM (SELECT coalesce(model, 'unknown') AS m, success, cost_nanos, estimated_cost_nanos, input_tokens,
             cached_input_tokens, cache_read_tokens, cache_creation_tokens, output_tokens
      FROM sessions) AS s
GROUP BY m
ORDER BY model
