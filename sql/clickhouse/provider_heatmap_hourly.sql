-- provider_heatmap.hourly, one row per point: for rate_limit, api_error and model_error, the
-- non-zero error events per executor and UTC hour (timestamped errors only). The report nests
-- the points in one series per (executor, category); the check flattens it.
-- Order: executor, category, hour. (clickhouse dialect: only the ISO hour differs.)
WITH
e AS (SELECT coalesce(executor, 'unknown') AS ex, category,
             CAST(floor(ts_ms / 3600000.0) AS BIGINT) AS hour
      FROM errors WHERE ts_ms IS NOT NULL AND category IN ('rate_limit', 'api_error', 'model_error')),
points AS (SELECT ex, category, hour, count(*) AS c FROM e GROUP BY ex, category, hour)
SELECT ex AS executor, category AS error_category, concat(replaceOne(toString(fromUnixTimestamp64Milli(hour * 3600000, 'UTC')), ' ', 'T'), 'Z') AS hour, c AS count
FROM points
ORDER BY executor, error_category, points.hour
