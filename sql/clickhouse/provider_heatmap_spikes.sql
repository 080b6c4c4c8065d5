-- provider_heatmap.spikes: for rate_limit, api_error and model_error, the error events per
-- executor per UTC hour over the loaded range (the first to the last error event's hour; hours
-- without events count 0). An hour is a spike when its count is >= 3 and >= mean + 3 × the
-- (population) standard deviation of its executor-category series. The thresholds are the
-- defaults (spike_min_count, spike_sigma): change `p` to match a --params file.
-- Order: hour, executor, category. (clickhouse dialect: only the ISO hour differs.)
WITH
p0 AS (SELECT 3 AS min_count, 3.0 AS sigma),
e AS (SELECT coalesce(executor, 'unknown') AS ex, category,
             CAST(floor(ts_ms / 3600000.0) AS BIGINT) AS hour
      FROM errors WHERE ts_ms IS NOT NULL),
span AS (SELECT max(hour) - min(hour) + 1 AS n_hours FROM e),
points AS (SELECT ex, category, hour, count(*) AS c FROM e
           WHERE category IN ('rate_limit', 'api_error', 'model_error')
           GROUP BY ex, category, hour),
series AS (
  SELECT points.ex AS ex, points.category AS category,
         CAST(sum(points.c) AS DOUBLE) / min(span.n_hours) AS mean,
         count(*) AS n_points, min(span.n_hours) AS n_hours
  FROM points CROSS JOIN span GROUP BY points.ex, points.category),
sd AS (
  SELECT series.ex AS ex, series.category AS category, series.mean AS mean,
         sqrt((sum((points.c - series.mean) * (points.c - series.mean))
               + (min(series.n_hours) - min(series.n_points)) * series.mean * series.mean)
              / min(series.n_hours)) AS std_dev
  FROM series JOIN points ON points.ex = series.ex AND points.category = series.category
  GROUP BY series.ex, series.category, series.mean)
SELECT
  p.ex AS executor, p.category AS error_category, concat(replaceOne(toString(fromUnixTimestamp64Milli(p.hour * 3600000, 'UTC')), ' ', 'T'), 'Z') AS hour,
  p.c AS count, sd.mean AS mean, sd.std_dev AS std_dev
FROM points AS p JOIN sd ON sd.ex = p.ex AND sd.category = p.category CROSS JOIN p0
WHERE p.c >= p0.min_count AND p.c >= sd.mean + p0.sigma * sd.std_dev
ORDER BY p.hour, executor, error_category
