-- task_risk.rows: per task (task_id; sessions without one are the task `(no task)`): sessions,
-- attempts, completed (any successful session), tool failures, its canonical error categories
-- (count of errors, sessions having them; sorted by name), the repeated ones (in >= 2 sessions or
-- >= 3 times), executors in the order of their first session, and
--   risk = (attempts − 1) + tool_failures / 5 + 2 × |repeated_categories| + (3 if not completed)
-- with its reasons (category reasons when the category appears at all; too_complex;
-- executor_switching) in that order.
-- Order: risk descending, then task_id.
-- (clickhouse dialect: the lists. ClickHouse: arrays of tuples sorted with arraySort; a LEFT JOIN gives an empty array where nothing matched.)
WITH
-- a task's sessions in order: by start (unknown last), then attempt id
ordered AS (
  SELECT task_key, attempt_id, task_title, executor, attempts, tool_failures, success,
         row_number() OVER (PARTITION BY task_key ORDER BY start_ms IS NULL, start_ms, attempt_id) AS pos
  FROM sessions),
t AS (
  SELECT task_key, count(*) AS n_sessions, sum(attempts) AS n_attempts,
         max(CASE WHEN success THEN 1 ELSE 0 END) = 1 AS is_completed,
         sum(tool_failures) AS n_tool_failures
  FROM ordered GROUP BY task_key),
title AS (
  SELECT task_key, task_title FROM (
    SELECT task_key, task_title, row_number() OVER (PARTITION BY task_key ORDER BY pos) AS r
    FROM ordered WHERE task_title IS NOT NULL) AS x
  WHERE r = 1),
-- executors in the order of their first session (a session without one adds none)
ex AS (SELECT task_key, executor, min(pos) AS first_pos FROM ordered
       WHERE executor IS NOT NULL GROUP BY task_key, executor),
ex_n AS (SELECT task_key, count(*) AS n_executors FROM ex GROUP BY task_key),
-- canonical categories: errors (count) and sessions having them; repeated when in >= 2 sessions or >= 3 times
cats AS (
  SELECT o.task_key AS task_key, c.category AS category, sum(c.count) AS n, count(*) AS m
  FROM session_categories AS c JOIN ordered AS o ON o.attempt_id = c.attempt_id
  WHERE c.count > 0
  GROUP BY o.task_key, c.category),
rep_n AS (SELECT task_key, count(*) AS n_repeated FROM cats WHERE m >= 2 OR n >= 3 GROUP BY task_key),
risk AS (
  SELECT t.task_key AS task_key,
         (t.n_attempts - 1) + t.n_tool_failures / 5.0 + 2 * coalesce(rep_n.n_repeated, 0)
           + CASE WHEN t.is_completed THEN 0 ELSE 3 END AS value
  FROM t LEFT JOIN rep_n ON rep_n.task_key = t.task_key),
reason_kinds AS (
  SELECT 0 AS ord, 'dependency' AS code, 'dependency' AS member,
         'The task''s sessions hit dependency errors.' AS sentence, 'Inject dependency setup into the task.' AS action
  UNION ALL SELECT 1, 'auth', 'auth', 'The task''s sessions hit auth or API key errors.', 'Add environment and auth instructions.'
  UNION ALL SELECT 1, 'auth', 'api_key', 'The task''s sessions hit auth or API key errors.', 'Add environment and auth instructions.'
  UNION ALL SELECT 2, 'context_window', 'context_window', 'The task''s sessions ran out of context window.', 'Split the task into smaller tasks.'
  UNION ALL SELECT 3, 'test', 'test', 'The task''s sessions hit test errors.', 'Add test setup or test data.'
  UNION ALL SELECT 4, 'build', 'build', 'The task''s sessions hit build errors.', 'Add build configuration.'),
reasons AS (
  SELECT cats.task_key AS task_key, k.ord AS ord, k.code AS code, sum(cats.n) AS n, k.sentence AS sentence, k.action AS action
  FROM cats JOIN reason_kinds AS k ON k.member = cats.category
  GROUP BY cats.task_key, k.ord, k.code, k.sentence, k.action
  UNION ALL
  SELECT task_key, 5, 'too_complex', n_attempts,
         'Three or more attempts and no successful session: the task is too complex or under-specified.',
         'Split the task or specify it further.'
  FROM t WHERE n_attempts >= 3 AND NOT is_completed
  UNION ALL
  SELECT task_key, 6, 'executor_switching', n_executors, 'The task switched between executors.',
         'Pin the task to one executor suited to it.'
  FROM ex_n WHERE n_executors > 1),
cat_list AS (SELECT task_key,
                          arrayMap(x -> (x.1, x.2, x.3), arraySort(x -> x.1, groupArray((category, n, m)))) AS error_categories,
                          arraySort(groupArrayIf(category, m >= 2 OR n >= 3)) AS repeated_categories
             FROM cats GROUP BY task_key),
ex_list AS (SELECT task_key, arrayMap(x -> x.2, arraySort(groupArray((first_pos, executor)))) AS executors FROM ex GROUP BY task_key),
reason_list AS (SELECT task_key, arrayMap(x -> (x.2, x.3, x.4, x.5), arraySort(x -> x.1, groupArray((ord, code, n, sentence, action)))) AS reasons
                FROM reasons GROUP BY task_key)
SELECT
  t.task_key AS task_id,
  title.task_title AS task_title,
  t.n_sessions AS sessions,
  t.n_attempts AS attempts,
  t.is_completed AS completed,
  t.n_tool_failures AS tool_failures,
  cat_list.error_categories AS error_categories,
  cat_list.repeated_categories AS repeated_categories,
  ex_list.executors AS executors,
  risk.value AS risk,
  reason_list.reasons AS reasons
FROM t
  JOIN risk ON risk.task_key = t.task_key
  LEFT JOIN title ON title.task_key = t.task_key
  LEFT JOIN cat_list ON cat_list.task_key = t.task_key
  LEFT JOIN ex_list ON ex_list.task_key = t.task_key
  LEFT JOIN reason_list ON reason_list.task_key = t.task_key
ORDER BY risk DESC, task_id
