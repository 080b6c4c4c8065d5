//! What the page says about files: how a read ended (done, cancelled, stopped at the memory
//! budget, failed) and the note and banner that go with it, the progress line, the files list,
//! and the banner when a worker that stopped answering is replaced.

use super::budget::MemoryTarget;
use super::protocol::{ErrorKind, InputState, InputStatus, Progress};
use crate::ingest::Stopped;
use crate::model::numbers::count;
use crate::report::format;

/// Bytes as the notes give them: `12.3 kB` under a megabyte, else `1.2 MB`.
pub fn mb(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{:.1} kB", bytes as f64 / 1e3)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

/// Why a file read to less than its size failed.
pub const ENDED_EARLY: &str = "the file ended early: it changed or was cut while being read";

/// How the read of one input ended, and what the store holds then.
#[derive(Debug, Clone, Default)]
pub struct ReadEnd<'a> {
    pub name: &'a str,
    pub size: u64,
    /// bytes of it read
    pub bytes_read: u64,
    /// why reading stopped (a read error, a parse worker's failure)
    pub failure: Option<String>,
    pub cancelled: bool,
    /// stopped at the records' memory budget
    pub stopped: Option<Stopped>,
    /// its decoding gave up: a bomb guard, or not text (`Feed::gave_up`, said by its source)
    pub gave_up: Option<String>,
    /// a `.gz` or `.zip`: the bytes where it stopped are compressed bytes
    pub compressed: bool,
    /// the first problem its sources report (binary, not telemetry…): noted, not a failure
    pub source_error: Option<String>,
    /// what the records hold now, and the bytes of every input read so far
    pub held_bytes: usize,
    pub loaded_bytes: u64,
}

/// What the files list and the banner say of an input once its read ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub state: InputState,
    /// the files list's note
    pub error: Option<String>,
    /// stopped: the memory target that reads all of it (the "Read all of it" button)
    pub memory_to_read_all_mib: Option<f64>,
    /// said in the banner too (the note's text), as this kind of failure
    pub banner: Option<ErrorKind>,
}

impl ReadEnd<'_> {
    pub fn outcome(&self, memory: &MemoryTarget) -> Outcome {
        let (name, size, read) = (self.name, self.size, self.bytes_read);
        let said = |state, kind, msg: String| Outcome {
            state,
            error: Some(msg),
            memory_to_read_all_mib: None,
            banner: Some(kind),
        };
        if self.cancelled {
            let msg = format!("cancelled after {} of {}; the lines read so far are loaded", mb(read), mb(size));
            return Outcome {
                state: InputState::Cancelled,
                error: Some(msg),
                memory_to_read_all_mib: None,
                banner: None,
            };
        }
        if let Some(at) = self.stopped {
            let to_read_all = memory.to_read_all(self.held_bytes, self.loaded_bytes, size, at.bytes);
            let read = format!("{} of {}{}", mb(at.bytes), mb(size), if self.compressed { " compressed" } else { "" });
            let how_far = if at.lines == 0 {
                "nothing of it was loaded".to_string()
            } else {
                format!(
                    "stopped after line {} ({read}); the lines before it and the other files are loaded",
                    format::grouped(at.lines as f64, 0)
                )
            };
            let all = match to_read_all {
                Some(mib) => format!("Reading all of it takes about {mib:.0} MiB (“Read all of it” in the files list, or the page opened with ?memory={mib:.0}); the spyglass CLI reads logs of any size."),
                None => "All of it is more than a browser tab can hold; the spyglass CLI reads logs of any size.".to_string(),
            };
            let memory = memory.target_mib();
            let msg = format!("{name}: too large for this tab's memory ({memory:.0} MiB): {how_far}. {all}");
            return Outcome {
                memory_to_read_all_mib: to_read_all,
                ..said(InputState::Stopped, ErrorKind::Memory, msg)
            };
        }
        let failure = self.failure.as_deref().or((read < size).then_some(ENDED_EARLY));
        if let Some(f) = failure {
            let msg = format!(
                "{name}: reading failed after {} of {} ({f}); the lines read so far and the other files are loaded",
                mb(read),
                mb(size)
            );
            return said(InputState::Failed, ErrorKind::Read, msg);
        }
        if let Some(why) = &self.gave_up {
            return said(InputState::Failed, ErrorKind::Read, format!("{name}: {why}"));
        }
        Outcome {
            state: InputState::Done,
            error: self.source_error.clone(),
            memory_to_read_all_mib: None,
            banner: None,
        }
    }
}

/// The progress line while files are read.
pub fn progress_text(p: &Progress) -> String {
    // the rate of the first tenths of a second says little (a 3 s load once said "2m 23s left"):
    // the time left is given once a second of reading measured it
    let read_s = if p.mb_per_s > 0.0 { p.done as f64 / 1e6 / p.mb_per_s } else { 0.0 };
    let left = if p.eta_s >= 1.0 && read_s >= 1.0 {
        format!(", about {} left", format::duration_ms(p.eta_s * 1000.0))
    } else {
        String::new()
    };
    let inflated = if p.decompressed > 0 && p.decompressed > p.done {
        format!(" ({} decompressed)", format::bytes(p.decompressed as f64))
    } else {
        String::new()
    };
    format!(
        "Reading {} — {:.0} % of {} at {:.0} MB/s{left}{inflated}",
        p.name,
        p.percent,
        format::bytes(p.total as f64),
        p.mb_per_s
    )
}

/// The progress bar's CSS width.
pub fn progress_width(p: &Progress) -> String {
    format!("{:.1}%", p.percent.min(100.0))
}

/// The line above the files list: how many, how large, how many with a note.
pub fn files_summary(inputs: &[InputStatus]) -> String {
    let bytes: u64 = inputs.iter().map(|i| i.size).sum();
    let noted = inputs.iter().filter(|i| i.error.is_some()).count();
    let skipped: u64 = inputs.iter().flat_map(|i| &i.source_info).map(|s| s.skipped).sum();
    format!(
        "{} · {}{}{}",
        count(inputs.len() as u64, "file", "files"),
        format::bytes(bytes as f64),
        if skipped > 0 { format!(" · {}", count(skipped, "skipped line", "skipped lines")) } else { String::new() },
        if noted > 0 { format!(" · {noted} with problems") } else { String::new() }
    )
}

/// Whether the files list starts folded to its one-line summary: a folder of many files would
/// push the filters below the fold.
pub fn files_folded_by_default(files: usize) -> bool {
    files > FILES_SHOWN_OPEN
}

/// The most files the list shows open before it folds.
pub const FILES_SHOWN_OPEN: usize = 5;

/// A file's line in the list: its containers, size, lines and skipped lines, and its state
/// unless done.
pub fn file_meta(input: &InputStatus) -> String {
    let lines: u64 = input.source_info.iter().map(|s| s.lines).sum();
    let skipped: u64 = input.source_info.iter().map(|s| s.skipped).sum();
    let mut kinds: Vec<&str> = vec![];
    for s in &input.source_info {
        if !kinds.contains(&s.container.as_str()) {
            kinds.push(&s.container);
        }
    }
    format!(
        "{} · {} · {} lines · {} skipped{}",
        if kinds.is_empty() { "—".to_string() } else { kinds.join("+") },
        format::bytes(input.size as f64),
        format::grouped(lines as f64, 0),
        format::grouped(skipped as f64, 0),
        if input.state == InputState::Done { String::new() } else { format!(" · {}", input.state.as_str()) }
    )
}

/// The button under a file stopped at the memory budget.
pub fn read_all_label(mib: f64) -> String {
    format!("Read all of it ({mib:.0} MiB of memory)")
}

/// Why the page deemed its worker stuck (`page::watchdog`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stuck {
    /// a `cancel` not answered in time
    CancelUnanswered,
    /// silent for too long while reading
    Silent,
}

impl Stuck {
    pub fn why(self) -> &'static str {
        match self {
            Stuck::CancelUnanswered => "it did not answer Cancel within 2 s",
            Stuck::Silent => "it said nothing for 10 s while reading",
        }
    }

    /// How the file it was reading is listed once left out.
    pub fn state(self) -> InputState {
        match self {
            Stuck::CancelUnanswered => InputState::Cancelled,
            Stuck::Silent => InputState::Failed,
        }
    }
}

/// The note of the file a stuck worker was reading, left out when it was replaced.
pub fn left_out_note(name: &str, stuck: Stuck) -> String {
    format!(
        "{name}: the background reader stopped answering while reading it ({}): it was restarted and this file left out; add it again to retry",
        stuck.why()
    )
}

/// The banner when a stuck worker was replaced: the file left out, if one was being read, and
/// whether the other files are read again.
pub fn restart_banner(left_out: Option<&str>, stuck: Stuck, others_again: bool) -> String {
    let what = left_out.map_or_else(String::new, |n| format!(" while reading {n}"));
    let rest = if others_again { "; the other files are read again" } else { "" };
    format!(
        "The background reader stopped answering{what} ({}): it was ended and a new one started{rest}.",
        stuck.why()
    )
}

#[cfg(test)]
mod tests {
    use super::super::protocol::SourceLines;
    use super::*;

    const MIB: usize = 1024 * 1024;

    fn end(name: &str, size: u64, bytes_read: u64) -> ReadEnd<'_> {
        ReadEnd { name, size, bytes_read, ..ReadEnd::default() }
    }

    #[test]
    fn sizes_in_kb_then_mb() {
        assert_eq!(mb(0), "0.0 kB");
        assert_eq!(mb(999_999), "1000.0 kB");
        assert_eq!(mb(1_000_000), "1.0 MB");
        assert_eq!(mb(2_034_700_000), "2034.7 MB");
    }

    #[test]
    fn a_whole_read_is_done_with_its_sources_note() {
        let m = MemoryTarget::default();
        let o = end("a.jsonl", 100, 100).outcome(&m);
        assert_eq!(o, Outcome { state: InputState::Done, error: None, memory_to_read_all_mib: None, banner: None });
        let noted = ReadEnd { source_error: Some("a.jsonl: not telemetry".into()), ..end("a.jsonl", 100, 100) };
        assert_eq!(noted.outcome(&m).error.as_deref(), Some("a.jsonl: not telemetry"));
        assert_eq!(noted.outcome(&m).banner, None);
    }

    #[test]
    fn cancelled_says_how_far_and_takes_precedence() {
        let e = ReadEnd {
            cancelled: true,
            failure: Some("x".into()),
            stopped: Some(Stopped { bytes: 1, lines: 1 }),
            ..end("a", 2_500_000, 1_250_000)
        };
        let o = e.outcome(&MemoryTarget::default());
        assert_eq!(o.state, InputState::Cancelled);
        assert_eq!(o.error.as_deref(), Some("cancelled after 1.2 MB of 2.5 MB; the lines read so far are loaded"));
        assert_eq!(o.banner, None);
    }

    #[test]
    fn stopped_at_the_budget_says_where_and_what_reading_all_takes() {
        let e = ReadEnd {
            stopped: Some(Stopped { bytes: 1_000_000_000, lines: 1_360_428 }),
            held_bytes: 100 * MIB,
            loaded_bytes: 1_000_000_000,
            ..end("large.jsonl", 2_000_000_000, 1_000_000_000)
        };
        let o = e.outcome(&MemoryTarget::default());
        assert_eq!(o.state, InputState::Stopped);
        assert_eq!(o.banner, Some(ErrorKind::Memory));
        // budget::tests: 704 MiB reads all of it
        assert_eq!(o.memory_to_read_all_mib, Some(704.0));
        assert_eq!(
            o.error.as_deref(),
            Some("large.jsonl: too large for this tab's memory (500 MiB): stopped after line 1,360,428 (1000.0 MB of 2000.0 MB); the lines before it and the other files are loaded. Reading all of it takes about 704 MiB (“Read all of it” in the files list, or the page opened with ?memory=704); the spyglass CLI reads logs of any size.")
        );
        // a .zip stopped at its first line, far too large for a tab
        let e = ReadEnd {
            stopped: Some(Stopped { bytes: 4096, lines: 0 }),
            compressed: true,
            held_bytes: 100 * MIB,
            loaded_bytes: 1_000_000,
            ..end("huge.zip", 40_000_000_000, 4096)
        };
        let o = e.outcome(&MemoryTarget { memory_mib: Some(640.0), dpr: 1.0 });
        assert_eq!(o.memory_to_read_all_mib, None);
        assert_eq!(
            o.error.as_deref(),
            Some("huge.zip: too large for this tab's memory (640 MiB): nothing of it was loaded. All of it is more than a browser tab can hold; the spyglass CLI reads logs of any size.")
        );
    }

    #[test]
    fn a_failure_or_an_early_end_says_how_far() {
        let m = MemoryTarget::default();
        let e = ReadEnd { failure: Some("NotReadableError: gone".into()), ..end("a.jsonl", 3_000_000, 1_500_000) };
        let o = e.outcome(&m);
        assert_eq!(o.state, InputState::Failed);
        assert_eq!(o.banner, Some(ErrorKind::Read));
        assert_eq!(
            o.error.as_deref(),
            Some("a.jsonl: reading failed after 1.5 MB of 3.0 MB (NotReadableError: gone); the lines read so far and the other files are loaded")
        );
        let o = end("b.jsonl", 800, 500).outcome(&m);
        assert_eq!(
            o.error.as_deref(),
            Some("b.jsonl: reading failed after 0.5 kB of 0.8 kB (the file ended early: it changed or was cut while being read); the lines read so far and the other files are loaded")
        );
        // a decoder that gave up (a bomb guard) fails the input under its own words
        let e = ReadEnd { gave_up: Some("stopped: it inflates over 1000×".into()), ..end("bomb.gz", 100, 100) };
        let o = e.outcome(&m);
        assert_eq!((o.state, o.banner), (InputState::Failed, Some(ErrorKind::Read)));
        assert_eq!(o.error.as_deref(), Some("bomb.gz: stopped: it inflates over 1000×"));
    }

    fn progress() -> Progress {
        Progress {
            name: "big.jsonl.gz".into(),
            id: 1,
            done: 50_000_000,
            total: 200_000_000,
            percent: 25.04,
            mb_per_s: 24.6,
            eta_s: 90.0,
            decompressed: 400_000_000,
            wasm_bytes: 0.0,
            records_bytes: 0.0,
            core_ms: 0.0,
            wait_ms: 0.0,
            parsers: 0,
        }
    }

    #[test]
    fn the_progress_line() {
        let p = progress();
        assert_eq!(
            progress_text(&p),
            "Reading big.jsonl.gz — 25 % of 200.0 MB at 25 MB/s, about 1m 30s left (400.0 MB decompressed)"
        );
        assert_eq!(progress_width(&p), "25.0%");
        // under a second left, nothing inflated
        let p = Progress { eta_s: 0.5, decompressed: 50_000_000, percent: 100.2, ..progress() };
        assert_eq!(progress_text(&p), "Reading big.jsonl.gz — 100 % of 200.0 MB at 25 MB/s");
        assert_eq!(progress_width(&p), "100.0%");
        // 2 MB read at 10 MB/s, 0.2 s: too early to say how long the rest takes
        let p = Progress { done: 2_000_000, mb_per_s: 10.0, eta_s: 143.0, decompressed: 0, percent: 1.0, ..progress() };
        assert_eq!(progress_text(&p), "Reading big.jsonl.gz — 1 % of 200.0 MB at 10 MB/s");
    }

    fn input(state: InputState, error: Option<&str>, sources: &[(&str, u64, u64)]) -> InputStatus {
        InputStatus {
            id: 1,
            name: "a".into(),
            size: 1_500_000,
            state,
            bytes_read: 0,
            error: error.map(String::from),
            sources: (0..sources.len() as u32).collect(),
            memory_to_read_all_mib: None,
            source_info: sources
                .iter()
                .map(|&(c, lines, skipped)| SourceLines { container: c.into(), lines, skipped })
                .collect(),
        }
    }

    #[test]
    fn the_files_list() {
        let zip = input(InputState::Done, None, &[("zip", 1200, 3), ("zip", 34, 0), ("gzip", 1, 1)]);
        assert_eq!(file_meta(&zip), "zip+gzip · 1.5 MB · 1,235 lines · 4 skipped");
        let stopped = input(InputState::Stopped, Some("too large"), &[("plain", 7, 0)]);
        assert_eq!(file_meta(&stopped), "plain · 1.5 MB · 7 lines · 0 skipped · stopped");
        let queued = input(InputState::Queued, None, &[]);
        assert_eq!(file_meta(&queued), "— · 1.5 MB · 0 lines · 0 skipped · queued");
        assert_eq!(files_summary(std::slice::from_ref(&zip)), "1 file · 1.5 MB · 4 skipped lines");
        assert_eq!(files_summary(std::slice::from_ref(&stopped)), "1 file · 1.5 MB · 1 with problems");
        assert_eq!(files_summary(&[zip, stopped, queued]), "3 files · 4.5 MB · 4 skipped lines · 1 with problems");
        assert_eq!(files_summary(&[]), "0 files · 0 B");
        assert!(!files_folded_by_default(5) && files_folded_by_default(6));
        assert_eq!(read_all_label(703.6), "Read all of it (704 MiB of memory)");
    }

    #[test]
    fn a_stuck_worker_replaced() {
        assert_eq!(Stuck::CancelUnanswered.state(), InputState::Cancelled);
        assert_eq!(Stuck::Silent.state(), InputState::Failed);
        assert_eq!(
            left_out_note("a.jsonl", Stuck::Silent),
            "a.jsonl: the background reader stopped answering while reading it (it said nothing for 10 s while reading): it was restarted and this file left out; add it again to retry"
        );
        assert_eq!(
            restart_banner(Some("a.jsonl"), Stuck::CancelUnanswered, true),
            "The background reader stopped answering while reading a.jsonl (it did not answer Cancel within 2 s): it was ended and a new one started; the other files are read again."
        );
        assert_eq!(
            restart_banner(None, Stuck::Silent, false),
            "The background reader stopped answering (it said nothing for 10 s while reading): it was ended and a new one started."
        );
    }
}
