//! A small writer of one JSON line at a time, into a reused buffer.
//!
//! Keys are written as given (the generator's keys need no escaping); string values are escaped.
//! Numbers are written by hand or by `{}` on an `f64` (the shortest text that reads back as the
//! same value), so the bytes do not depend on a JSON library's formatting.

/// How a number is written: bare (`1234`) or as a string of the same digits (`"1234"`), as some
/// writers do.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub(super) enum NumberForm {
    #[default]
    Bare,
    Quoted,
}

impl NumberForm {
    pub(super) fn quoted_if(quoted: bool) -> NumberForm {
        if quoted {
            NumberForm::Quoted
        } else {
            NumberForm::Bare
        }
    }
}

/// The line being written: fields and items get their commas from the nesting they are in.
pub(super) struct JsonLine {
    /// The line so far (no newline: the file writers add it).
    pub(super) bytes: Vec<u8>,
    /// Per nesting depth: nothing written at this depth yet (no comma needed).
    first_at_depth: [bool; 24],
    depth: usize,
}

/// Appends `s` as a JSON string, quoted and escaped.
pub(super) fn push_json_string(b: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    b.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let rep: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        b.extend_from_slice(&bytes[start..i]);
        if rep.is_empty() {
            b.extend_from_slice(b"\\u00");
            b.push(HEX[(c >> 4) as usize]);
            b.push(HEX[(c & 15) as usize]);
        } else {
            b.extend_from_slice(rep);
        }
        start = i + 1;
    }
    b.extend_from_slice(&bytes[start..]);
    b.push(b'"');
}

fn push_f64(b: &mut Vec<u8>, v: f64) {
    use std::io::Write;
    let _ = write!(b, "{}", v);
}

/// Appends the decimal digits of `|v|`, zero-padded on the left to at least `width` digits.
pub(super) fn push_digits(b: &mut Vec<u8>, v: i64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    let mut x = v.unsigned_abs();
    while x > 0 {
        i -= 1;
        tmp[i] = b'0' + (x % 10) as u8;
        x /= 10;
    }
    let digits = tmp.len() - i;
    for _ in digits..width {
        b.push(b'0');
    }
    b.extend_from_slice(&tmp[i..]);
}

impl JsonLine {
    pub(super) fn new() -> JsonLine {
        JsonLine { bytes: Vec::with_capacity(64 * 1024), first_at_depth: [true; 24], depth: 0 }
    }

    /// Starts a new line (the buffer keeps its capacity).
    pub(super) fn clear(&mut self) {
        self.bytes.clear();
        self.depth = 0;
    }

    fn comma_unless_first(&mut self) {
        if !self.first_at_depth[self.depth] {
            self.bytes.push(b',');
        }
        self.first_at_depth[self.depth] = false;
    }

    /// Opens an object or array (`bracket`) one level deeper.
    fn open_bracket(&mut self, bracket: u8) {
        self.bytes.push(bracket);
        self.depth += 1;
        self.first_at_depth[self.depth] = true;
    }

    fn close_bracket(&mut self, bracket: u8) {
        self.bytes.push(bracket);
        self.depth -= 1;
    }

    /// Opens the line's own object (or one whose key or comma is already written).
    pub(super) fn open_object(&mut self) {
        self.open_bracket(b'{');
    }

    pub(super) fn close_object(&mut self) {
        self.close_bracket(b'}');
    }

    pub(super) fn close_array(&mut self) {
        self.close_bracket(b']');
    }

    /// Writes `"k":` (after a comma when needed); the value is written next by the caller.
    pub(super) fn key(&mut self, k: &str) {
        self.comma_unless_first();
        self.bytes.push(b'"');
        self.bytes.extend_from_slice(k.as_bytes());
        self.bytes.extend_from_slice(b"\":");
    }

    pub(super) fn str_field(&mut self, k: &str, v: &str) {
        self.key(k);
        push_json_string(&mut self.bytes, v);
    }

    pub(super) fn i64_field(&mut self, k: &str, v: i64) {
        self.key(k);
        if v < 0 {
            self.bytes.push(b'-');
        }
        push_digits(&mut self.bytes, v, 1);
    }

    pub(super) fn u64_field(&mut self, k: &str, v: u64) {
        self.u64_field_as(k, v, NumberForm::Bare);
    }

    pub(super) fn u64_field_as(&mut self, k: &str, v: u64, form: NumberForm) {
        self.key(k);
        let quoted = form == NumberForm::Quoted;
        if quoted {
            self.bytes.push(b'"');
        }
        push_digits(&mut self.bytes, v as i64, 1);
        if quoted {
            self.bytes.push(b'"');
        }
    }

    pub(super) fn f64_field(&mut self, k: &str, v: f64) {
        self.key(k);
        push_f64(&mut self.bytes, v);
    }

    pub(super) fn f64_field_as(&mut self, k: &str, v: f64, form: NumberForm) {
        match form {
            NumberForm::Quoted => self.str_field(k, &v.to_string()),
            NumberForm::Bare => self.f64_field(k, v),
        }
    }

    pub(super) fn bool_field(&mut self, k: &str, v: bool) {
        self.key(k);
        self.bytes.extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// Opens `"k":{`; close it with [`JsonLine::close_object`].
    pub(super) fn open_object_field(&mut self, k: &str) {
        self.key(k);
        self.open_object();
    }

    /// Opens `"k":[`; close it with [`JsonLine::close_array`].
    pub(super) fn open_array_field(&mut self, k: &str) {
        self.key(k);
        self.open_bracket(b'[');
    }

    /// A string item of the open array.
    pub(super) fn str_item(&mut self, v: &str) {
        self.comma_unless_first();
        push_json_string(&mut self.bytes, v);
    }

    /// Opens an object item of the open array.
    pub(super) fn open_object_item(&mut self) {
        self.comma_unless_first();
        self.open_object();
    }
}
