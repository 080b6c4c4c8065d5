-- summary: the headline counts after de-duplication and filtering (clickhouse dialect: only the
-- ISO 8601 formatting of the first and last timestamps differs from the other engine's).
SELECT
  src.files, src.lines, ev.events, mr.metrics_rows, al.alerts, s.sessions, s.tasks,
  dg.duplicate_lines, mr.superseded_rows, src.skipped_lines, dg.field_warnings,
  span.first_timestamp, span.last_timestamp,
  s.success_rate, s.success_n, s.first_shot_rate, s.first_shot_n,
  s.total_cost_usd, s.cost_n, s.estimated_cost_usd, s.estimated_cost_n,
  s.total_tokens, s.input_tokens, s.cached_input_tokens, s.cache_read_tokens,
  s.cache_creation_tokens, s.output_tokens, er.error_events
FROM
  (SELECT count(*) AS files, sum(lines) AS lines, sum(skipped) AS skipped_lines FROM sources) AS src
  CROSS JOIN (SELECT count(*) AS events FROM events) AS ev
  CROSS JOIN (SELECT count(*) AS metrics_rows,
                     sum(CASE WHEN superseded THEN 1 ELSE 0 END) AS superseded_rows FROM metrics_rows) AS mr
  CROSS JOIN (SELECT count(*) AS alerts FROM alerts) AS al
  CROSS JOIN (SELECT count(*) AS error_events FROM errors) AS er
  CROSS JOIN (SELECT
                sum(CASE WHEN kind = 'duplicate_lines' THEN count ELSE 0 END) AS duplicate_lines,
                sum(CASE WHEN kind = 'field_warning' THEN count ELSE 0 END) AS field_warnings
              FROM diagnostics) AS dg
  CROSS JOIN (SELECT
                count(*) AS sessions,
                count(DISTINCT task_key) AS tasks,
                CASE WHEN count(success) > 0
                     THEN sum(CASE WHEN success THEN 1 ELSE 0 END) / count(success) END AS success_rate,
                count(success) AS success_n,
                CASE WHEN count(first_shot_success) > 0
                     THEN sum(CASE WHEN first_shot_success THEN 1 ELSE 0 END) / count(first_shot_success) END AS first_shot_rate,
                count(first_shot_success) AS first_shot_n,
                CASE WHEN count(cost_nanos) > 0 THEN CAST(sum(cost_nanos) AS DOUBLE) / 1e9 END AS total_cost_usd,
                count(cost_nanos) AS cost_n,
                CASE WHEN count(estimated_cost_nanos) > 0 THEN CAST(sum(estimated_cost_nanos) AS DOUBLE) / 1e9 END AS estimated_cost_usd,
                count(estimated_cost_nanos) AS estimated_cost_n,
                sum(total_tokens) AS total_tokens,
                sum(input_tokens) AS input_tokens,
                sum(cached_input_tokens) AS cached_input_tokens,
                sum(cache_read_tokens) AS cache_read_tokens,
                sum(cache_creation_tokens) AS cache_creation_tokens,
                sum(output_tokens) AS output_tokens
              FROM sessions) AS s
  CROSS JOIN (SELECT
                CASE WHEN count(t) > 0 THEN concat(replaceOne(toString(fromUnixTimestamp64Milli(min(t), 'UTC')), ' ', 'T'), 'Z') END AS first_timestamp,
                CASE WHEN count(t) > 0 THEN concat(replaceOne(toString(fromUnixTimestamp64Milli(max(t), 'UTC')), ' ', 'T'), 'Z') END AS last_timestamp
              FROM (SELECT first_ms AS t FROM sessions
                    UNION ALL SELECT last_ms FROM sessions
                    UNION ALL SELECT ts_ms FROM events WHERE attempt_id IS NULL
                    UNION ALL SELECT ts_ms FROM alerts) AS times) AS span
