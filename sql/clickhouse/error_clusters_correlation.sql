-- error_clusters.correlation: per fingerprint (absent: `unknown`), its count, its errors per
-- executor and per model (the session's, else the event's own; absent: `unknown`; by count
-- descending, then name), the first 12 of its tasks by name and their number, its sessions and
-- their mean duration (over those with one).
-- Order: count descending, then fingerprint. (clickhouse dialect: arrays of tuples, sorted and sliced.)
WITH
e AS (SELECT coalesce(fingerprint, 'unknown') AS fp, task_key, attempt_id, in_session,
             coalesce(session_executor, 'unknown') AS ex, coalesce(session_model, 'unknown') AS mo
      FROM errors),
totals AS (SELECT fp, count(*) AS n FROM e GROUP BY fp),
by_ex AS (SELECT fp, arrayMap(x -> (x.1, x.2), arraySort(x -> (-x.2, x.1), groupArray((name, n)))) AS by_executor
          FROM (SELECT fp, ex AS name, count(*) AS n FROM e GROUP BY fp, ex) AS x GROUP BY fp),
by_mo AS (SELECT fp, arrayMap(x -> (x.1, x.2), arraySort(x -> (-x.2, x.1), groupArray((name, n)))) AS by_model
          FROM (SELECT fp, mo AS name, count(*) AS n FROM e GROUP BY fp, mo) AS x GROUP BY fp),
tasks AS (SELECT fp, arraySlice(arraySort(groupArray(task_key)), 1, 12) AS task_list, count(*) AS tasks_total
          FROM (SELECT DISTINCT fp, task_key FROM e) AS x GROUP BY fp),
sess AS (SELECT x.fp AS fp, count(*) AS n_sessions,
                CASE WHEN count(s.duration_ms) > 0 THEN CAST(sum(s.duration_ms) AS DOUBLE) / count(s.duration_ms) END AS avg_ms,
                count(s.duration_ms) AS duration_n
         FROM (SELECT DISTINCT fp, attempt_id FROM e WHERE in_session) AS x
           JOIN sessions AS s ON s.attempt_id = x.attempt_id
         GROUP BY x.fp)
SELECT
  totals.fp AS fingerprint,
  totals.n AS count,
  by_ex.by_executor AS by_executor,
  by_mo.by_model AS by_model,
  tasks.task_list AS tasks,
  tasks.tasks_total AS tasks_total,
  coalesce(sess.n_sessions, 0) AS sessions,
  sess.avg_ms AS avg_session_duration_ms,
  coalesce(sess.duration_n, 0) AS duration_n
FROM totals
  JOIN by_ex ON by_ex.fp = totals.fp
  JOIN by_mo ON by_mo.fp = totals.fp
  JOIN tasks ON tasks.fp = totals.fp
  LEFT JOIN sess ON sess.fp = totals.fp
ORDER BY count DESC, fingerprint
