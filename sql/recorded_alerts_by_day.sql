-- alerts.by_day: the recorded alerts per day (the time zone in force at export) and type;
-- alerts without a time take no part. Order: day, then type.
SELECT d AS day, t AS type, count(*) AS count
FROM (SELECT day AS d, coalesce(type, 'unknown') AS t FROM alerts WHERE ts_ms IS NOT NULL) AS a
GROUP BY d, t
ORDER BY day, type
