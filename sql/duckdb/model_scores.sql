-- model_scores.rows: sessions grouped by model (absent: `unknown`), with
--   score = success_rate − w_cost × avg_cost_usd − w_errors × avg_errors
-- (a group with no known cost takes 0 for the cost term), the flags high_retry_rate and
-- dominant_error_category. The parameters are the defaults: change `p` to match a --params
-- file (the export already applied aliases, inference, prices and include_estimated_cost).
-- Group by executor_variant or executor instead: replace `model` in `s`.
-- Order: score descending (null last), then key.
-- (duckdb dialect: only the building of the flags array differs from the other engine's.)
WITH
p AS (SELECT 0.1 AS w_cost, 0.02 AS w_errors, 0.3 AS high_retry_rate,
             0.5 AS dominant_share, 5 AS dominant_min_errors),
s AS (SELECT coalesce(model, 'unknown') AS group_key, attempt_id, success, first_shot_success,
             attempts, errors, cost_nanos, estimated_cost_nanos, total_tokens
      FROM sessions),
-- per session, its errors for the dominant share: the larger of its count and its categories' sum
sc AS (SELECT attempt_id, sum(count) AS cat_sum FROM session_categories GROUP BY attempt_id),
g AS (
  SELECT
    s.group_key AS group_key,
    count(*) AS sessions,
    CASE WHEN count(s.success) > 0
         THEN sum(CASE WHEN s.success THEN 1 ELSE 0 END) / count(s.success) END AS success_rate,
    count(s.success) AS success_n,
    sum(CASE WHEN s.success THEN 1 ELSE 0 END) AS successes,
    CASE WHEN count(s.first_shot_success) > 0
         THEN sum(CASE WHEN s.first_shot_success THEN 1 ELSE 0 END) / count(s.first_shot_success) END AS first_shot_rate,
    count(s.first_shot_success) AS first_shot_n,
    CASE WHEN count(s.cost_nanos) > 0 THEN CAST(sum(s.cost_nanos) AS DOUBLE) / 1e9 / count(s.cost_nanos) END AS avg_cost_usd,
    count(s.cost_nanos) AS cost_n,
    sum(s.errors) AS errors,
    CAST(sum(s.errors) AS DOUBLE) / count(*) AS avg_errors,
    sum(CASE WHEN s.attempts > 1 THEN 1 ELSE 0 END) / count(*) AS retry_rate,
    count(*) AS retry_n,
    CASE WHEN count(s.cost_nanos) > 0 THEN CAST(sum(s.cost_nanos) AS DOUBLE) / 1e9 END AS total_cost_usd,
    CASE WHEN count(s.estimated_cost_nanos) > 0 THEN CAST(sum(s.estimated_cost_nanos) AS DOUBLE) / 1e9 END AS estimated_cost_usd,
    count(s.estimated_cost_nanos) AS estimated_n,
    sum(s.total_tokens) AS total_tokens,
    count(s.total_tokens) AS tokens_n,
    sum(CASE WHEN coalesce(sc.cat_sum, 0) > s.errors THEN coalesce(sc.cat_sum, 0) ELSE s.errors END) AS flag_errors
  FROM s LEFT JOIN sc ON sc.attempt_id = s.attempt_id
  GROUP BY s.group_key),
-- each group's most frequent canonical category (ties by name), if it dominates
c AS (
  SELECT group_key, category, n,
         row_number() OVER (PARTITION BY group_key ORDER BY n DESC, category) AS rank
  FROM (SELECT s.group_key AS group_key, sc2.category AS category, sum(sc2.count) AS n
        FROM session_categories AS sc2 JOIN s ON s.attempt_id = sc2.attempt_id
        GROUP BY s.group_key, sc2.category) AS per_category),
d AS (
  SELECT g.group_key AS group_key, c.category AS dominant
  FROM g JOIN c ON c.group_key = g.group_key CROSS JOIN p
  WHERE c.rank = 1 AND g.flag_errors > 0 AND g.flag_errors >= p.dominant_min_errors
    AND c.n >= p.dominant_share * g.flag_errors)
SELECT
  g.group_key AS key, g.sessions AS sessions, g.success_rate AS success_rate, g.success_n AS success_n,
  g.first_shot_rate AS first_shot_rate, g.first_shot_n AS first_shot_n,
  g.avg_cost_usd AS avg_cost_usd, g.cost_n AS cost_n, g.errors AS errors, g.avg_errors AS avg_errors,
  g.retry_rate AS retry_rate, g.retry_n AS retry_n, g.total_cost_usd AS total_cost_usd,
  g.estimated_cost_usd AS estimated_cost_usd, g.estimated_n AS estimated_n,
  g.total_tokens AS total_tokens, g.tokens_n AS tokens_n,
  CASE WHEN g.cost_n > 0 AND g.successes > 0 THEN g.total_cost_usd / g.successes END AS cost_per_success,
  g.success_rate - p.w_cost * coalesce(g.avg_cost_usd, 0) - p.w_errors * coalesce(g.avg_errors, 0) AS score,
  g.cost_n > 0 AS cost_term_known,
  list_concat(
    CASE WHEN g.retry_rate > p.high_retry_rate THEN ['high_retry_rate'] ELSE CAST([] AS VARCHAR[]) END,
    CASE WHEN d.dominant IS NOT NULL THEN ['dominant_error_category'] ELSE CAST([] AS VARCHAR[]) END) AS flags,
  d.dominant AS dominant_error_category
FROM g CROSS JOIN p LEFT JOIN d ON d.group_key = g.group_key
ORDER BY score IS NULL, score DESC, key
