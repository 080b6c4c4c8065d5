-- alerts.by_executor: the recorded alerts per executor (the alert's own, else its session's;
-- absent: `unknown`) and type. Order: executor, then type.
SELECT ex AS executor, t AS type, count(*) AS count
FROM (SELECT coalesce(a.executor, s.executor, 'unknown') AS ex, coalesce(a.type, 'unknown') AS t
      FROM alerts AS a LEFT JOIN sessions AS s ON s.attempt_id = a.attempt_id) AS x
GROUP BY ex, t
ORDER BY executor, type
