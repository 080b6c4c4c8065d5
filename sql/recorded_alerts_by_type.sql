-- alerts.by_type: the recorded alerts per type and severity (absent: `unknown`).
-- Order: type, then severity.
SELECT t AS type, sev AS severity, count(*) AS count
FROM (SELECT coalesce(type, 'unknown') AS t, coalesce(severity, 'unknown') AS sev FROM alerts) AS a
GROUP BY t, sev
ORDER BY type, severity
