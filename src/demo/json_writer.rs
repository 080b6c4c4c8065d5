//! The JSON line writer.

pub(super) struct J {
    pub(super) b: Vec<u8>,
    pub(super) first: [bool; 24],
    pub(super) d: usize,
}

pub(super) fn esc(b: &mut Vec<u8>, s: &str) {
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

pub(super) fn push_f64(b: &mut Vec<u8>, v: f64) {
    use std::io::Write;
    let _ = write!(b, "{}", v);
}

pub(super) fn push_pad(b: &mut Vec<u8>, v: i64, width: usize) {
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

impl J {
    pub(super) fn new() -> J {
        J { b: Vec::with_capacity(64 * 1024), first: [true; 24], d: 0 }
    }
    pub(super) fn clear(&mut self) {
        self.b.clear();
        self.d = 0;
    }
    pub(super) fn sep(&mut self) {
        if !self.first[self.d] {
            self.b.push(b',');
        }
        self.first[self.d] = false;
    }
    /// Opens an object or array (`bracket`) one level deeper.
    pub(super) fn open_with(&mut self, bracket: u8) {
        self.b.push(bracket);
        self.d += 1;
        self.first[self.d] = true;
    }
    pub(super) fn close_with(&mut self, bracket: u8) {
        self.b.push(bracket);
        self.d -= 1;
    }
    pub(super) fn open(&mut self) {
        self.open_with(b'{');
    }
    pub(super) fn close(&mut self) {
        self.close_with(b'}');
    }
    pub(super) fn key(&mut self, k: &str) {
        self.sep();
        self.b.push(b'"');
        self.b.extend_from_slice(k.as_bytes());
        self.b.extend_from_slice(b"\":");
    }
    pub(super) fn s(&mut self, k: &str, v: &str) {
        self.key(k);
        esc(&mut self.b, v);
    }
    pub(super) fn i(&mut self, k: &str, v: i64) {
        self.key(k);
        if v < 0 {
            self.b.push(b'-');
        }
        push_pad(&mut self.b, v, 1);
    }
    /// A number, or with `as_str` the same digits as a string (`"1234"`).
    pub(super) fn num(&mut self, k: &str, v: u64, as_str: bool) {
        self.key(k);
        if as_str {
            self.b.push(b'"');
        }
        push_pad(&mut self.b, v as i64, 1);
        if as_str {
            self.b.push(b'"');
        }
    }
    pub(super) fn f(&mut self, k: &str, v: f64) {
        self.key(k);
        push_f64(&mut self.b, v);
    }
    pub(super) fn fs(&mut self, k: &str, v: f64, as_str: bool) {
        if as_str {
            self.s(k, &v.to_string());
        } else {
            self.f(k, v);
        }
    }
    pub(super) fn bo(&mut self, k: &str, v: bool) {
        self.key(k);
        self.b.extend_from_slice(if v { b"true" } else { b"false" });
    }
    pub(super) fn o(&mut self, k: &str) {
        self.key(k);
        self.open();
    }
    pub(super) fn a(&mut self, k: &str) {
        self.key(k);
        self.open_with(b'[');
    }
    pub(super) fn a_end(&mut self) {
        self.close_with(b']');
    }
    pub(super) fn item_s(&mut self, v: &str) {
        self.sep();
        esc(&mut self.b, v);
    }
    pub(super) fn item_o(&mut self) {
        self.sep();
        self.open();
    }
}
