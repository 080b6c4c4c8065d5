-- guardrails.rows: among failed sessions (success = false), per guardrail category, executor and
-- model (absent: `unknown`), the failed sessions whose canonical error categories include it (at
-- least one error of it; for permission_wait also a rollup counting a denied permission request),
-- their share of that executor and model's failed sessions and their error events.
-- Order: category (permission_wait, auth, content_policy), failed_sessions descending, executor, model.
WITH
cat AS (SELECT 0 AS ord, 'permission_wait' AS category, 'Add preflight checks before dispatch.' AS remedy
        UNION ALL SELECT 1, 'auth', 'Update environment instructions.'
        UNION ALL SELECT 2, 'content_policy', 'Add prompt guardrails.'),
f AS (SELECT attempt_id, coalesce(executor, 'unknown') AS ex, coalesce(model, 'unknown') AS mo,
             coalesce(permission_denied, 0) AS denied
      FROM sessions WHERE success = false),
n AS (SELECT ex, mo, count(*) AS failed FROM f GROUP BY ex, mo),
hits AS (
  SELECT c.ord AS ord, c.category AS category, c.remedy AS remedy, f.ex AS ex, f.mo AS mo,
         coalesce(sc.count, 0) AS events
  FROM f CROSS JOIN cat AS c
  LEFT JOIN session_categories AS sc ON sc.attempt_id = f.attempt_id AND sc.category = c.category
  WHERE coalesce(sc.count, 0) > 0 OR (c.category = 'permission_wait' AND f.denied > 0))
SELECT
  h.category AS category, h.ex AS executor, h.mo AS model,
  count(*) AS failed_sessions,
  count(*) / min(n.failed) AS share,
  min(n.failed) AS share_n,
  sum(h.events) AS error_events,
  h.remedy AS remedy
FROM hits AS h JOIN n ON n.ex = h.ex AND n.mo = h.mo
GROUP BY h.ord, h.category, h.remedy, h.ex, h.mo
ORDER BY min(h.ord), failed_sessions DESC, executor, model
