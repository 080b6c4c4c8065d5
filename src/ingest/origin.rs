//! Sources in the reader's sense — the folder or machine a set of files came from — and the
//! names they get when the reader gives none: the CLI's and the page's rule, written once.

/// Folder names every machine's bosun logs share, which name no machine.
const GENERIC: &[&str] = &["", ".", "..", ".cache", "agent-work-logs", "logs"];

/// The name of the source a folder's files come from: its last folder name that is not one every
/// machine has (`/home/ana/laptop/.cache/agent-work-logs` → `laptop`), else its own name.
pub fn name_of_folder(path: &str) -> String {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let named = parts.iter().rev().find(|p| !GENERIC.contains(&p.to_ascii_lowercase().as_str()));
    named.or(parts.last()).map_or_else(|| "logs".to_string(), |p| p.to_string())
}

/// The name of the source an archive a teammate sent comes from: its file name without the
/// archive's extension (`ana-laptop.zip` → `ana-laptop`).
pub fn name_of_archive(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let lower = base.to_ascii_lowercase();
    let stem = [".jsonl.gz", ".gz", ".zip"]
        .iter()
        .find(|ext| lower.ends_with(*ext) && lower.len() > ext.len())
        .map_or(base, |ext| &base[..base.len() - ext.len()]);
    stem.to_string()
}

/// Names for sources told apart by a key (a folder's full path): the same key keeps its name, a
/// new key whose name is taken gets `name (2)`, `name (3)`…
#[derive(Debug, Default)]
pub struct OriginNames {
    given: Vec<(String, String)>,
}

impl OriginNames {
    pub fn name(&mut self, key: &str, wanted: &str) -> String {
        if let Some((_, n)) = self.given.iter().find(|(k, _)| k == key) {
            return n.clone();
        }
        let taken = |n: &str| self.given.iter().any(|(_, g)| g == n);
        let mut name = wanted.to_string();
        let mut i = 2;
        while taken(&name) {
            name = format!("{wanted} ({i})");
            i += 1;
        }
        self.given.push((key.to_string(), name.clone()));
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_named_by_its_last_folder_no_machine_shares() {
        assert_eq!(name_of_folder("/home/ana/laptop/.cache/agent-work-logs"), "laptop");
        assert_eq!(name_of_folder("/home/ana/laptop/.cache/agent-work-logs/"), "laptop");
        assert_eq!(name_of_folder("exports\\ci-runner\\agent-work-logs"), "ci-runner");
        assert_eq!(name_of_folder("runs/2026-02"), "2026-02");
        // nothing but generic names: the folder's own name
        assert_eq!(name_of_folder(".cache/agent-work-logs"), "agent-work-logs");
        assert_eq!(name_of_folder(""), "logs");
    }

    #[test]
    fn an_archive_is_named_by_its_file_name() {
        assert_eq!(name_of_archive("ana-laptop.zip"), "ana-laptop");
        assert_eq!(name_of_archive("/tmp/ci.jsonl.gz"), "ci");
        assert_eq!(name_of_archive("x.GZ"), "x");
        assert_eq!(name_of_archive(".zip"), ".zip");
    }

    #[test]
    fn names_are_kept_per_key_and_told_apart_across_keys() {
        let mut n = OriginNames::default();
        assert_eq!(n.name("/a/laptop/logs", "laptop"), "laptop");
        assert_eq!(n.name("/b/laptop/logs", "laptop"), "laptop (2)");
        assert_eq!(n.name("/a/laptop/logs", "laptop"), "laptop");
        assert_eq!(n.name("/c/laptop", "laptop"), "laptop (3)");
        assert_eq!(n.name("/d", "laptop (2)"), "laptop (2) (2)");
    }
}
