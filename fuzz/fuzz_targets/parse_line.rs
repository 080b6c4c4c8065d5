//! The line parser's fast path against serde_json (as tests/fast_path.rs compares them): wherever
//! the fast path reads a line, serde_json reads it to the very same fields (compared in full,
//! floats by their bits through `{:?}`); whatever either gives, `parse_line`'s result is the
//! reference's, skip reason for skip reason.
#![no_main]
use libfuzzer_sys::fuzz_target;
use spyglass::ingest::parse::{fast_path, parse_line, parse_line_reference};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // what the ingest hands the parser: a line trimmed of blanks, not empty
    let line = text.trim_ascii();
    if line.is_empty() {
        return;
    }
    let reference = parse_line_reference(line);
    if let Some(fast) = fast_path(line) {
        match &reference {
            Ok(r) => assert_eq!(format!("{fast:?}"), format!("{r:?}"), "fast path and serde_json differ on {line:?}"),
            Err(e) => panic!("the fast path read a line serde_json rejects ({e:?}): {line:?}"),
        }
        // the shape is decided by the fields alone
        assert_eq!(format!("{:?}", fast.shape()), format!("{:?}", reference.as_ref().unwrap().shape()));
    }
    assert_eq!(format!("{:?}", parse_line(line)), format!("{reference:?}"), "{line:?}");
});
