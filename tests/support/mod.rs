//! What the test modules share: loading inputs, a folder's files, chart samples.
pub mod chart_samples;
pub mod files;

use spyglass::dataset::Dataset;
use spyglass::ingest::{Feed, Store};

/// A work-stream file of `text` as a dataset (the pipelines' tests).
pub fn stream(text: &str) -> Dataset {
    Dataset::from_files([("agent-work-stream.jsonl", text.as_bytes())])
}

/// `bytes` read into `store` as the file `name`, pushed in chunks of `chunk` bytes.
pub fn feed_chunked(store: &mut Store, name: &str, bytes: &[u8], chunk: usize) {
    let mut feed = Feed::new(name);
    for c in bytes.chunks(chunk.max(1)) {
        feed.push(store, c);
    }
    feed.finish(store);
}
