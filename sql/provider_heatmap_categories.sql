-- provider_heatmap.categories: the heatmap's columns, per canonical category its error events.
-- Order: errors descending, then category.
SELECT category AS error_category, count(*) AS errors
FROM errors
GROUP BY category
ORDER BY errors DESC, error_category
