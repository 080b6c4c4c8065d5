-- git.review: review outcomes per model (absent: `unknown`), for models with any.
-- Order: model. (The aggregates read `passed`, not `review_passed`: ClickHouse would take the
-- output's alias for the column.)
SELECT m AS model, sum(CASE WHEN passed THEN 1 ELSE 0 END) AS review_passed,
       sum(CASE WHEN NOT passed THEN 1 ELSE 0 END) AS review_failed
FROM (SELECT coalesce(model, 'unknown') AS m, review_passed AS passed
      FROM sessions WHERE review_passed IS NOT NULL) AS s
GROUP BY m
ORDER BY model
