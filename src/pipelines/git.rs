//! `git` — git and PR context (analytics-spec.md §3).

use super::stats::rate;
use super::{View, NO_TASK, UNKNOWN};
use crate::model::records::{Detail, Sym};
use crate::model::sessions::Session;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How many hot files are listed.
pub const HOT_FILES: usize = 50;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Git {
    /// one row per session with any git fact, by attempt id
    pub rows: Vec<GitRow>,
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
    pub attempt_id: String,
    pub task_id: Option<String>,
    pub model: Option<String>,
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
    pub task_id: String,
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
    s.commits.is_some() || s.diff_files_changed.is_some() || s.diff_lines_added.is_some() || s.diff_lines_deleted.is_some() || !s.diff_files.is_empty()
}

pub fn compute(view: &View) -> Git {
    let store = &view.data.store;
    let opt = |s: Sym| s.get().map(|s| view.str(s).to_string());
    let model_name = |m: Sym| if m.is_none() { UNKNOWN } else { view.str(m) };

    let mut rows: Vec<GitRow> = view
        .sessions()
        .filter(|s| has_git_fact(s))
        .map(|s| GitRow {
            attempt_id: view.str(s.attempt).to_string(),
            task_id: opt(s.task_id),
            model: opt(s.model),
            success: s.success,
            agent_made_commits: s.commits,
            diff_files_changed: s.diff_files_changed,
            diff_lines_added: s.diff_lines_added,
            diff_lines_deleted: s.diff_lines_deleted,
        })
        .collect();
    rows.sort_by(|a, b| a.attempt_id.cmp(&b.attempt_id));

    // no_change_success: success true, commits known to be 0, and added and deleted lines both
    // known to be 0. A session with an unknown commit or line count is not counted: "no change"
    // must be reported, not presumed.
    let mut ncs: Vec<String> = view
        .sessions()
        .filter(|s| s.success == Some(true) && s.commits == Some(0) && s.diff_lines_added == Some(0) && s.diff_lines_deleted == Some(0))
        .map(|s| view.str(s.attempt).to_string())
        .collect();
    ncs.sort();

    // per task (Sym::NONE = `(no task)`): scope and outcome
    struct TaskAcc {
        sessions: u64,
        attempts: u64,
        lines: u64,
        lines_n: u64,
        any_success: bool,
        any_known: bool,
    }
    let mut tasks: HashMap<Sym, TaskAcc> = HashMap::new();
    // file → tasks touching it
    let mut files: HashMap<Sym, HashSet<Sym>> = HashMap::new();
    let mut review: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for s in view.sessions() {
        let t = tasks.entry(s.task_id).or_insert(TaskAcc { sessions: 0, attempts: 0, lines: 0, lines_n: 0, any_success: false, any_known: false });
        t.sessions += 1;
        t.attempts += s.attempts;
        if s.diff_lines_added.is_some() || s.diff_lines_deleted.is_some() {
            t.lines_n += 1;
            t.lines += s.diff_lines_added.unwrap_or(0).saturating_add(s.diff_lines_deleted.unwrap_or(0));
        }
        if let Some(ok) = s.success {
            t.any_known = true;
            t.any_success |= ok;
        }
        for &f in &s.diff_files {
            files.entry(f).or_default().insert(s.task_id);
        }
        for &i in &s.events {
            if let Detail::ToolCall { file, .. } = store.events[i as usize].detail {
                if file.is_some() {
                    files.entry(file).or_default().insert(s.task_id);
                }
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
    let task_name = |t: Sym| if t.is_none() { NO_TASK } else { view.str(t) };

    // scope: only tasks with a known line count (a task without one has no point on the chart)
    let mut scope: Vec<TaskScope> = tasks
        .iter()
        .filter(|(_, a)| a.lines_n > 0)
        .map(|(&t, a)| TaskScope { task_id: task_name(t).to_string(), sessions: a.sessions, attempts: a.attempts, lines_changed: a.lines, lines_n: a.lines_n })
        .collect();
    scope.sort_by(|a, b| a.task_id.cmp(&b.task_id));

    // a task fails when none of its sessions (in the view) succeeded and at least one has a
    // known outcome; a task whose outcomes are all unknown is left out of the rate's n
    let mut hot: Vec<(Sym, u64, u64, u64)> = files
        .iter()
        .map(|(&f, ts)| {
            let (mut failed, mut n) = (0u64, 0u64);
            for t in ts {
                if let Some(a) = tasks.get(t) {
                    if a.any_known {
                        n += 1;
                        failed += (!a.any_success) as u64;
                    }
                }
            }
            (f, ts.len() as u64, failed, n)
        })
        .collect();
    hot.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| view.str(a.0).cmp(view.str(b.0))));
    hot.truncate(HOT_FILES);

    Git {
        rows,
        no_change_success: NoChangeSuccess { count: ncs.len() as u64, attempt_ids: ncs },
        scope,
        hot_files: hot.into_iter().map(|(f, tasks, failed, n)| HotFile { file: view.str(f).to_string(), tasks, failed_tasks: failed, failure_rate: rate(failed, n), failure_n: n }).collect(),
        review: review.into_iter().map(|(m, (p, f))| ReviewRow { model: m.to_string(), review_passed: p, review_failed: f }).collect(),
    }
}
