//! Placeholder until the push-based gzip/zip decoder lands: plain text only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind { Plain, Gzip, Zip }
pub fn sniff(first: &[u8], name: &str) -> ContainerKind { let _ = (first, name); ContainerKind::Plain }
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveError { pub message: String }
pub enum Output<'a> { EntryStart { name: &'a str }, Data(&'a [u8]), EntryEnd }
pub struct Decoder { started: bool, bytes: u64 }
impl Decoder {
    pub fn new(_kind: ContainerKind) -> Self { Decoder { started: false, bytes: 0 } }
    pub fn push(&mut self, chunk: &[u8], out: &mut dyn FnMut(Output<'_>)) -> Result<(), ArchiveError> {
        if !self.started { self.started = true; out(Output::EntryStart { name: "" }); }
        self.bytes += chunk.len() as u64; out(Output::Data(chunk)); Ok(())
    }
    pub fn finish(&mut self, out: &mut dyn FnMut(Output<'_>)) -> Result<(), ArchiveError> {
        if !self.started { out(Output::EntryStart { name: "" }); } out(Output::EntryEnd); Ok(())
    }
    pub fn bytes_in(&self) -> u64 { self.bytes }
    pub fn bytes_out(&self) -> u64 { self.bytes }
}
