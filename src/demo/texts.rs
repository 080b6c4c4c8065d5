//! Generated filler text: long outputs (diffs, stack lines, code) and test logs.

use super::catalogue::THOUGHTS;
use super::random::Rng;

/// Appends roughly `n` bytes of code and log-like text.
pub(super) fn long_text(rng: &mut Rng, out: &mut String, files: &[&str], n: usize) {
    use std::fmt::Write;
    let target = out.len() + n;
    out.push_str("\n\n");
    while out.len() < target {
        match rng.below(5) {
            0 => {
                let _ = write!(out, "--- a/{0}\n+++ b/{0}\n@@ -{1},7 +{1},9 @@\n", rng.pick(files), rng.range(1, 400));
            }
            1 => out.push_str("-    let value = compute(input);\n+    let value = compute(input).unwrap_or_default();\n+    debug_assert!(value.is_valid(), \"invalid value\");\n"),
            2 => {
                let _ = writeln!(out, "    at {} line {}: {}", rng.pick(files), rng.range(1, 900), rng.pick(THOUGHTS));
            }
            3 => out.push_str("    if (!session) {\n        return redirect('/login?next=' + encodeURIComponent(path));\n    }\n"),
            _ => {
                let _ = writeln!(out, "[{:>4}ms] {} ok", rng.range(1, 3000), rng.pick(files));
            }
        }
    }
}

pub(super) fn test_log(rng: &mut Rng, out: &mut String, ok: bool, n: usize) {
    use std::fmt::Write;
    let names = [
        "handles_empty_input",
        "redirects_after_login",
        "parses_config",
        "retries_on_503",
        "rejects_bad_token",
        "paginates",
        "exports_csv",
    ];
    let mut failed = 0;
    for k in 0..n {
        let pass = ok || rng.chance(0.8);
        if !pass {
            failed += 1;
        }
        let _ = writeln!(out, "test tests::{}_{} ... {}", rng.pick(&names), k, if pass { "ok" } else { "FAILED" });
    }
    if !ok && failed == 0 {
        failed = 1;
        out.push_str("test tests::regression ... FAILED\n");
    }
    let _ = write!(
        out,
        "\ntest result: {}. {} passed; {} failed; 0 ignored; finished in {}.{:02}s",
        if ok { "ok" } else { "FAILED" },
        n - failed.min(n),
        failed,
        rng.range(0, 40),
        rng.range(0, 100)
    );
}
