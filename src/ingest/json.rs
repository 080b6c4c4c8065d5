//! Lenient JSON value readers used by the line parser.
//!
//! bosun's writers disagree on types (numbers as strings, booleans as strings, commands as arrays),
//! so fields are first read as a [`Scalar`] and converted afterwards; a value that cannot be
//! converted becomes absent and is counted as a field warning by the caller.

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A JSON value reduced to what a field reader needs; objects and arrays are skipped.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(Cow<'a, str>),
    /// An array of strings (bosun's Codex writer gives shell commands as argv arrays).
    Strs(Vec<Cow<'a, str>>),
    /// An object, or an array that is not all strings.
    Composite,
}

/// The conversion of a scalar to the wanted type: absent (null) is not an error, a wrong type is.
pub type Conv<T> = Result<Option<T>, WrongType>;

/// A value of another JSON type than the field's (counted as a field warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrongType;

impl<'a> Scalar<'a> {
    pub fn as_f64(&self) -> Conv<f64> {
        match self {
            Scalar::Null => Ok(None),
            Scalar::Int(i) => Ok(Some(*i as f64)),
            Scalar::UInt(u) => Ok(Some(*u as f64)),
            Scalar::Float(f) if f.is_finite() => Ok(Some(*f)),
            Scalar::Str(s) => match s.trim().parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(Some(f)),
                _ if s.trim().is_empty() => Ok(None),
                _ => Err(WrongType),
            },
            _ => Err(WrongType),
        }
    }

    /// A non-negative whole number (a count or a token figure). `12.0` is accepted, `12.5` is not.
    pub fn as_u64(&self) -> Conv<u64> {
        match self {
            Scalar::UInt(u) => Ok(Some(*u)),
            Scalar::Int(i) if *i >= 0 => Ok(Some(*i as u64)),
            Scalar::Float(f) if *f >= 0.0 && f.fract() == 0.0 && *f < 1.8e19 => Ok(Some(*f as u64)),
            Scalar::Str(s) if s.trim().parse::<u64>().is_ok() => Ok(s.trim().parse::<u64>().ok()),
            Scalar::Str(_) => Scalar::Float(self.as_f64()?.ok_or(WrongType)?).as_u64(),
            Scalar::Null => Ok(None),
            _ => Err(WrongType),
        }
    }

    pub fn as_i64(&self) -> Conv<i64> {
        match self {
            Scalar::Int(i) => Ok(Some(*i)),
            Scalar::UInt(u) => i64::try_from(*u).map(Some).map_err(|_| WrongType),
            Scalar::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Ok(Some(*f as i64)),
            Scalar::Str(s) => match s.trim().parse::<i64>() {
                Ok(i) => Ok(Some(i)),
                Err(_) => Scalar::Float(self.as_f64()?.ok_or(WrongType)?).as_i64(),
            },
            Scalar::Null => Ok(None),
            _ => Err(WrongType),
        }
    }

    /// `true`/`false`, also as strings or 0/1.
    pub fn as_bool(&self) -> Conv<bool> {
        match self {
            Scalar::Bool(b) => Ok(Some(*b)),
            Scalar::Null => Ok(None),
            Scalar::Int(0) | Scalar::UInt(0) => Ok(Some(false)),
            Scalar::Int(1) | Scalar::UInt(1) => Ok(Some(true)),
            Scalar::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" => Ok(Some(true)),
                "false" | "no" | "0" => Ok(Some(false)),
                "" => Ok(None),
                _ => Err(WrongType),
            },
            _ => Err(WrongType),
        }
    }

    /// A string; numbers are accepted as their decimal text (ids are sometimes numbers).
    /// An array of strings is joined with spaces.
    pub fn as_str(&self) -> Conv<Cow<'a, str>> {
        match self {
            Scalar::Null => Ok(None),
            Scalar::Str(s) => Ok((!is_blank(s)).then(|| s.clone())),
            Scalar::Int(i) => Ok(Some(Cow::Owned(i.to_string()))),
            Scalar::UInt(u) => Ok(Some(Cow::Owned(u.to_string()))),
            Scalar::Strs(v) => Ok((!v.is_empty()).then(|| Cow::Owned(v.join(" ")))),
            _ => Err(WrongType),
        }
    }
}

/// `s.trim().is_empty()`, without trimming when the first byte already says no.
pub(super) fn is_blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(&b) if crate::model::records::is_plain_ascii(b) => false,
        Some(_) => s.trim().is_empty(),
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::UInt(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        let mut all_strings = true;
        while let Some(item) = seq.next_element::<Scalar<'de>>()? {
            match item {
                Scalar::Str(s) if all_strings => out.push(s),
                _ => all_strings = false,
            }
        }
        Ok(if all_strings { Scalar::Strs(out) } else { Scalar::Composite })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Composite)
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

/// An object key, borrowed when it has no escapes.
pub struct Key<'a>(pub Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Either an object read by `T`, or anything else (kept as a scalar so the caller can warn).
pub enum ObjOr<'a, T> {
    Obj(T),
    Other(Scalar<'a>),
}

/// Implements `Deserialize` for an object type read field by field: `visit_map` gets the map.
pub trait ObjectReader<'de>: Sized + Default {
    /// Reads one field; unknown keys must be skipped with `map.next_value::<IgnoredAny>()`.
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

/// A boxed reader reads like the reader it boxes.
impl<'de, T: ObjectReader<'de>> ObjectReader<'de> for Box<T> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        (**self).field(key, map)
    }
}

impl<'de, T: ObjectReader<'de>> Deserialize<'de> for ObjOr<'de, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut t = T::default();
        Ok(match Fill(&mut t).deserialize(d)? {
            None => ObjOr::Obj(t),
            Some(other) => ObjOr::Other(other),
        })
    }
}

/// Reads an object into a reader that is already in place (`None`), or anything else as a
/// scalar (`Some`): a large reader (the line's, a payload's) is filled where it lies, never moved
/// — moving them was a tenth of ingest's time.
pub struct Fill<'p, T>(pub &'p mut T);

impl<'de, T: ObjectReader<'de>> DeserializeSeed<'de> for Fill<'_, T> {
    type Value = Option<Scalar<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: ObjectReader<'de>> Visitor<'de> for Fill<'_, T> {
    type Value = Option<Scalar<'de>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            self.0.field(&k, &mut map)?;
        }
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Null))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Null))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Scalar::UInt(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Float(v)))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Str(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Str(Cow::Owned(v.to_owned()))))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ScalarVisitor.visit_seq(seq).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_what_trim_leaves_empty() {
        for s in [
            "",
            " ",
            "\t\n\r",
            "\x0b",
            "\x0c",
            "\u{a0}",
            "\u{85}",
            "\u{3000}",
            "\u{2028} ",
            "a",
            " a",
            "\x0ba",
            "\u{a0}b",
            "é",
            "\x00",
            "\x1f",
            "\x7f",
        ] {
            assert_eq!(is_blank(s), s.trim().is_empty(), "{s:?}");
        }
    }
}
