-- git.rows: the sessions with any git fact (commits, a diff count, or files in a diff_summary).
-- Order: attempt_id.
SELECT attempt_id, task_id, model, success, commits AS agent_made_commits, diff_files_changed,
       diff_lines_added, diff_lines_deleted
FROM sessions
WHERE commits IS NOT NULL OR diff_files_changed IS NOT NULL OR diff_lines_added IS NOT NULL
   OR diff_lines_deleted IS NOT NULL OR diff_summary_files > 0
ORDER BY attempt_id
