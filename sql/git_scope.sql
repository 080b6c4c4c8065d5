-- git.scope: lines changed (added + deleted, where either is known) against sessions and
-- attempts per task — its task_id as given: sessions without one and a literal `(no task)` are two
-- rows here, both named `(no task)`, the one without first — for tasks with a known line count.
-- Order: task, then that.
SELECT task_key AS task_id, count(*) AS sessions, sum(attempts) AS attempts,
       coalesce(sum(lines), 0) AS lines_changed, count(lines) AS lines_n
FROM (SELECT task_key, CASE WHEN task_id IS NULL THEN 0 ELSE 1 END AS given, attempts,
             CASE WHEN diff_lines_added IS NULL AND diff_lines_deleted IS NULL THEN NULL
                  ELSE coalesce(diff_lines_added, 0) + coalesce(diff_lines_deleted, 0) END AS lines
      FROM sessions) AS s
GROUP BY task_key, given
HAVING count(lines) > 0
ORDER BY task_key, given
