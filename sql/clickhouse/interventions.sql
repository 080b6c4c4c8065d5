-- interventions.rows: three comparisons of success rates, each side with its n and 95 % Wilson
-- score interval (z = 1.959963984540054); a difference is significant when the intervals do not
-- overlap ("insufficient data" when a side has no session). Only sessions with a known success
-- count: (1) with anomaly actions against without; (2) auto_resume true against false (unknown:
-- neither); (3) the next session of the same task (a task_id; sessions with a start, in start
-- order, then attempt id) after a session with anomaly actions, against after a failed session
-- without. Order: the three, in that order.
-- (clickhouse dialect: the sides as ClickHouse: tuples, in the report's field order.)
WITH
s AS (SELECT attempt_id, task_id, start_ms, success, auto_resume, anomaly_actions > 0 AS anomaly
      FROM sessions),
pairs AS (
  SELECT prev_anomaly, prev_success, success AS next_success FROM (
    SELECT success,
           lag(anomaly) OVER (PARTITION BY task_id ORDER BY start_ms, attempt_id) AS prev_anomaly,
           lag(success) OVER (PARTITION BY task_id ORDER BY start_ms, attempt_id) AS prev_success,
           row_number() OVER (PARTITION BY task_id ORDER BY start_ms, attempt_id) AS pos
    FROM s WHERE task_id IS NOT NULL AND task_id <> '(no task)' AND start_ms IS NOT NULL) AS ordered
  WHERE pos > 1),
tallies AS (
  SELECT 0 AS ord, 'anomaly_actions' AS comparison,
         'with anomaly actions' AS a_label,
         sum(CASE WHEN anomaly AND success THEN 1 ELSE 0 END) AS a_hits,
         sum(CASE WHEN anomaly AND success IS NOT NULL THEN 1 ELSE 0 END) AS a_n,
         'without anomaly actions' AS b_label,
         sum(CASE WHEN NOT anomaly AND success THEN 1 ELSE 0 END) AS b_hits,
         sum(CASE WHEN NOT anomaly AND success IS NOT NULL THEN 1 ELSE 0 END) AS b_n
  FROM s
  UNION ALL
  SELECT 1, 'auto_resume', 'auto_resume true',
         sum(CASE WHEN auto_resume = true AND success THEN 1 ELSE 0 END),
         sum(CASE WHEN auto_resume = true AND success IS NOT NULL THEN 1 ELSE 0 END),
         'auto_resume false',
         sum(CASE WHEN auto_resume = false AND success THEN 1 ELSE 0 END),
         sum(CASE WHEN auto_resume = false AND success IS NOT NULL THEN 1 ELSE 0 END)
  FROM s
  UNION ALL
  SELECT 2, 'next_session', 'next session after a session with anomaly actions',
         sum(CASE WHEN prev_anomaly AND next_success THEN 1 ELSE 0 END),
         sum(CASE WHEN prev_anomaly AND next_success IS NOT NULL THEN 1 ELSE 0 END),
         'next session after a failed session without anomaly actions',
         sum(CASE WHEN NOT prev_anomaly AND prev_success = false AND next_success THEN 1 ELSE 0 END),
         sum(CASE WHEN NOT prev_anomaly AND prev_success = false AND next_success IS NOT NULL THEN 1 ELSE 0 END)
  FROM pairs),
w AS (
  SELECT ord, comparison, a_label, b_label, a_hits, a_n, b_hits, b_n,
    CASE WHEN a_n > 0 THEN CAST(a_hits AS DOUBLE) / a_n END AS a_rate,
    CASE WHEN a_n > 0 THEN greatest(0.0, ((CAST(a_hits AS DOUBLE) / a_n + 1.959963984540054 * 1.959963984540054 / (2.0 * a_n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / a_n))
      - 1.959963984540054 * sqrt((CAST(a_hits AS DOUBLE) / a_n) * (1.0 - CAST(a_hits AS DOUBLE) / a_n) / a_n + 1.959963984540054 * 1.959963984540054 / (4.0 * a_n * a_n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / a_n)) END AS a_low,
    CASE WHEN a_n > 0 THEN least(1.0, ((CAST(a_hits AS DOUBLE) / a_n + 1.959963984540054 * 1.959963984540054 / (2.0 * a_n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / a_n))
      + 1.959963984540054 * sqrt((CAST(a_hits AS DOUBLE) / a_n) * (1.0 - CAST(a_hits AS DOUBLE) / a_n) / a_n + 1.959963984540054 * 1.959963984540054 / (4.0 * a_n * a_n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / a_n)) END AS a_high,
    CASE WHEN b_n > 0 THEN CAST(b_hits AS DOUBLE) / b_n END AS b_rate,
    CASE WHEN b_n > 0 THEN greatest(0.0, ((CAST(b_hits AS DOUBLE) / b_n + 1.959963984540054 * 1.959963984540054 / (2.0 * b_n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / b_n))
      - 1.959963984540054 * sqrt((CAST(b_hits AS DOUBLE) / b_n) * (1.0 - CAST(b_hits AS DOUBLE) / b_n) / b_n + 1.959963984540054 * 1.959963984540054 / (4.0 * b_n * b_n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / b_n)) END AS b_low,
    CASE WHEN b_n > 0 THEN least(1.0, ((CAST(b_hits AS DOUBLE) / b_n + 1.959963984540054 * 1.959963984540054 / (2.0 * b_n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / b_n))
      + 1.959963984540054 * sqrt((CAST(b_hits AS DOUBLE) / b_n) * (1.0 - CAST(b_hits AS DOUBLE) / b_n) / b_n + 1.959963984540054 * 1.959963984540054 / (4.0 * b_n * b_n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / b_n)) END AS b_high
  FROM tallies)
SELECT
  comparison,
  a_label,
  tuple(a_rate, a_hits, a_n, a_low, a_high) AS a,
  b_label,
  tuple(b_rate, b_hits, b_n, b_low, b_high) AS b,
  CASE WHEN a_n > 0 AND b_n > 0 THEN a_rate - b_rate END AS difference,
  CASE WHEN a_n > 0 AND b_n > 0 THEN a_high < b_low OR b_high < a_low END AS significant,
  CASE WHEN a_n = 0 OR b_n = 0 THEN 'insufficient data'
       WHEN a_high < b_low OR b_high < a_low THEN 'significant'
       ELSE 'not significant' END AS label
FROM w
ORDER BY ord
