//! Where the generated files go: the sink trait and the two sinks of the core.

use std::collections::BTreeMap;
use std::io;

/// Receives the bytes of a file, identified by its path relative to the log folder
/// (`agent-work-stream.jsonl`, `agent-sessions/<attempt_id>.jsonl`, …). Called many
/// times per file; each call appends.
pub trait DemoSink {
    fn write(&mut self, path: &str, bytes: &[u8]) -> io::Result<()>;
}

/// Keeps every file in memory (for the page's "Try the demo" button and for tests).
#[derive(Debug, Default, Clone)]
pub struct MemorySink {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl DemoSink for MemorySink {
    fn write(&mut self, path: &str, bytes: &[u8]) -> io::Result<()> {
        match self.files.get_mut(path) {
            Some(v) => v.extend_from_slice(bytes),
            None => {
                self.files.insert(path.to_string(), bytes.to_vec());
            }
        }
        Ok(())
    }
}

/// Discards everything, counting bytes and calls (benchmarks).
#[derive(Debug, Default, Clone)]
pub struct DiscardSink {
    pub bytes: u64,
    pub writes: u64,
    pub max_write: usize,
}

impl DemoSink for DiscardSink {
    fn write(&mut self, _path: &str, bytes: &[u8]) -> io::Result<()> {
        self.bytes += bytes.len() as u64;
        self.writes += 1;
        self.max_write = self.max_write.max(bytes.len());
        Ok(())
    }
}
