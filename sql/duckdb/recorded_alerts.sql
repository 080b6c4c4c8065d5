-- alerts.rows: the recorded alerts, with the alert's executor and task, else its session's.
-- Order: time (none last), type, attempt, severity, then read order. (duckdb dialect: ISO time.)
SELECT
  CASE WHEN a.ts_ms IS NOT NULL THEN strftime(epoch_ms(a.ts_ms), '%Y-%m-%dT%H:%M:%S.%gZ') END AS time,
  coalesce(a.type, 'unknown') AS type,
  coalesce(a.severity, 'unknown') AS severity,
  coalesce(a.executor, s.executor) AS executor,
  a.attempt_id AS attempt_id,
  coalesce(a.task_id, s.task_id) AS task_id,
  a.cooldown_key AS cooldown_key,
  a.occurrences AS occurrences
FROM alerts AS a LEFT JOIN sessions AS s ON s.attempt_id = a.attempt_id
ORDER BY a.ts_ms IS NULL, a.ts_ms, coalesce(a.type, ''), coalesce(a.attempt_id, ''),
         coalesce(a.severity, ''), a.alert_id
