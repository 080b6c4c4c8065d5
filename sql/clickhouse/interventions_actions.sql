-- interventions.actions: per anomaly action, the sessions listing it and their success rate
-- with its 95 % Wilson interval (see interventions.sql). Order: sessions descending, then action.
-- (clickhouse dialect: the rate as ClickHouse: tuples, in the report's field order.)
WITH
t AS (SELECT a.action AS action, count(*) AS sessions,
             sum(CASE WHEN s.success THEN 1 ELSE 0 END) AS hits, count(s.success) AS n
      FROM session_anomaly_actions AS a JOIN sessions AS s ON s.attempt_id = a.attempt_id
      GROUP BY a.action),
w AS (SELECT action, sessions, hits, n, CASE WHEN n > 0 THEN CAST(hits AS DOUBLE) / n END AS rate,
    CASE WHEN n > 0 THEN greatest(0.0, ((CAST(hits AS DOUBLE) / n + 1.959963984540054 * 1.959963984540054 / (2.0 * n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / n))
      - 1.959963984540054 * sqrt((CAST(hits AS DOUBLE) / n) * (1.0 - CAST(hits AS DOUBLE) / n) / n + 1.959963984540054 * 1.959963984540054 / (4.0 * n * n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / n)) END AS low,
    CASE WHEN n > 0 THEN least(1.0, ((CAST(hits AS DOUBLE) / n + 1.959963984540054 * 1.959963984540054 / (2.0 * n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / n))
      + 1.959963984540054 * sqrt((CAST(hits AS DOUBLE) / n) * (1.0 - CAST(hits AS DOUBLE) / n) / n + 1.959963984540054 * 1.959963984540054 / (4.0 * n * n)) / (1.0 + 1.959963984540054 * 1.959963984540054 / n)) END AS high FROM t)
SELECT action, sessions, tuple(rate, hits, n, low, high) AS success
FROM w
ORDER BY sessions DESC, action
