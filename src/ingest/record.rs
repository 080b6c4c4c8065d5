//! From one line to records: a line read by `parse.rs` is checked (UTF-8, duplicate, shape,
//! room) and made into an event, a metrics row or an alert of the [`Store`], its names interned.

use super::lines::Line;
use super::parse::{parse_line_into, timestamp_of, DataFields, Shape, TopFields};
use super::ranges;
use super::skip::SkipReason;
use super::Store;
use crate::model::records::*;

/// Error messages are kept for clustering, cut to this many characters.
const MAX_MESSAGE_CHARS: usize = 300;

impl Store {
    pub(super) fn on_line(&mut self, src: u32, line: Line<'_>) {
        let bytes = line.bytes.trim_ascii_start();
        if let Some(s) = self.sources.get_mut(src as usize) {
            s.lines += 1;
        }
        let ahead = self.ahead.take();
        if let Some(next) = line.next.map(<[u8]>::trim_ascii_start).filter(|n| !n.is_empty()) {
            let hash = xxhash_rust::xxh3::xxh3_128(next);
            self.seen_lines.prefetch(hash);
            self.ahead = Some((next.as_ptr() as usize, next.len(), hash));
        }
        if bytes.is_empty() {
            return;
        }
        // SIMD validation (16 bytes a step in Wasm too); std's only to place an error
        let text = match simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes)) {
            Ok(t) => t,
            Err(e) => {
                let at = line.bytes.len() - bytes.len() + e.valid_up_to() + 1;
                return self.skip(src, line.number, SkipReason::InvalidUtf8 { at });
            }
        };
        let hash = match ahead {
            Some((at, len, hash)) if at == bytes.as_ptr() as usize && len == bytes.len() => hash,
            _ => xxhash_rust::xxh3::xxh3_128(bytes),
        };
        let origin = self.sources.get(src as usize).map_or(0, |s| s.origin);
        if let Some(again) = self.seen_lines.again(hash, origin) {
            self.diagnostics.duplicate_lines += 1;
            if let Some(s) = self.sources.get_mut(src as usize) {
                s.duplicates += 1;
            }
            self.count_shared(origin, again);
            return;
        }
        let mut top = TopFields::default();
        if let Err(mut reason) = parse_line_into(text, &mut top) {
            if let SkipReason::Truncated { cut_off, .. } = &mut reason {
                *cut_off = !line.terminated;
            }
            return self.skip(src, line.number, reason);
        }
        let shape = match top.shape() {
            Ok(s) => s,
            Err(reason) => return self.skip(src, line.number, reason),
        };
        // within a memory limit: the input stops at the first line whose record does not fit
        if self.limit.is_some_and(|limit| !self.make_room_for_line(shape, limit)) {
            self.refused_from = Some(line.offset);
            if let Some(s) = self.sources.get_mut(src as usize) {
                s.lines -= 1;
            }
            return;
        }
        self.seen_lines.insert(hash, origin);
        let loc = Locator::new(src, line.number, line.offset, line.raw_len);
        let ts_ms = top.timestamp.as_ref().and_then(timestamp_of);
        if ts_ms.is_none() {
            self.warn(&["timestamp"]);
        }
        let warnings = std::mem::take(&mut top.warnings);
        self.warn(&warnings);
        let source = &mut self.sources[src as usize];
        let kind = match shape {
            Shape::Event => {
                source.events += 1;
                self.add_event(&top, ts_ms, loc);
                ranges::KEPT_EVENT
            }
            Shape::Metrics => {
                source.metrics_rows += 1;
                let rows = self.metrics.len();
                self.add_metrics_row(&mut top, ts_ms, loc);
                if self.metrics.len() > rows {
                    ranges::KEPT_METRICS
                } else {
                    ranges::KEPT_METRICS_WITHOUT_ROW
                }
            }
            Shape::Alert => {
                source.alerts += 1;
                self.add_alert(&top, ts_ms, loc);
                ranges::KEPT_ALERT
            }
        };
        if let Some(log) = self.range_log.as_mut() {
            log.kept.push((hash, kind));
        }
    }

    fn add_event(&mut self, top: &TopFields<'_>, ts_ms: Option<i64>, loc: Locator) {
        let ctx = self.context_id(top);
        if self.contexts[ctx as usize].attempt.is_none() {
            self.diagnostics.events_without_attempt += 1;
        }
        let event_type_text = match &top.event_type {
            Some(Ok(t)) => ascii_lower(crate::model::records::trim(t)),
            _ => std::borrow::Cow::Borrowed(""),
        };
        let event_type = self.strings.intern(&event_type_text);
        let no_data;
        let data = match &top.data {
            Some(d) => d,
            None => {
                no_data = DataFields::default();
                &no_data
            }
        };
        self.warn(&data.warnings);
        self.warn(&data.own_usage.warnings);
        let detail = self.detail_of(&event_type_text, data);
        let usage = match &*event_type_text {
            "usage" => data.own_usage.usage().or_else(|| data.nested_usage()),
            "session_end" => data.own_usage.usage().or_else(|| data.nested_usage()),
            _ => data.nested_usage(),
        };
        let usage = match usage {
            Some(u) => {
                self.usages.push(u.into());
                (self.usages.len() - 1) as u32
            }
            None => NO_USAGE,
        };
        self.events.push(Event::new(ts_ms, top.sequence_num, loc, ctx, event_type, detail, usage));
    }

    fn detail_of(&mut self, event_type: &str, d: &DataFields<'_>) -> Detail {
        let mut sym = |s: &Option<std::borrow::Cow<'_, str>>| self.strings.intern(s.as_deref().unwrap_or(""));
        match event_type {
            "session_start" => Detail::SessionStart {
                prompt_type: sym(&d.prompt_type.as_ref().map(|p| p.to_ascii_lowercase().into())),
            },
            "tool_call" => {
                let tool = sym(&d.tool_name);
                let name = d.tool_name.as_deref().unwrap_or("").as_bytes();
                // (a tool name is a few bytes: comparing windows beats preparing a substring searcher per word)
                let edits = ["edit", "write", "create", "patch", "apply", "replace", "insert"]
                    .iter()
                    .any(|w| name.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w.as_bytes())));
                let file = if edits { sym(&d.file) } else { Sym::NONE };
                Detail::ToolCall { tool, file, command_class: d.command_class() }
            }
            "tool_result" => Detail::ToolResult { tool: sym(&d.tool_name), failed: d.tool_failed() },
            "error" => {
                let message = d.error_message.as_deref().map(|m| {
                    let m = m.trim();
                    match m.char_indices().nth(MAX_MESSAGE_CHARS) {
                        Some((i, _)) => format!("{}…", &m[..i]),
                        None => m.to_string(),
                    }
                });
                Detail::Error {
                    // an absent category is `uncategorized` (spec §3), named here once for every pipeline
                    category: sym(&Some(
                        d.error_category
                            .as_ref()
                            .map_or_else(|| "uncategorized".into(), |c| c.to_ascii_lowercase())
                            .into(),
                    )),
                    fingerprint: sym(&d.error_fingerprint),
                    message: sym(&message.map(Into::into)),
                }
            }
            "session_end" => Detail::SessionEnd {
                status: sym(&d.completion_status.as_ref().map(|c| c.to_ascii_lowercase().into())),
                duration_ms: d.duration_ms.map(|ms| u32::try_from(ms).unwrap_or(u32::MAX)),
                permission_denied: d.permission_denied.map_or(0, |n| u16::try_from(n).unwrap_or(u16::MAX)),
            },
            "skill_invoke" => Detail::Skill { name: sym(&d.skill_name) },
            _ => Detail::None,
        }
    }

    fn add_metrics_row(&mut self, top: &mut TopFields<'_>, ts_ms: Option<i64>, loc: Locator) {
        let note = top.design_note();
        self.warn(&std::mem::take(&mut top.warnings));
        // no row, no interned names (a merge of byte ranges interns only what rows use)
        let Some(m) = top.metrics.take() else { return };
        let ctx = self.intern_context(top);
        self.warn(&m.warnings);
        self.warn(&m.own_usage.warnings);
        let nested = m.usage.as_ref().and_then(|u| {
            self.warn(&u.warnings);
            u.usage()
        });
        let own = m.own_usage.usage();
        // field by field, the first present wins: `metrics.*` before `metrics.usage.*`
        let pick = |f: fn(&Usage) -> Option<u64>| own.as_ref().and_then(f).or_else(|| nested.as_ref().and_then(f));
        let usage = Usage {
            prompt_tokens: pick(|u| u.prompt_tokens),
            completion_tokens: pick(|u| u.completion_tokens),
            total_tokens: pick(|u| u.total_tokens),
            cost_usd: own.and_then(|u| u.cost_usd).or_else(|| nested.and_then(|u| u.cost_usd)),
            cached_input_tokens: pick(|u| u.cached_input_tokens),
            cache_read_tokens: pick(|u| u.cache_read_tokens),
            cache_creation_tokens: pick(|u| u.cache_creation_tokens),
        }
        .normalised();
        let success = m.success.or_else(|| {
            note.outcome_status
                .as_deref()
                .map(|s| matches!(s.trim().to_ascii_lowercase().as_str(), "completed" | "success"))
        });
        let row = MetricsRow {
            ts_ms,
            loc,
            ctx,
            success,
            first_shot_success: m.first_shot_success,
            attempts: m.attempts.or(m.retry_count.map(|r| r.saturating_add(1))),
            continues: m.continues,
            auto_resume: m.auto_resume,
            anomaly_actions: m.anomaly_actions.iter().map(|a| self.strings.intern(a)).filter(|s| s.is_some()).collect(),
            usage,
            duration_ms: m.duration_ms.filter(|d| *d >= 0),
            errors: m.errors.or(note.total_errors),
            error_categories: note
                .error_categories
                .iter()
                .map(|(c, n)| (self.strings.intern(&c.to_ascii_lowercase()), *n))
                .filter(|(c, _)| c.is_some())
                .collect(),
            tool_calls: m.tool_calls,
            tool_failures: m.tool_failures,
            commands: m.commands,
            command_failures: m.command_failures,
            commits: m.agent_made_commits.or(m.commits),
            diff_files_changed: m.diff_files_changed.or(m.files_modified),
            diff_lines_added: m.diff_lines_added.or(m.lines_added),
            diff_lines_deleted: m.diff_lines_deleted.or(m.lines_deleted),
            diff_files: m.diff_summary.iter().map(|f| self.strings.intern(f)).filter(|s| s.is_some()).collect(),
            review_passed: m.review_passed.or(m.review_failed.map(|f| !f)),
            permission_denied: m.permission_denied,
        };
        self.metrics.push(row);
    }

    fn add_alert(&mut self, top: &TopFields<'_>, ts_ms: Option<i64>, loc: Locator) {
        let ctx = self.intern_context(top);
        if let Some(log) = self.range_log.as_mut() {
            log.alert_contexts.push(ctx);
        }
        let alert_type = self.strings.intern(top.alert_type.as_deref().unwrap_or(""));
        let severity = self.strings.intern(&top.severity.as_deref().unwrap_or("").to_ascii_lowercase());
        let cooldown_key = self.strings.intern(top.cooldown_key.as_deref().unwrap_or(""));
        let occurrences = top.occurrences.map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        self.alerts.push(Alert {
            ts_ms,
            loc,
            alert_type,
            severity,
            attempt: ctx.attempt,
            task_id: ctx.task_id,
            executor: ctx.executor,
            cooldown_key,
            occurrences,
        });
    }
}

/// The task id an attempt id starts with: a UUID (8-4-4-4-12 hex digits) followed by a hyphen,
/// as bosun's writer makes them (`<task UUID>-<attempt UUID>`).
pub fn task_of_attempt(attempt: &str) -> Option<&str> {
    let a = attempt.trim();
    let b = a.as_bytes();
    let uuid = b.len() >= 37
        && b[36] == b'-'
        && b[..36].iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    // (36 ASCII bytes: a char boundary)
    uuid.then(|| &a[..36])
}

/// `s` in ASCII lower case, copied only when it has an upper-case letter (event types mostly don't).
fn ascii_lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}
