-- tools.commands: the sessions' metrics.commands and command_failures (null when no session
-- records them), and the tool calls whose command runs tests or a linter (sessions', and those
-- of events without attempt_id).
-- (An alias never reuses the name of a column its aggregate reads: ClickHouse resolves such a
-- name to the alias.)
SELECT
  s.n_commands AS commands, s.n_command_failures AS command_failures, s.commands_n AS commands_n,
  s.n_test_runs + coalesce(l.n_test_runs, 0) AS test_runs,
  s.n_lint_runs + coalesce(l.n_lint_runs, 0) AS lint_runs
FROM
  (SELECT sum(commands) AS n_commands, sum(command_failures) AS n_command_failures,
          count(commands) AS commands_n, coalesce(sum(test_runs), 0) AS n_test_runs,
          coalesce(sum(lint_runs), 0) AS n_lint_runs
   FROM sessions) AS s
  CROSS JOIN (SELECT sum(test_runs) AS n_test_runs, sum(lint_runs) AS n_lint_runs FROM tool_calls) AS l
