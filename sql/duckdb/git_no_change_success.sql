-- git.no_change_success: sessions with success true, commits known to be 0 and added and deleted
-- lines both known to be 0 (an unknown count is not "no change"), with their attempt ids in order.
-- (duckdb dialect: the sorted list.)
SELECT count(*) AS count, coalesce(list(attempt_id ORDER BY attempt_id), []) AS attempt_ids
FROM sessions
WHERE success = true AND commits = 0 AND diff_lines_added = 0 AND diff_lines_deleted = 0
