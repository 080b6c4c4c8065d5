//! The archive decoders and the line reader: arbitrary bytes read as a plain, `.gz` or `.zip`
//! input (see `common::input_file`) never panic, and give the same store whatever the chunking —
//! the whole input in one push against chunk sizes derived from the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use spyglass::ingest::Store;

mod common;
use common::{chunk_sizes, dump, input_file, load, Bytes};

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let seed = b.u16();
    let (name, bytes) = input_file(&mut b);
    let mut whole = Store::new();
    load(&mut whole, &name, &bytes, &mut || usize::MAX);
    let mut chunked = Store::new();
    load(&mut chunked, &name, &bytes, &mut chunk_sizes(seed));
    let (a, c) = (dump(&whole), dump(&chunked));
    if a != c {
        let at = a.iter().zip(&c).position(|(x, y)| x != y).unwrap_or(a.len().min(c.len()));
        panic!(
            "chunking changes the store of {name} ({} bytes) at item {at}:\n whole:   {:?}\n chunked: {:?}",
            bytes.len(),
            a.get(at),
            c.get(at)
        );
    }
});
