-- git.hot_files: files named in a diff_summary or in the file_path of edit/write tool calls, by
-- the number of tasks touching them (a task as given: see git_scope.sql), with the failure rate
-- of those tasks (a task fails when none of its sessions succeeded and one has a known outcome;
-- a task with no known outcome is not in the rate's n). The first 50, by tasks descending, then file.
WITH
s AS (SELECT attempt_id, CASE WHEN task_id IS NULL THEN 0 ELSE 1 END AS given,
             coalesce(task_id, '') AS task, success
      FROM sessions),
tasks AS (SELECT given, task, count(success) > 0 AS known,
                 max(CASE WHEN success THEN 1 ELSE 0 END) = 0 AS failed
          FROM s GROUP BY given, task),
touched AS (SELECT DISTINCT f.file AS file, s.given AS given, s.task AS task
            FROM session_files AS f JOIN s ON s.attempt_id = f.attempt_id)
SELECT touched.file AS file,
       count(*) AS tasks,
       sum(CASE WHEN tasks.known AND tasks.failed THEN 1 ELSE 0 END) AS failed_tasks,
       CASE WHEN sum(CASE WHEN tasks.known THEN 1 ELSE 0 END) > 0
            THEN sum(CASE WHEN tasks.known AND tasks.failed THEN 1 ELSE 0 END)
                 / sum(CASE WHEN tasks.known THEN 1 ELSE 0 END) END AS failure_rate,
       sum(CASE WHEN tasks.known THEN 1 ELSE 0 END) AS failure_n
FROM touched JOIN tasks ON tasks.given = touched.given AND tasks.task = touched.task
GROUP BY touched.file
ORDER BY tasks DESC, file
LIMIT 50
