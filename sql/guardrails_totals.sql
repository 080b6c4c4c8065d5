-- guardrails.totals: per guardrail category (every one, in the order permission_wait, auth,
-- content_policy), the failed sessions whose canonical categories include it (see
-- guardrails.sql), their share of all failed sessions (null when none failed), their error events.
WITH
cat AS (SELECT 0 AS ord, 'permission_wait' AS category, 'Add preflight checks before dispatch.' AS remedy
        UNION ALL SELECT 1, 'auth', 'Update environment instructions.'
        UNION ALL SELECT 2, 'content_policy', 'Add prompt guardrails.'),
f AS (SELECT attempt_id, coalesce(permission_denied, 0) AS denied FROM sessions WHERE success = false),
hits AS (
  SELECT c.ord AS ord, count(*) AS n_sessions, sum(coalesce(sc.count, 0)) AS n_events
  FROM f CROSS JOIN cat AS c
  LEFT JOIN session_categories AS sc ON sc.attempt_id = f.attempt_id AND sc.category = c.category
  WHERE coalesce(sc.count, 0) > 0 OR (c.category = 'permission_wait' AND f.denied > 0)
  GROUP BY c.ord),
total AS (SELECT count(*) AS failed FROM f)
SELECT
  cat.category AS category,
  coalesce(hits.n_sessions, 0) AS failed_sessions,
  CASE WHEN total.failed > 0 THEN coalesce(hits.n_sessions, 0) / total.failed END AS share,
  total.failed AS share_n,
  coalesce(hits.n_events, 0) AS error_events,
  cat.remedy AS remedy
FROM cat CROSS JOIN total LEFT JOIN hits ON hits.ord = cat.ord
ORDER BY cat.ord
