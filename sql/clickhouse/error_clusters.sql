-- error_clusters.rows: per error_fingerprint (absent: `unknown`), its count, the distinct tasks
-- and attempts, first and last seen, its canonical and recorded categories (sorted) and a sample
-- message (the earliest event's; ties by message; events without a time after those with one).
-- Order: count descending, then fingerprint.
-- (clickhouse dialect: ISO timestamps and sorted distinct lists differ from the other engine's.)
WITH
e AS (SELECT coalesce(fingerprint, 'unknown') AS fp, task_key, attempt_id, ts_ms, category,
             recorded_category, message
      FROM errors),
sample AS (
  SELECT fp, message FROM (
    SELECT fp, message,
           row_number() OVER (PARTITION BY fp ORDER BY ts_ms IS NULL, ts_ms, message) AS rank
    FROM e WHERE message IS NOT NULL) AS ranked
  WHERE rank = 1)
SELECT
  e.fp AS fingerprint,
  count(*) AS count,
  count(DISTINCT e.task_key) AS tasks,
  count(DISTINCT e.attempt_id) AS attempts,
  CASE WHEN count(e.ts_ms) > 0 THEN concat(replaceOne(toString(fromUnixTimestamp64Milli(min(e.ts_ms), 'UTC')), ' ', 'T'), 'Z') END AS first_seen,
  CASE WHEN count(e.ts_ms) > 0 THEN concat(replaceOne(toString(fromUnixTimestamp64Milli(max(e.ts_ms), 'UTC')), ' ', 'T'), 'Z') END AS last_seen,
  arraySort(groupUniqArray(e.category)) AS categories,
  arraySort(groupUniqArray(e.recorded_category)) AS recorded_categories,
  min(sample.message) AS sample_message
FROM e LEFT JOIN sample ON sample.fp = e.fp
GROUP BY e.fp
ORDER BY count DESC, fingerprint
