//! A live folder's next look: which bytes of which file to read (`spyglass watch` and the page's
//! "Watch a folder" decide it here, once). A new file is read from its start; a plain file that
//! grew, from where the last look stopped (its `Feed` kept open: a line cut by the writer waits in
//! its carry); a file that shrank, or a `.gz`/`.zip` that changed at all, means every input is read
//! again from its start (nothing counted twice); a file no longer listed is gone, and what was read
//! of it stays. I/O-free: the shells list the files and their sizes and read the bytes.

use std::collections::BTreeMap;

/// What was read of one watched file at the last look. `T` is the file's modification time as
/// the shell has it (`SystemTime` natively, `lastModified` in milliseconds in the browser).
#[derive(Debug, Clone, PartialEq)]
pub struct Seen<T> {
    /// bytes read from its start
    pub read_to: u64,
    /// plain text, read as it grows (a `.gz`/`.zip` is read whole and closed)
    pub plain: bool,
    pub modified: Option<T>,
}

impl<T> Seen<T> {
    /// Nothing read yet: what a new file starts as.
    pub fn new() -> Seen<T> {
        Seen { read_to: 0, plain: true, modified: None }
    }

    /// `bytes` more read, whose first bytes (when they are the file's first) say whether it is
    /// plain; `modified` as the file is now.
    pub fn read(&mut self, bytes: &[u8], modified: Option<T>) {
        if self.read_to == 0 && !bytes.is_empty() {
            self.plain = !starts_a_container(bytes);
        }
        self.read_to += bytes.len() as u64;
        self.modified = modified;
    }
}

impl<T> Default for Seen<T> {
    fn default() -> Self {
        Seen::new()
    }
}

/// A file as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct Now<T> {
    pub len: u64,
    pub modified: Option<T>,
}

/// Whether a file's first bytes open a `.gz` or a `.zip` (read whole: it cannot grow by appends).
pub fn starts_a_container(first: &[u8]) -> bool {
    first.starts_with(&[0x1f, 0x8b]) || first.starts_with(b"PK")
}

/// What one look does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look<K> {
    /// files seen before and no longer listed: said, and forgotten (what was read of them stays)
    pub gone: Vec<K>,
    /// an input shrank or was replaced, or a container changed: forget every file and read every
    /// input from its start (`reads` then start at 0)
    pub again: bool,
    /// the bytes to read, in the order the files were listed: `(file, from, to)`
    pub reads: Vec<(K, u64, u64)>,
}

/// The next look at `listed` (each file as it is now, or `None` when its size could not be had:
/// it is neither read nor gone), given what was `seen` of each file at the last.
pub fn look<K: Ord + Clone, T: PartialEq>(seen: &BTreeMap<K, Seen<T>>, listed: &[(K, Option<Now<T>>)]) -> Look<K> {
    let gone = seen.keys().filter(|k| !listed.iter().any(|(l, _)| l == *k)).cloned().collect();
    let again = listed.iter().any(|(k, now)| match (seen.get(k), now) {
        (Some(s), Some(now)) => {
            now.len < s.read_to || (!s.plain && (now.len != s.read_to || now.modified != s.modified))
        }
        _ => false,
    });
    let reads = listed
        .iter()
        .filter_map(|(k, now)| {
            let now = now.as_ref()?;
            let from = if again { 0 } else { seen.get(k).map_or(0, |s| s.read_to) };
            (now.len > from).then(|| (k.clone(), from, now.len))
        })
        .collect();
    Look { gone, again, reads }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now(len: u64, modified: u32) -> Option<Now<u32>> {
        Some(Now { len, modified: Some(modified) })
    }

    fn seen(read_to: u64, plain: bool, modified: u32) -> Seen<u32> {
        Seen { read_to, plain, modified: Some(modified) }
    }

    #[test]
    fn a_new_file_is_read_from_its_start_and_a_grown_one_from_where_it_stopped() {
        let mut s = BTreeMap::new();
        let l = look(&s, &[("a", now(10, 1))]);
        assert_eq!(l, Look { gone: vec![], again: false, reads: vec![("a", 0, 10)] });
        s.insert("a", seen(10, true, 1));
        let l = look(&s, &[("a", now(25, 2)), ("b", now(4, 2))]);
        assert_eq!(l, Look { gone: vec![], again: false, reads: vec![("a", 10, 25), ("b", 0, 4)] });
        // unchanged: nothing to read
        assert_eq!(look(&s, &[("a", now(10, 1))]).reads, vec![]);
        // a plain file touched but not grown: nothing either
        assert_eq!(look(&s, &[("a", now(10, 9))]), Look { gone: vec![], again: false, reads: vec![] });
    }

    #[test]
    fn a_file_that_shrank_or_a_changed_container_reads_everything_again() {
        let s = BTreeMap::from([("a", seen(10, true, 1)), ("z", seen(50, false, 1))]);
        let l = look(&s, &[("a", now(4, 2)), ("z", now(50, 1))]);
        assert_eq!(l, Look { gone: vec![], again: true, reads: vec![("a", 0, 4), ("z", 0, 50)] });
        // a container rewritten to the same size
        let l = look(&s, &[("a", now(10, 1)), ("z", now(50, 2))]);
        assert!(l.again && l.reads == vec![("a", 0, 10), ("z", 0, 50)]);
        // a container unchanged is not read again
        let l = look(&s, &[("a", now(12, 2)), ("z", now(50, 1))]);
        assert_eq!(l, Look { gone: vec![], again: false, reads: vec![("a", 10, 12)] });
    }

    #[test]
    fn a_file_no_longer_listed_is_gone_and_one_without_a_size_waits() {
        let s = BTreeMap::from([("a", seen(10, true, 1)), ("b", seen(3, true, 1))]);
        let l = look(&s, &[("b", None)]);
        assert_eq!(l, Look { gone: vec!["a"], again: false, reads: vec![] });
    }

    #[test]
    fn the_first_bytes_say_whether_a_file_is_plain() {
        let mut s: Seen<u32> = Seen::new();
        s.read(b"{\"a\":1}\n", Some(3));
        assert_eq!(s, seen(8, true, 3));
        s.read(b"PK more", Some(4));
        assert!(s.plain, "only the first bytes judge");
        let mut z: Seen<u32> = Seen::default();
        z.read(&[0x1f, 0x8b, 8, 0], None);
        assert!(!z.plain && z.read_to == 4);
        let mut e: Seen<u32> = Seen::new();
        e.read(b"", None);
        assert!(e.plain && e.read_to == 0);
    }
}
