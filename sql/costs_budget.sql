-- costs.budget.days_over: the days (of start, in the time zone the export applied) whose total
-- known cost is strictly above the daily budget. The budget is `daily_budget_usd` of --params,
-- written here in `p` (the check's demo-params set uses 15: some of its days are under it, some over); without one the report has none.
-- Order: day.
WITH p AS (SELECT 15.0 AS budget_usd)
SELECT d.day AS day, d.cost_usd AS cost_usd
FROM (SELECT start_day AS day, CAST(sum(cost_nanos) AS DOUBLE) / 1e9 AS cost_usd, count(cost_nanos) AS known
      FROM sessions WHERE start_ms IS NOT NULL GROUP BY start_day) AS d
CROSS JOIN p
WHERE d.known > 0 AND d.cost_usd > p.budget_usd
ORDER BY day
