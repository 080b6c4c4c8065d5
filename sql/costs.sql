-- costs.rows: per day of start (the time zone in force at export: `start_day`) and model
-- (absent: `unknown`), sessions, the cost the figures count (recorded; estimated too when the
-- export included estimates) and the estimated cost, prompt, completion and total tokens (each
-- null when no session knows it). Sessions without a start take no part.
-- Order: day, then model.
SELECT
  d AS day, m AS model, count(*) AS sessions,
  CASE WHEN count(cost_nanos) > 0 THEN CAST(sum(cost_nanos) AS DOUBLE) / 1e9 END AS cost_usd,
  count(cost_nanos) AS cost_n,
  CASE WHEN count(estimated_cost_nanos) > 0 THEN CAST(sum(estimated_cost_nanos) AS DOUBLE) / 1e9 END AS estimated_cost_usd,
  count(estimated_cost_nanos) AS estimated_n,
  sum(prompt_tokens) AS prompt_tokens,
  sum(completion_tokens) AS completion_tokens,
  sum(total_tokens) AS total_tokens
FROM (SELECT start_day AS d, coalesce(model, 'unknown') AS m, cost_nanos, estimated_cost_nanos,
             prompt_tokens, completion_tokens, total_tokens
      FROM sessions WHERE start_ms IS NOT NULL) AS s
GROUP BY d, m
ORDER BY day, model
