-- executors.by_day: sessions and success rate per day of start (the time zone in force at
-- export: `start_day`) and executor; sessions without a start take no part.
-- Order: day, then executor.
SELECT
  start_day AS day,
  executor_key AS executor,
  count(*) AS sessions,
  CASE WHEN count(success) > 0
       THEN sum(CASE WHEN success THEN 1 ELSE 0 END) / count(success) END AS success_rate,
  count(success) AS success_n
FROM (SELECT start_day, coalesce(executor, 'unknown') AS executor_key, success
      FROM sessions WHERE start_ms IS NOT NULL) AS s
GROUP BY start_day, executor_key
ORDER BY day, executor
