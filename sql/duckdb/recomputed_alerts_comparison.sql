-- alerts.comparison: per alert type (the seven of the current rules in order, then any other
-- recorded type by name) the recorded and recomputed alerts, and the share of failed sessions
-- among the distinct sessions with an alert of it whose success is known. The recomputed alerts
-- are those of recomputed_alerts.sql (the same replay, repeated here). (duckdb dialect: as there.)
WITH RECURSIVE ev AS (
  SELECT attempt_id, session_seq AS seq, ts_ms AS t, event_type, tool_name, prompt_type,
         completion_status, cost_usd, fingerprint, transient,
         coalesce(sum(CASE WHEN event_type = 'session_end' THEN 1 ELSE 0 END)
           OVER (PARTITION BY attempt_id ORDER BY session_seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS seg,
         lag(ts_ms) OVER (PARTITION BY attempt_id ORDER BY session_seq) AS prev_t,
         coalesce(lag(event_type) OVER (PARTITION BY attempt_id ORDER BY session_seq), '') AS prev_type
  FROM events
  WHERE session_seq IS NOT NULL AND ts_ms IS NOT NULL
),
errs AS (
  SELECT attempt_id, seq, t, seg, coalesce(fingerprint, 'unknown') AS k, transient FROM ev WHERE transient IS NOT NULL
),
calls AS (
  SELECT attempt_id, seq, t, seg, coalesce(tool_name, 'unknown') AS k FROM ev WHERE event_type = 'tool_call'
),
-- per error / call: the keys at the threshold within the window before it (inclusive), by first appearance
err_win AS (
  SELECT e.attempt_id AS attempt_id, e.seq AS seq, e.t AS t, x.k AS k, count(*) AS n, min(x.seq) AS first_seq
  FROM errs AS e JOIN errs AS x ON x.attempt_id = e.attempt_id AND x.seg = e.seg
  WHERE x.seq <= e.seq AND x.t >= e.t - 600000
  GROUP BY e.attempt_id, e.seq, e.t, x.k
  HAVING count(*) >= 4
),
call_win AS (
  SELECT e.attempt_id AS attempt_id, e.seq AS seq, e.t AS t, x.k AS k, count(*) AS n, min(x.seq) AS first_seq
  FROM calls AS e JOIN calls AS x ON x.attempt_id = e.attempt_id AND x.seg = e.seg
  WHERE x.seq <= e.seq AND x.t >= e.t - 60000
  GROUP BY e.attempt_id, e.seq, e.t, x.k
  HAVING count(*) >= 10
),
seg_errs AS (
  SELECT attempt_id, seg, count(*) AS n, sum(CASE WHEN transient THEN 0 ELSE 1 END) AS not_transient
  FROM errs GROUP BY attempt_id, seg
),
cand AS (
  SELECT attempt_id, seq, t, 'error_loop' AS type,
         'error ' || k || ' ' || CAST(n AS VARCHAR) || ' times within 600000 ms' AS detail
  FROM (SELECT *, row_number() OVER (PARTITION BY attempt_id, seq ORDER BY first_seq) AS r FROM err_win) AS w
  WHERE r = 1
  UNION ALL
  SELECT attempt_id, seq, t, 'tool_loop',
         'tool ' || k || ' called ' || CAST(n AS VARCHAR) || ' times within 60000 ms'
  FROM (SELECT *, row_number() OVER (PARTITION BY attempt_id, seq ORDER BY first_seq) AS r FROM call_win) AS w
  WHERE r = 1
  UNION ALL
  SELECT attempt_id, seq, t, 'excessive_restarts', CAST(n AS VARCHAR) || ' restarts (followup/retry)'
  FROM (SELECT attempt_id, seq, t,
               count(*) OVER (PARTITION BY attempt_id, seg ORDER BY seq ROWS UNBOUNDED PRECEDING) AS n
        FROM ev WHERE prompt_type IN ('followup', 'retry')) AS r
  WHERE n >= 3
  UNION ALL
  SELECT attempt_id, seq, t, 'cost_anomaly',
         'session cost ' || CASE WHEN cost_usd = floor(cost_usd) AND abs(cost_usd) < 1e15
                                 THEN CAST(CAST(cost_usd AS BIGINT) AS VARCHAR) ELSE CAST(cost_usd AS VARCHAR) END
         || ' USD > 1 USD'
  FROM ev WHERE event_type = 'session_end' AND cost_usd > 1.0
  UNION ALL
  SELECT ev.attempt_id, ev.seq, ev.t,
         CASE WHEN s.not_transient = 0 THEN 'failed_session_transient_errors' ELSE 'failed_session_high_errors' END,
         'failed with ' || CAST(s.n AS VARCHAR) || ' errors'
           || CASE WHEN s.not_transient = 0 THEN ', every fingerprint transient' ELSE '' END
  FROM ev JOIN seg_errs AS s ON s.attempt_id = ev.attempt_id AND s.seg = ev.seg
  WHERE ev.event_type = 'session_end' AND ev.completion_status = 'failed' AND s.n >= 4
  UNION ALL
  SELECT attempt_id, seq, prev_t + 300000, 'stuck_agent',
         'idle ' || CAST(t - prev_t AS VARCHAR) || ' ms (threshold 300000 ms)'
  FROM ev WHERE prev_t IS NOT NULL AND prev_type <> 'session_end' AND t - prev_t >= 300000
),
-- the cooldown group: the attempt, or for the task-keyed types the task
keyed AS (
  SELECT c.*, s.task_id, s.executor,
         CASE WHEN c.type IN ('failed_session_high_errors', 'failed_session_transient_errors', 'stuck_agent')
              THEN CASE WHEN regexp_matches(coalesce(s.task_id, c.attempt_id), '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(-|$)')
                        THEN substr(coalesce(s.task_id, c.attempt_id), 1, 36) ELSE coalesce(s.task_id, c.attempt_id) END
              ELSE c.attempt_id END AS grp,
         CASE c.type WHEN 'failed_session_high_errors' THEN 3600000
                     WHEN 'failed_session_transient_errors' THEN 7200000 ELSE 300000 END AS cd
  FROM cand AS c JOIN sessions AS s ON s.attempt_id = c.attempt_id
),
numbered AS (
  SELECT *, row_number() OVER (PARTITION BY type, grp ORDER BY t, attempt_id, seq) AS rn FROM keyed
),
-- walk each group in order: kept when no kept alert of the group is less than cd older
walk AS (
  SELECT type, grp, rn, t AS last_t, true AS keep FROM numbered WHERE rn = 1
  UNION ALL
  SELECT n.type, n.grp, n.rn,
         CASE WHEN n.t - w.last_t >= n.cd THEN n.t ELSE w.last_t END,
         n.t - w.last_t >= n.cd
  FROM walk AS w JOIN numbered AS n ON n.type = w.type AND n.grp = w.grp AND n.rn = w.rn + 1
),
rec AS (
  SELECT n.type AS type, n.attempt_id AS attempt_id
  FROM numbered AS n JOIN walk AS w ON w.type = n.type AND w.grp = n.grp AND w.rn = n.rn
  WHERE w.keep
),
recomputed AS (
  SELECT r.type AS type, count(*) AS alerts FROM rec AS r GROUP BY r.type
),
-- per type: the distinct sessions with an alert of it (recorded, recomputed) and their success
rec_sessions AS (
  SELECT DISTINCT r.type AS type, s.attempt_id AS attempt_id, s.success AS success
  FROM rec AS r JOIN sessions AS s ON s.attempt_id = r.attempt_id
),
recorded AS (
  SELECT kind AS type, count(*) AS alerts
  FROM (SELECT coalesce(a.type, 'unknown') AS kind FROM alerts AS a) AS x GROUP BY kind
),
recorded_sessions AS (
  SELECT DISTINCT coalesce(a.type, 'unknown') AS type, s.attempt_id AS attempt_id, s.success AS success
  FROM alerts AS a JOIN sessions AS s ON s.attempt_id = a.attempt_id
),
rec_failed AS (
  SELECT type, count(success) AS n, sum(CASE WHEN success THEN 0 ELSE 1 END) AS failed
  FROM rec_sessions WHERE success IS NOT NULL GROUP BY type
),
recorded_failed AS (
  SELECT type, count(success) AS n, sum(CASE WHEN success THEN 0 ELSE 1 END) AS failed
  FROM recorded_sessions WHERE success IS NOT NULL GROUP BY type
),
-- the seven types of the current rules in their order, then any other recorded type by name
kinds AS (
  SELECT 'error_loop' AS type, 0 AS ord UNION ALL SELECT 'tool_loop', 1 UNION ALL SELECT 'excessive_restarts', 2
  UNION ALL SELECT 'cost_anomaly', 3 UNION ALL SELECT 'failed_session_high_errors', 4 UNION ALL SELECT 'stuck_agent', 5
  UNION ALL SELECT 'failed_session_transient_errors', 6
  UNION ALL
  SELECT type, 7 FROM recorded
  WHERE type NOT IN ('error_loop', 'tool_loop', 'excessive_restarts', 'cost_anomaly', 'failed_session_high_errors',
                     'stuck_agent', 'failed_session_transient_errors')
)
SELECT
  k.type AS type,
  coalesce(ra.alerts, 0) AS recorded,
  coalesce(ca.alerts, 0) AS recomputed,
  CASE WHEN coalesce(rf.n, 0) > 0 THEN CAST(rf.failed AS DOUBLE) / rf.n END AS recorded_failed_rate,
  coalesce(rf.n, 0) AS recorded_failed_n,
  CASE WHEN coalesce(cf.n, 0) > 0 THEN CAST(cf.failed AS DOUBLE) / cf.n END AS recomputed_failed_rate,
  coalesce(cf.n, 0) AS recomputed_failed_n
FROM kinds AS k
LEFT JOIN recorded AS ra ON ra.type = k.type
LEFT JOIN recomputed AS ca ON ca.type = k.type
LEFT JOIN recorded_failed AS rf ON rf.type = k.type
LEFT JOIN rec_failed AS cf ON cf.type = k.type
ORDER BY k.ord, k.type
