//! The page's memory: the records' budget that keeps the tab within its memory target whatever
//! the size of the logs, and the estimate of the target that would read all of a file that
//! stopped at it.
//!
//! The renderer's peak memory, measured with tests/e2e/bench.mjs on 0.5, 1 and 2 GB demo streams,
//! is about [`page_mib`]`(dpr)` + [`MIB_PER_RECORD_MIB`] × what the records hold
//! (`Store::held_bytes`). The first part is the page whatever the data: Chromium's own share, both
//! Wasm modules, the DOM, the file being read, and sixteen chart canvases and their compositing,
//! which grow with the square of the device pixel ratio (290 MiB at ratio 2, 355 at 3, ~255 at 1).
//! The second is the worker's Wasm memory (the records, then sessions, digests and the report:
//! ~1.5 × the records) and the page's share of a larger report.

const MIB: f64 = 1024.0 * 1024.0;

/// The tab's memory target unless the page says otherwise (`?memory=MiB`): under the 512 MiB the
/// page is meant to stay below whatever the size of the logs.
pub const DEFAULT_MEMORY_MIB: f64 = 500.0;
/// The renderer's memory per MiB the records hold.
pub const MIB_PER_RECORD_MIB: f64 = 1.8;
/// The most records a worker can hold: its Wasm memory (4 GiB at most in wasm32) is ~1.5 × the
/// records at its peak. Past this, "Read all of it" is not offered.
pub const MAX_RECORDS_MIB: f64 = 2400.0;
/// The least the records get, whatever the target.
const MIN_RECORDS_MIB: f64 = 8.0;

/// The page's memory whatever the data, at device pixel ratio `dpr`.
pub fn page_mib(dpr: f64) -> f64 {
    238.0 + 13.0 * dpr * dpr
}

/// The memory settings the page sends with `load` and `demo`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemoryTarget {
    /// `?memory=` or a "Read all of it" (`None`: [`DEFAULT_MEMORY_MIB`])
    pub memory_mib: Option<f64>,
    pub dpr: f64,
}

impl Default for MemoryTarget {
    fn default() -> Self {
        MemoryTarget { memory_mib: None, dpr: 2.0 }
    }
}

impl MemoryTarget {
    pub fn target_mib(&self) -> f64 {
        self.memory_mib.unwrap_or(DEFAULT_MEMORY_MIB)
    }

    /// The most the store's records may hold (bytes) for the tab to stay within its target: a
    /// file whose records would pass it stops at its last line that fits
    /// (`Feed::set_memory_limit`).
    pub fn records_budget(&self) -> usize {
        let mib = (self.target_mib() - page_mib(self.dpr)) / MIB_PER_RECORD_MIB;
        (mib.max(MIN_RECORDS_MIB) * MIB) as usize
    }

    /// The target that reads all of a file stopped at the budget after `stopped_at` of its `size`
    /// bytes, rounded up to 64 MiB and at least 64 more than now — or `None` when its records
    /// would pass [`MAX_RECORDS_MIB`]. The records grow with the input: for the rest of it, as
    /// much per byte as all `loaded` bytes so far took (`held` bytes of records), plus a tenth.
    pub fn to_read_all(&self, held: usize, loaded: u64, size: u64, stopped_at: u64) -> Option<f64> {
        let per_byte = held as f64 / loaded.max(1) as f64;
        let whole = (held as f64 + per_byte * size.saturating_sub(stopped_at) as f64) * 1.1 / MIB;
        let needed = ((page_mib(self.dpr) + MIB_PER_RECORD_MIB * whole) / 64.0).ceil() * 64.0;
        (whole <= MAX_RECORDS_MIB).then_some(needed.max(self.target_mib() + 64.0))
    }
}

/// `?memory=MiB` in the page's address (`location.search`): a positive number, else `None`.
pub fn memory_from_query(search: &str) -> Option<f64> {
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix("memory="))?
        .parse::<f64>()
        .ok()
        .filter(|m| m.is_finite() && *m > 0.0)
}

/// Parse workers to start on a machine of `cores` logical cores: one per core but one (the page
/// and the browser's reading keep a core), at most 4 — and none below three cores: one parse
/// worker reads and parses a 2 GB stream at ~220 MB/s, while the worker alone, reading the next
/// chunk while it parses this one, does ~300 (2-core machine).
pub fn parse_workers_for(cores: usize) -> usize {
    match cores.saturating_sub(1) {
        n @ 2.. => n.min(4),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_takes_more_at_a_higher_pixel_ratio() {
        assert_eq!(page_mib(1.0), 251.0);
        assert_eq!(page_mib(2.0), 290.0);
        assert_eq!(page_mib(3.0), 355.0);
    }

    #[test]
    fn the_records_get_what_the_page_leaves_of_the_target() {
        // (500 − 290) / 1.8 = 116.67 MiB = 122 333 866.67 bytes
        assert_eq!(MemoryTarget { memory_mib: None, dpr: 2.0 }.records_budget(), 122_333_866);
        assert_eq!(MemoryTarget::default().records_budget(), 122_333_866);
        // (500 − 251) / 1.8 = 138.33 MiB = 145 053 013.33 bytes
        assert_eq!(MemoryTarget { memory_mib: None, dpr: 1.0 }.records_budget(), 145_053_013);
        // (1000 − 290) / 1.8 = 394.44 MiB = 413 604 977.78 bytes
        assert_eq!(MemoryTarget { memory_mib: Some(1000.0), dpr: 2.0 }.records_budget(), 413_604_977);
        // less than the page itself: 8 MiB all the same
        assert_eq!(MemoryTarget { memory_mib: Some(200.0), dpr: 2.0 }.records_budget(), 8 * 1024 * 1024);
    }

    #[test]
    fn reading_all_takes_the_rest_at_the_rate_so_far_plus_a_tenth() {
        let m = MemoryTarget::default();
        const MB100: usize = 100 * 1024 * 1024;
        // 100 MiB of records for 1 GB read; the file is 2 GB, stopped at 1 GB: 200 MiB × 1.1 =
        // 220 MiB of records; 290 + 1.8 × 220 = 686 → 704 (the next multiple of 64)
        assert_eq!(m.to_read_all(MB100, 1_000_000_000, 2_000_000_000, 1_000_000_000), Some(704.0));
        // a little more than what is there: at least the target + 64
        assert_eq!(m.to_read_all(MB100 / 100, 1_000_000_000, 1_000_000_001, 1_000_000_000), Some(564.0));
        // records of 2 400 MiB are the most a worker holds: (100 + 2181.8) × 1.1 = 2 510 are not offered
        assert_eq!(m.to_read_all(MB100, 1_000_000_000, 22_818_181_818, 1_000_000_000), None);
        // a target of 1000: at least 1064
        let big = MemoryTarget { memory_mib: Some(1000.0), dpr: 2.0 };
        assert_eq!(big.to_read_all(MB100, 1_000_000_000, 2_000_000_000, 1_000_000_000), Some(1064.0));
        // nothing loaded yet: no rate to go by, the records held count once
        assert_eq!(m.to_read_all(0, 0, 500, 0), Some(564.0));
    }

    #[test]
    fn memory_from_the_query_string() {
        assert_eq!(memory_from_query("?memory=640"), Some(640.0));
        assert_eq!(memory_from_query("?a=1&memory=1.5e3&b"), Some(1500.0));
        assert_eq!(memory_from_query("memory=12"), Some(12.0));
        for bad in ["", "?", "?memory=", "?memory=-5", "?memory=0", "?memory=lots", "?memory=inf", "?xmemory=5"] {
            assert_eq!(memory_from_query(bad), None, "{bad}");
        }
    }

    #[test]
    fn parse_workers_from_three_cores_up_to_four() {
        let by_cores: Vec<usize> = (0..=8).map(parse_workers_for).collect();
        assert_eq!(by_cores, [0, 0, 0, 2, 3, 4, 4, 4, 4]);
    }
}
