//! `task_risk` — task planning risk detection (analytics-spec.md §3).
//!
//! Per task: `risk = (attempts − 1) + tool_failures / 5 + 2 × |repeated_categories| + (3 if not completed)`,
//! with reasons and the planner action each suggests. Sorted by risk descending, ties by task_id.

use super::{category_name, View, NO_TASK, UNCATEGORIZED};
use crate::model::records::{FastMap, Shared, Sym};
use serde::Serialize;
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TaskRisk {
    pub rows: Vec<TaskRiskRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskRiskRow {
    /// `(no task)` for sessions without a task_id
    pub task_id: Name,
    /// the first non-empty title of its sessions in session order; null when none has one
    pub task_title: Option<Name>,
    pub sessions: u64,
    /// sum of the sessions' attempts
    pub attempts: u64,
    /// true when any session succeeded
    pub completed: bool,
    pub tool_failures: u64,
    /// error events per category, by category name
    pub error_categories: Shared<CategoryCount>,
    /// categories seen in at least 2 of its sessions, or at least 3 times; by name
    pub repeated_categories: Shared<Name>,
    /// distinct executors in session order (by start time, then attempt id); sessions without one add none
    pub executors: Shared<Name>,
    pub risk: f64,
    pub reasons: Shared<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryCount {
    pub category: Name,
    pub count: u64,
    /// sessions of the task with this category
    pub sessions: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// `dependency`, `auth`, `context_window`, `test`, `build`, `too_complex`, `executor_switching`
    pub code: &'static str,
    /// what was seen: the error events of the category (`auth` counts `auth` and `api_key`), the
    /// attempts (`too_complex`) or the executors (`executor_switching`)
    pub count: u64,
    pub sentence: &'static str,
    pub action: &'static str,
}

/// The category reasons, in the spec's order: (code, categories, what they are, action).
const CATEGORY_REASONS: [(&str, &[&str], &str, &str); 5] = [
    (
        "dependency",
        &["dependency"],
        "The task's sessions hit dependency errors.",
        "Inject dependency setup into the task.",
    ),
    (
        "auth",
        &["auth", "api_key"],
        "The task's sessions hit auth or API key errors.",
        "Add environment and auth instructions.",
    ),
    (
        "context_window",
        &["context_window"],
        "The task's sessions ran out of context window.",
        "Split the task into smaller tasks.",
    ),
    ("test", &["test"], "The task's sessions hit test errors.", "Add test setup or test data."),
    ("build", &["build"], "The task's sessions hit build errors.", "Add build configuration."),
];

pub fn compute(view: &View) -> TaskRisk {
    let strings = &view.data.store.strings;
    let no_task = strings.lookup(NO_TASK).unwrap_or(Sym::NONE);
    let uncategorized = view.category_sym(UNCATEGORIZED).unwrap_or(Sym::NONE);
    let groups = TaskGroups::new(view);
    let mut buffers = Buffers::default();
    let mut columns = Columns::default();
    let no_task_name = Name::new(NO_TASK);
    // First every task's figures, its lists appended to one column each; then the rows in their
    // final order, each list a slice of its column (no allocation per row, no moving rows).
    let drafts: Vec<Draft> = groups
        .iter()
        .map(|(k, indices)| {
            // sessions without a task_id form the task `(no task)`
            let task = if k == no_task { Sym::NONE } else { k };
            draft(view, task, indices, uncategorized, &mut buffers, &mut columns)
        })
        .collect();
    // by risk, ties by task name (its rank: task names are distinct)
    let mut order: Vec<(f64, u32, u32)> = drafts.iter().enumerate().map(|(i, d)| (d.risk, d.rank, i as u32)).collect();
    order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let cats: Arc<[CategoryCount]> = columns.cats.into();
    let repeated: Arc<[Name]> = columns.repeated.into();
    let executors: Arc<[Name]> = columns.executors.into();
    let reasons: Arc<[Reason]> = columns.reasons.into();
    let mut rows = Vec::with_capacity(order.len());
    rows.extend(order.iter().filter_map(|&(_, _, i)| drafts.get(i as usize)).map(|d| TaskRiskRow {
        task_id: if d.task.is_none() { no_task_name.clone() } else { view.data.name(d.task) },
        task_title: d.title.get().map(|t| view.data.name(t)),
        sessions: d.sessions,
        attempts: d.attempts,
        completed: d.completed,
        tool_failures: d.tool_failures,
        error_categories: Shared::slice(&cats, d.cats.clone()),
        repeated_categories: Shared::slice(&repeated, d.repeated.clone()),
        executors: Shared::slice(&executors, d.executors.clone()),
        risk: d.risk,
        reasons: Shared::slice(&reasons, d.reasons.clone()),
    }));
    TaskRisk { rows }
}

/// A task's figures before the rows are ordered; its lists are ranges of [`Columns`].
struct Draft {
    /// `Sym::NONE` for `(no task)`
    task: Sym,
    /// rank of the task name among all task names
    rank: u32,
    title: Sym,
    sessions: u64,
    attempts: u64,
    completed: bool,
    tool_failures: u64,
    risk: f64,
    cats: Range<usize>,
    repeated: Range<usize>,
    executors: Range<usize>,
    reasons: Range<usize>,
}

/// The lists of every row, one after the other.
#[derive(Default)]
struct Columns {
    cats: Vec<CategoryCount>,
    repeated: Vec<Name>,
    executors: Vec<Name>,
    reasons: Vec<Reason>,
}

/// Scratch vectors reused from task to task.
#[derive(Default)]
struct Buffers<'a> {
    executors: Vec<Sym>,
    /// (category, error count, sessions with it, index of the last session counted)
    cats: Vec<(Sym, u64, u64, usize)>,
    /// the same with the category's name, by name
    named: Vec<(&'a str, u64, u64, Sym)>,
    names: Names,
}

/// Names of the output are shared between rows (one allocation per distinct name).
pub use crate::model::records::Name;

/// The names handed out so far, by symbol: a map, as they are few (categories and executors)
/// where a table by symbol would span every interned string (megabytes to clear per recompute).
#[derive(Default)]
struct Names(FastMap<Sym, Name>);
impl Names {
    fn get(&mut self, sym: Sym, name: &str) -> Name {
        self.0.entry(sym).or_insert_with(|| Name::new(name)).clone()
    }
}

/// Appends to `column` what `items` yields and returns where it went.
fn append<T>(column: &mut Vec<T>, items: impl IntoIterator<Item = T>) -> Range<usize> {
    let from = column.len();
    column.extend(items);
    from..column.len()
}

/// A task's figures from its sessions (indices into `data.sessions`, in session order).
fn draft<'v>(
    view: &'v View<'_>,
    task: Sym,
    sessions: &[u32],
    uncategorized: Sym,
    buffers: &mut Buffers<'v>,
    columns: &mut Columns,
) -> Draft {
    let derived = &view.data.derived;
    let mut attempts = 0u64;
    let mut tool_failures = 0u64;
    let mut completed = false;
    let mut title = Sym::NONE;
    let Buffers { executors, cats, named, names } = buffers;
    executors.clear();
    cats.clear();
    for (i, (si, s)) in sessions.iter().map(|&si| (si, &derived.facts[si as usize])).enumerate() {
        attempts = attempts.saturating_add(s.attempts);
        tool_failures = tool_failures.saturating_add(s.tool_failures);
        completed |= s.success == Some(true);
        if title.is_none() {
            title = s.task_title;
        }
        // Choice: a session without an executor adds none to the list (an unknown executor is not
        // evidence of executor switching).
        if s.executor.is_some() && !executors.contains(&s.executor) {
            executors.push(s.executor);
        }
        for &(c, count) in view.categories(si) {
            if count == 0 {
                continue;
            }
            let c = if c.is_none() { uncategorized } else { c };
            // a session may list a category twice (a metrics row's list of names): count it once
            match cats.iter_mut().find(|(k, _, _, _)| *k == c) {
                Some((_, n, m, last)) => {
                    *n = n.saturating_add(count);
                    if *last != i {
                        *m += 1;
                        *last = i;
                    }
                }
                None => cats.push((c, count, 1, i)),
            }
        }
    }
    named.clear();
    named.extend(cats.iter().map(|&(c, n, m, _)| (category_name(view, c), n, m, c)));
    crate::model::sort::by(named, |a, b| a.0.cmp(b.0));
    let repeated = append(
        &mut columns.repeated,
        named.iter().filter(|&&(_, n, m, _)| m >= 2 || n >= 3).map(|&(c, _, _, sym)| names.get(sym, c)),
    );
    let risk = (attempts as f64 - 1.0)
        + tool_failures as f64 / 5.0
        + 2.0 * repeated.len() as f64
        + if completed { 0.0 } else { 3.0 };

    // Choice: a category reason applies when the category appears at all in the task's error
    // events (any count ≥ 1), not only when it is repeated: one dependency error is already a
    // planning hint, and the risk score weighs repetition separately.
    let reasons_from = columns.reasons.len();
    for (code, members, sentence, action) in CATEGORY_REASONS {
        let count: u64 =
            super::stats::sum_sat(named.iter().filter(|(c, _, _, _)| members.contains(c)).map(|&(_, n, _, _)| n));
        if count > 0 {
            columns.reasons.push(Reason { code, count, sentence, action });
        }
    }
    if attempts >= 3 && !completed {
        columns.reasons.push(Reason {
            code: "too_complex",
            count: attempts,
            sentence: "Three or more attempts and no successful session: the task is too complex or under-specified.",
            action: "Split the task or specify it further.",
        });
    }
    if executors.len() > 1 {
        columns.reasons.push(Reason {
            code: "executor_switching",
            count: executors.len() as u64,
            sentence: "The task switched between executors.",
            action: "Pin the task to one executor suited to it.",
        });
    }
    Draft {
        task,
        rank: TaskGroups::rank(view, sessions),
        title,
        sessions: sessions.len() as u64,
        attempts,
        completed,
        tool_failures,
        risk,
        cats: append(
            &mut columns.cats,
            named.iter().map(|&(c, n, m, sym)| CategoryCount { category: names.get(sym, c), count: n, sessions: m }),
        ),
        repeated,
        executors: append(&mut columns.executors, executors.iter().map(|&e| names.get(e, view.str(e)))),
        reasons: reasons_from..columns.reasons.len(),
    }
}

/// The view's sessions grouped by task, each group in session order: start time (unknown last),
/// then attempt id. Sessions without a task_id form one group with those whose task_id is literally
/// `(no task)`. Groups come in no particular order (that of `Derived::by_task`, made once per
/// load: a view only keeps the sessions it holds); each group's rank by task name is given.
pub(crate) struct TaskGroups {
    /// indices into `data.sessions`
    indices: Vec<u32>,
    /// (task, end of its run in `indices`)
    bounds: Vec<(Sym, usize)>,
}

impl TaskGroups {
    pub(crate) fn new(view: &View) -> TaskGroups {
        let data = view.data;
        let no_task = data.store.strings.lookup(NO_TASK).unwrap_or(Sym::NONE);
        let derived = &data.derived;
        let indices: Vec<u32> = derived.by_task.iter().copied().filter(|&i| view.session_in_view(i)).collect();
        let mut bounds: Vec<(Sym, usize)> = Vec::new();
        for (pos, &i) in indices.iter().enumerate() {
            let rank = derived.task_rank[i as usize];
            if pos > 0 && derived.task_rank[indices[pos - 1] as usize] == rank {
                if let Some(last) = bounds.last_mut() {
                    last.1 = pos + 1;
                }
            } else {
                let t = derived.facts[i as usize].task_id;
                bounds.push((if t == no_task { Sym::NONE } else { t }, pos + 1));
            }
        }
        TaskGroups { indices, bounds }
    }

    /// The rank of a group's task name among all task names, from the group's session indices.
    pub(crate) fn rank(view: &View, indices: &[u32]) -> u32 {
        indices.first().map_or(0, |&i| view.data.derived.task_rank[i as usize])
    }

    /// (task symbol, its sessions' indices into `data.sessions` in session order); `(no task)`
    /// is `Sym::NONE`.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Sym, &[u32])> + '_ {
        let mut from = 0;
        self.bounds.iter().map(move |&(k, to)| {
            let indices = self.indices.get(from..to).unwrap_or(&[]);
            from = to;
            (k, indices)
        })
    }
}
