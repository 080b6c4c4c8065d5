//! `git` — git and PR context (analytics-spec.md §3).

use super::stats::rate;
use super::task_risk::TaskGroups;
use super::{View, NO_TASK, UNKNOWN};
use crate::dataset::sessions::Session;
use crate::model::records::{Name, Shared, Sym};
use serde::Serialize;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

/// How many hot files are listed.
pub const HOT_FILES: usize = 50;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Git {
    /// one row per session with any git fact, by attempt id
    pub rows: Shared<GitRow>,
    pub no_change_success: NoChangeSuccess,
    /// per task with a known line count, by task id
    pub scope: Vec<TaskScope>,
    /// files by number of tasks touching them (desc), then path; the first 50
    pub hot_files: Vec<HotFile>,
    /// per model with any review outcome, by model
    pub review: Vec<ReviewRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GitRow {
    pub attempt_id: Name,
    pub task_id: Option<Name>,
    pub model: Option<Name>,
    pub success: Option<bool>,
    pub agent_made_commits: Option<u64>,
    pub diff_files_changed: Option<u64>,
    pub diff_lines_added: Option<u64>,
    pub diff_lines_deleted: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NoChangeSuccess {
    pub count: u64,
    /// sorted
    pub attempt_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskScope {
    pub task_id: Name,
    pub sessions: u64,
    /// sum of the sessions' attempts
    pub attempts: u64,
    /// sum of the known diff_lines_added and diff_lines_deleted of its sessions
    pub lines_changed: u64,
    /// sessions knowing added or deleted lines
    pub lines_n: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HotFile {
    pub file: String,
    pub tasks: u64,
    pub failed_tasks: u64,
    /// failed tasks / tasks touching the file whose outcome is known (`failure_n`)
    pub failure_rate: Option<f64>,
    pub failure_n: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewRow {
    pub model: String,
    pub review_passed: u64,
    pub review_failed: u64,
}

fn has_git_fact(s: &Session) -> bool {
    s.commits.is_some()
        || s.diff_files_changed.is_some()
        || s.diff_lines_added.is_some()
        || s.diff_lines_deleted.is_some()
        || !s.diff_files.is_empty()
}

/// The git row of every session with a git fact, in attempt id order, and per row its session
/// and whether it is a no-change success: they depend on no filter nor parameter, so they are
/// made once per load (on first use). A view holding every session hands the rows out as they
/// are (no copy); another copies those of its sessions.
#[derive(Default)]
pub(crate) struct SessionRows {
    rows: Arc<[GitRow]>,
    /// (session index, no-change success), parallel to `rows`
    sessions: Vec<(u32, bool)>,
}

fn session_rows(view: &View) -> Rc<SessionRows> {
    let data = view.data;
    view.memo().git_rows(data, || {
        let opt = |s: Sym| s.get().map(|s| data.name(s));
        let (sessions, rows): (Vec<(u32, bool)>, Vec<GitRow>) = data
            .derived
            .by_attempt
            .iter()
            .map(|&si| (si, &data.sessions[si as usize]))
            .filter(|(_, s)| has_git_fact(s))
            .map(|(si, s)| {
                // no_change_success: success true, commits known to be 0, and added and deleted
                // lines both known to be 0. A session with an unknown commit or line count is not
                // counted: "no change" must be reported, not presumed. (Such a session has a git
                // fact, so it has a row.)
                let no_change = s.success == Some(true)
                    && s.commits == Some(0)
                    && s.diff_lines_added == Some(0)
                    && s.diff_lines_deleted == Some(0);
                let row = GitRow {
                    attempt_id: data.name(s.attempt),
                    task_id: opt(s.task_id),
                    model: opt(s.model),
                    success: s.success,
                    agent_made_commits: s.commits,
                    diff_files_changed: s.diff_files_changed,
                    diff_lines_added: s.diff_lines_added,
                    diff_lines_deleted: s.diff_lines_deleted,
                };
                ((si, no_change), row)
            })
            .unzip();
        SessionRows { rows: rows.into(), sessions }
    })
}

pub fn compute(view: &View) -> Git {
    let data = view.data;
    let derived = &data.derived;
    let model_name = |m: Sym| if m.is_none() { UNKNOWN } else { view.str(m) };

    // rows and no_change_success: those of the view's sessions, in attempt id order
    let all = session_rows(view);
    let mut ncs: Vec<String> = Vec::new();
    for (&(si, no_change), row) in all.sessions.iter().zip(all.rows.iter()) {
        if no_change && view.session_in_view(si) {
            ncs.push(row.attempt_id.to_string());
        }
    }
    let rows = if view.sessions.len() == data.sessions.len() {
        Shared::all(&all.rows)
    } else {
        let picked: Vec<GitRow> = all
            .sessions
            .iter()
            .zip(all.rows.iter())
            .filter(|((si, _), _)| view.session_in_view(*si))
            .map(|(_, row)| row.clone())
            .collect();
        Shared::from(picked)
    };

    // Per task (its task_id as given: no task_id and a literal `(no task)` are two tasks here):
    // scope, outcome, and the files its sessions touched (listed per session once per load).
    // per file (index into `derived.files`): tasks touching it, of which failed, of which known
    let mut file_tasks: Vec<(u64, u64, u64)> = vec![(0, 0, 0); derived.files.len()];
    let mut file_stamp: Vec<u32> = vec![0; derived.files.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut stamp = 0u32;
    let mut review: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let no_task_name = Name::new(NO_TASK);
    // (rank of the task name, task id given or not, row): sorted by name below
    let mut scope: Vec<(u32, bool, TaskScope)> = Vec::new();
    for (_, group) in TaskGroups::new(view).iter() {
        let rank = TaskGroups::rank(view, group);
        // the group's distinct raw task ids (two only for `(no task)`)
        let facts = &derived.facts;
        let first = facts[group[0] as usize].task_id;
        let other = group.iter().map(|&i| facts[i as usize].task_id).find(|&t| t != first);
        for task in std::iter::once(first).chain(other) {
            stamp += 1;
            touched.clear();
            let (mut sessions, mut attempts, mut lines, mut lines_n) = (0u64, 0u64, 0u64, 0u64);
            let (mut any_success, mut any_known) = (false, false);
            for &si in group.iter().filter(|&&i| facts[i as usize].task_id == task) {
                let s = &facts[si as usize];
                sessions += 1;
                attempts = attempts.saturating_add(s.attempts);
                if let Some(l) = derived.lines_changed[si as usize] {
                    lines_n += 1;
                    lines = lines.saturating_add(l);
                }
                if let Some(ok) = s.success {
                    any_known = true;
                    any_success |= ok;
                }
                for &f in derived.session_files(si) {
                    if file_stamp[f as usize] != stamp {
                        file_stamp[f as usize] = stamp;
                        touched.push(f);
                    }
                }
                if let Some(passed) = s.review_passed {
                    let r = review.entry(model_name(s.model)).or_insert((0, 0));
                    if passed {
                        r.0 += 1;
                    } else {
                        r.1 += 1;
                    }
                }
            }
            // scope: only tasks with a known line count (a task without one has no point on the chart)
            if lines_n > 0 {
                let task_id = if task.is_none() { no_task_name.clone() } else { data.name(task) };
                scope.push((
                    rank,
                    task.is_some(),
                    TaskScope { task_id, sessions, attempts, lines_changed: lines, lines_n },
                ));
            }
            // a task fails when none of its sessions (in the view) succeeded and at least one has
            // a known outcome; a task whose outcomes are all unknown is left out of the rate's n
            for &f in &touched {
                let c = &mut file_tasks[f as usize];
                c.0 += 1;
                if any_known {
                    c.2 += 1;
                    c.1 += (!any_success) as u64;
                }
            }
        }
    }

    // hot files: by tasks descending, then path; only the first HOT_FILES are sorted in full
    let mut hot: Vec<(Sym, u64, u64, u64)> = file_tasks
        .iter()
        .zip(&derived.files)
        .filter(|(c, _)| c.0 > 0)
        .map(|(&(tasks, failed, n), &f)| (f, tasks, failed, n))
        .collect();
    let order = |a: &(Sym, u64, u64, u64), b: &(Sym, u64, u64, u64)| {
        b.1.cmp(&a.1).then_with(|| view.str(a.0).cmp(view.str(b.0)))
    };
    if hot.len() > HOT_FILES {
        hot.select_nth_unstable_by(HOT_FILES, order);
        hot.truncate(HOT_FILES);
    }
    crate::model::sort::by(&mut hot, order);
    scope.sort_unstable_by_key(|&(rank, given, _)| (rank, given));

    Git {
        rows,
        no_change_success: NoChangeSuccess { count: ncs.len() as u64, attempt_ids: ncs },
        scope: scope.into_iter().map(|(_, _, row)| row).collect(),
        hot_files: hot
            .into_iter()
            .map(|(f, tasks, failed, n)| HotFile {
                file: view.str(f).to_string(),
                tasks,
                failed_tasks: failed,
                failure_rate: rate(failed, n),
                failure_n: n,
            })
            .collect(),
        review: review
            .into_iter()
            .map(|(m, (p, f))| ReviewRow { model: m.to_string(), review_passed: p, review_failed: f })
            .collect(),
    }
}
