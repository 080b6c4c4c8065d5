//! Placeholder until the demo generator lands.
pub struct DemoConfig { pub sessions: usize, pub seed: u64 }
impl Default for DemoConfig { fn default() -> Self { DemoConfig { sessions: 400, seed: 42 } } }
pub trait DemoSink { fn write(&mut self, path: &str, bytes: &[u8]) -> std::io::Result<()>; }
#[derive(Default)] pub struct DemoTally { pub sessions: usize }
pub fn sessions_for_stream_bytes(bytes: u64) -> usize { (bytes / 20_000) as usize }
pub fn generate(_cfg: &DemoConfig, _sink: &mut dyn DemoSink) -> std::io::Result<DemoTally> { Err(std::io::Error::other("not yet")) }
