//! The line parser's fast path: a serde `Deserializer` over one line that reads JSON the way
//! `serde_json` does for what Spyglass's readers ask of it, and gives up ([`Bail`]) on anything
//! else — a syntax error, a surrogate escape, a number it does not read the way serde_json would,
//! a deserializer method the readers never call. The line is then parsed again by `serde_json`,
//! which decides and words the skip reason. So a line reads the same either way: the fast path
//! only ever succeeds where serde_json succeeds with the same calls into the readers (tested
//! against serde_json on every line of the fixtures and on mutations of them).
//!
//! Why: most of a bosun line is text nobody reads (outputs, prompts, tool results). serde_json
//! skips a string 4 bytes a step in Wasm (`usize` words); here a string is scanned 16 bytes a step
//! with Wasm SIMD (SSE2 on x86_64, `u64` words elsewhere), and the grammar is walked without the
//! generic reader layer.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The fast path gave up; serde_json reads the line instead.
#[derive(Debug)]
pub struct Bail;

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("not read by the fast path")
    }
}
impl std::error::Error for Bail {}
impl de::Error for Bail {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Bail
    }
}

type Result<T> = std::result::Result<T, Bail>;

/// Nesting the fast path reads (deeper lines go to serde_json, which allows 128).
const MAX_DEPTH: u32 = 100;

pub struct Fast<'de> {
    s: &'de str,
    pos: usize,
    depth: u32,
    /// a string with escapes, decoded
    scratch: String,
}

/// A string read: borrowed from the line when it has no escapes (serde_json's `visit_borrowed_str`),
/// else decoded (its `visit_str`).
enum Text<'de, 's> {
    Borrowed(&'de str),
    Copied(&'s str),
}

impl<'de> Fast<'de> {
    pub fn new(s: &'de str) -> Fast<'de> {
        Fast { s, pos: 0, depth: 0, scratch: String::new() }
    }

    fn bytes(&self) -> &'de [u8] {
        self.s.as_bytes()
    }

    /// Only whitespace left (serde_json's `Deserializer::end`).
    pub fn at_end(&mut self) -> bool {
        self.ws().is_none()
    }

    /// Skips JSON whitespace and peeks at the next byte.
    fn ws(&mut self) -> Option<u8> {
        let b = self.bytes();
        while let Some(&c) = b.get(self.pos) {
            if !matches!(c, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(c);
            }
            self.pos += 1;
        }
        None
    }

    fn expect(&mut self, c: u8) -> Result<()> {
        if self.ws() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<()> {
        if self.bytes()[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// The checks of serde_json's `ignore_escape`, at the byte after a backslash; returns the
    /// escape's length after the backslash.
    fn escape_len(&self, at: usize) -> Result<usize> {
        match self.bytes().get(at) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(1),
            Some(b'u') => match self.bytes().get(at + 1..at + 5) {
                Some(hex) if hex.iter().all(u8::is_ascii_hexdigit) => Ok(5),
                _ => Err(Bail),
            },
            _ => Err(Bail),
        }
    }

    /// Skips a string whose opening quote has been read.
    fn skip_string(&mut self) -> Result<()> {
        let b = self.bytes();
        loop {
            let i = special(b, self.pos);
            match b.get(i) {
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(());
                }
                Some(b'\\') => self.pos = i + 1 + self.escape_len(i + 1)?,
                // a control character, or the end of the line
                _ => return Err(Bail),
            }
        }
    }

    /// Reads a string whose opening quote has been read.
    fn string(&mut self) -> Result<Text<'de, '_>> {
        let (s, b) = (self.s, self.bytes());
        let start = self.pos;
        let mut i = special(b, start);
        if b.get(i) == Some(&b'"') {
            self.pos = i + 1;
            return Ok(Text::Borrowed(&s[start..i]));
        }
        self.scratch.clear();
        let mut from = start;
        loop {
            match b.get(i) {
                Some(b'"') => {
                    self.scratch.push_str(&s[from..i]);
                    self.pos = i + 1;
                    return Ok(Text::Copied(&self.scratch));
                }
                Some(b'\\') => {
                    self.scratch.push_str(&s[from..i]);
                    let c = match b.get(i + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hex = s.get(i + 2..i + 6).ok_or(Bail)?;
                            let unit = u16::from_str_radix(hex, 16).map_err(|_| Bail)?;
                            // surrogates (pairs and lone ones) are serde_json's to judge
                            char::from_u32(unit as u32)
                                .filter(|_| hex.bytes().all(|h| h.is_ascii_hexdigit()))
                                .ok_or(Bail)?
                        }
                        _ => return Err(Bail),
                    };
                    self.scratch.push(c);
                    from = i + 1 + self.escape_len(i + 1)?;
                    i = special(b, from);
                }
                _ => return Err(Bail),
            }
        }
    }

    /// The text of a number, checked against JSON's grammar (serde_json's `ignore_integer`).
    fn number(&mut self) -> Result<&'de str> {
        let b = self.bytes();
        let start = self.pos;
        let mut i = start + usize::from(b.get(start) == Some(&b'-'));
        let digits = |i: usize| b[i.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
        match b.get(i) {
            Some(b'0') => {
                i += 1;
                if b.get(i).is_some_and(u8::is_ascii_digit) {
                    return Err(Bail);
                }
            }
            Some(b'1'..=b'9') => i += digits(i),
            _ => return Err(Bail),
        }
        if b.get(i) == Some(&b'.') {
            let n = digits(i + 1);
            if n == 0 {
                return Err(Bail);
            }
            i += 1 + n;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let n = digits(i);
            if n == 0 {
                return Err(Bail);
            }
            i += n;
        }
        self.pos = i;
        Ok(&self.s[start..i])
    }

    fn visit_number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let text = self.number()?;
        // the common case: a plain non-negative integer that fits (serde_json: `visit_u64`)
        if text.len() <= 19 && text.bytes().all(|c| c.is_ascii_digit()) {
            return visitor.visit_u64(text.parse().map_err(|_| Bail)?);
        }
        // anything else as serde_json reads it: its own float algorithm, `-0` as a float,
        // overflow to a float, out of range an error
        let n: serde_json::Number = serde_json::from_str(text).map_err(|_| Bail)?;
        match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => visitor.visit_u64(u),
            (None, Some(i), _) => visitor.visit_i64(i),
            (None, None, Some(f)) => visitor.visit_f64(f),
            _ => Err(Bail),
        }
    }

    /// Skips one value, checking its grammar as serde_json's `ignore_value` does.
    fn skip_value(&mut self) -> Result<()> {
        match self.ws() {
            Some(b'"') => {
                self.pos += 1;
                self.skip_string()
            }
            Some(open @ (b'{' | b'[')) => {
                let (close, object) = if open == b'{' { (b'}', true) } else { (b']', false) };
                self.pos += 1;
                self.nest()?;
                if self.ws() == Some(close) {
                    self.pos += 1;
                } else {
                    loop {
                        // an object's entries are a key and a value, an array's a value
                        if object {
                            self.expect(b'"')?;
                            self.skip_string()?;
                            self.expect(b':')?;
                        }
                        self.skip_value()?;
                        match self.ws() {
                            Some(b',') => self.pos += 1,
                            Some(c) if c == close => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err(Bail),
                        }
                    }
                }
                self.depth -= 1;
                Ok(())
            }
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number().map(|_| ()),
            _ => Err(Bail),
        }
    }

    /// Before an object's next entry or an array's next element (serde_json's `has_next_key` /
    /// `has_next_element`): false at the closing `close`, else past the comma (none before the
    /// first item).
    fn next_item(&mut self, close: u8, first: &mut bool) -> Result<bool> {
        match self.ws() {
            Some(c) if c == close => return Ok(false),
            Some(b',') if !*first => self.pos += 1,
            Some(_) if *first => {}
            _ => return Err(Bail),
        }
        *first = false;
        Ok(true)
    }

    fn nest(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Bail);
        }
        Ok(())
    }
}

/// The index of the first `"`, `\` or control character at or after `from` (or the length).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn special(b: &[u8], from: usize) -> usize {
    use core::arch::wasm32::*;
    let mut i = from;
    let (quote, backslash, space) = (u8x16_splat(b'"'), u8x16_splat(b'\\'), u8x16_splat(0x20));
    while i + 16 <= b.len() {
        // SAFETY: bytes i..i + 16 are inside `b`; v128_load has no alignment requirement
        let v = unsafe { v128_load(b.as_ptr().add(i) as *const v128) };
        let hits = u8x16_bitmask(v128_or(v128_or(u8x16_eq(v, quote), u8x16_eq(v, backslash)), u8x16_lt(v, space)));
        if hits != 0 {
            return i + hits.trailing_zeros() as usize;
        }
        i += 16;
    }
    special_scalar(b, i)
}

/// The index of the first `"`, `\` or control character at or after `from` (or the length).
#[cfg(target_arch = "x86_64")]
fn special(b: &[u8], from: usize) -> usize {
    // SSE2 is part of x86_64
    use std::arch::x86_64::*;
    let mut i = from;
    // SAFETY: SSE2 is always there on x86_64; each load reads bytes i..i + 16, inside `b`
    unsafe {
        let (quote, backslash, under_space) =
            (_mm_set1_epi8(b'"' as i8), _mm_set1_epi8(b'\\' as i8), _mm_set1_epi8(0x1f));
        while i + 16 <= b.len() {
            let v = _mm_loadu_si128(b.as_ptr().add(i) as *const __m128i);
            // v <= 0x1f (unsigned) exactly when min(v, 0x1f) == v
            let control = _mm_cmpeq_epi8(_mm_min_epu8(v, under_space), v);
            let hits = _mm_movemask_epi8(_mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                control,
            ));
            if hits != 0 {
                return i + hits.trailing_zeros() as usize;
            }
            i += 16;
        }
    }
    special_scalar(b, i)
}

#[cfg(not(any(target_arch = "x86_64", all(target_arch = "wasm32", target_feature = "simd128"))))]
use special_words as special;

/// [`special`] in `u64` words, for targets without the vector code above.
#[cfg_attr(any(target_arch = "x86_64", all(target_arch = "wasm32", target_feature = "simd128")), allow(dead_code))]
fn special_words(b: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut i = from;
    while i + 8 <= b.len() {
        let w = u64::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]]);
        // the lowest flagged byte is exact (borrows only run upwards)
        let hits = zero_byte(w ^ (ONES * b'"' as u64))
            | zero_byte(w ^ (ONES * b'\\' as u64))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    special_scalar(b, i)
}

fn special_scalar(b: &[u8], from: usize) -> usize {
    b[from.min(b.len())..].iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).map_or(b.len(), |p| from + p)
}

/// The deserializer methods the readers never call: each gives up.
macro_rules! bail_for {
    ($($name:ident)*) => {
        $(fn $name<V: Visitor<'de>>(self, _: V) -> Result<V::Value> { Err(Bail) })*
        fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value> {
            Err(Bail)
        }
        fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value> {
            Err(Bail)
        }
        fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
            Err(Bail)
        }
        fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, _: V) -> Result<V::Value> {
            Err(Bail)
        }
        fn deserialize_struct<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], _: V) -> Result<V::Value> {
            Err(Bail)
        }
        fn deserialize_enum<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], _: V) -> Result<V::Value> {
            Err(Bail)
        }
    };
}

impl<'de> de::Deserializer<'de> for &mut Fast<'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.ws() {
            Some(b'{') => {
                self.pos += 1;
                self.nest()?;
                let value = visitor.visit_map(Entries { de: &mut *self, first: true })?;
                self.expect(b'}')?;
                self.depth -= 1;
                Ok(value)
            }
            Some(b'[') => {
                self.pos += 1;
                self.nest()?;
                let value = visitor.visit_seq(Elements { de: &mut *self, first: true })?;
                self.expect(b']')?;
                self.depth -= 1;
                Ok(value)
            }
            Some(b'"') => {
                self.pos += 1;
                match self.string()? {
                    Text::Borrowed(s) => visitor.visit_borrowed_str(s),
                    Text::Copied(s) => visitor.visit_str(s),
                }
            }
            Some(b't') => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            Some(b'f') => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            Some(b'n') => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            Some(b'-' | b'0'..=b'9') => self.visit_number(visitor),
            _ => Err(Bail),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_value()?;
        visitor.visit_unit()
    }

    // the readers ask for nothing else (serde_json would read these differently from `any`)
    bail_for! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf deserialize_option
        deserialize_unit deserialize_seq deserialize_map deserialize_identifier
    }
}

/// An object's entries (serde_json's `MapAccess`).
struct Entries<'a, 'de> {
    de: &'a mut Fast<'de>,
    first: bool,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.de.next_item(b'}', &mut self.first)? {
            return Ok(None);
        }
        self.de.expect(b'"')?;
        seed.deserialize(KeyOf(&mut *self.de)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.de.expect(b':')?;
        seed.deserialize(&mut *self.de)
    }
}

/// An array's elements (serde_json's `SeqAccess`).
struct Elements<'a, 'de> {
    de: &'a mut Fast<'de>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        // (a `]` or the end right after a comma: the element's value gives up on it)
        if !self.de.next_item(b']', &mut self.first)? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
}

/// An object key whose opening quote has been read (serde_json's `MapKey`).
struct KeyOf<'a, 'de>(&'a mut Fast<'de>);

impl<'de> de::Deserializer<'de> for KeyOf<'_, 'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0.string()? {
            Text::Borrowed(s) => visitor.visit_borrowed_str(s),
            Text::Copied(s) => visitor.visit_str(s),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(visitor)
    }

    /// serde_json decodes an ignored key too (a bad escape in it is an error)
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.0.string()?;
        visitor.visit_unit()
    }

    bail_for! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_option
        deserialize_unit deserialize_seq deserialize_map deserialize_identifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_scans_agree() {
        let mut seed = 7u64;
        for _ in 0..2000 {
            let len = (seed % 70) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    [b'a', b'"', b'\\', 0x1f, 0x20, 0x7f, 0x80, 0xff, 0x00, b'z'][(seed >> 60) as usize % 10]
                })
                .collect();
            for from in [0, 1, 5, 17] {
                let expected = special_scalar(&bytes, from);
                assert_eq!(special(&bytes, from), expected, "{bytes:?} from {from}");
                assert_eq!(special_words(&bytes, from), expected, "{bytes:?} from {from}");
            }
        }
    }

    #[test]
    fn special_finds_the_first_quote_backslash_or_control() {
        let line = "0123456789abcdef0123456789\"xyz\\";
        assert_eq!(special(line.as_bytes(), 0), 26);
        assert_eq!(special(line.as_bytes(), 27), 30);
        assert_eq!(special(b"abc", 0), 3);
        for k in 0..40 {
            let mut v = vec![b'a'; 40];
            v[k] = 0x1f;
            assert_eq!(special(&v, 0), k);
            v[k] = 0x7f; // DEL and bytes >= 0x80 are plain string bytes
            assert_eq!(special(&v, 0), 40);
            v[k] = 0xc3;
            assert_eq!(special(&v, 0), 40);
        }
    }
}
