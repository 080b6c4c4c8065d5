//! Text measuring and fitting: how wide a label is, and how to cut it or break it over two lines
//! to fit a width.
//!
//! The widths are estimates per character, deterministic and conservative (they err on the wide
//! side of common sans fonts), so that layout is the same on every machine and in every backend.

fn char_w(c: char) -> f64 {
    match c {
        'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | ' ' => 0.34,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' | '\\' | '"' => 0.42,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.92,
        'A'..='Z' => 0.72,
        '0'..='9' => 0.64,
        c if c.is_ascii() => 0.6,
        c if (c as u32) >= 0x2E80 => 1.05,
        _ => 0.7,
    }
}

/// Estimated width in pixels of `s` at font size `px`.
pub(crate) fn text_w(s: &str, px: f64) -> f64 {
    s.chars().map(char_w).sum::<f64>() * px
}

/// `s` shortened with "…" to fit `max_w` pixels ("" if not even "…" fits).
pub(crate) fn truncate(s: &str, max_w: f64, px: f64) -> String {
    if text_w(s, px) <= max_w {
        return s.to_string();
    }
    let ell = text_w("…", px);
    if ell > max_w {
        return String::new();
    }
    let mut out = String::new();
    let mut w = ell;
    for c in s.chars() {
        let cw = char_w(c) * px;
        if w + cw > max_w {
            break;
        }
        w += cw;
        out.push(c);
    }
    let trimmed = out.trim_end();
    format!("{trimmed}…")
}

/// `s` shortened in the middle ("model-wi…name-12") to fit `max_w` pixels.
pub(crate) fn truncate_middle(s: &str, max_w: f64, px: f64) -> String {
    if text_w(s, px) <= max_w {
        return s.to_string();
    }
    let ell = text_w("…", px);
    if ell > max_w {
        return String::new();
    }
    let chars: Vec<char> = s.chars().collect();
    let (mut head, mut tail) = (0usize, 0usize);
    let mut w = ell;
    // alternate: one from the front, one from the back (the back is usually what differs)
    loop {
        let take_tail = tail < head;
        let idx = if take_tail { chars.len() - 1 - tail } else { head };
        if head + tail >= chars.len() {
            break;
        }
        let cw = char_w(chars[idx]) * px;
        if w + cw > max_w {
            break;
        }
        w += cw;
        if take_tail {
            tail += 1;
        } else {
            head += 1;
        }
    }
    let front: String = chars[..head].iter().collect();
    let back: String = chars[chars.len() - tail..].iter().collect();
    format!("{front}…{back}")
}

/// Labels fitted to `max_w`: cut at the end, or in the middle if cutting at the end would make
/// different names look the same.
pub(crate) fn fit_labels(names: &[String], max_w: f64, px: f64) -> Vec<String> {
    let end: Vec<String> = names.iter().map(|n| truncate(n, max_w, px)).collect();
    let mut seen = std::collections::HashMap::new();
    let clash =
        names.iter().zip(&end).any(|(n, t)| seen.insert(t.as_str(), n.as_str()).is_some_and(|o| o != n.as_str()));
    if clash {
        names.iter().map(|n| truncate_middle(n, max_w, px)).collect()
    } else {
        end
    }
}

/// Widest of the labels, in pixels.
pub(crate) fn widest(labels: &[String], px: f64) -> f64 {
    labels.iter().map(|l| text_w(l, px)).fold(0.0, f64::max)
}

/// The ways to break `s` in two: after a space (dropped), '_', '-' or '/' (kept), both halves
/// non-empty, in order of the break.
fn line_breaks(s: &str) -> impl DoubleEndedIterator<Item = (&str, &str)> {
    s.char_indices()
        .filter(|&(_, c)| matches!(c, ' ' | '_' | '-' | '/'))
        .map(move |(i, c)| (s[..i + c.len_utf8()].trim_end(), s[i + c.len_utf8()..].trim_start()))
        .filter(|(head, tail)| !head.is_empty() && !tail.is_empty())
}

/// `s` as one line if it fits `max_w` pixels, or broken into two lines that both fit (the break
/// that makes the longer line shortest); None if neither works.
pub(crate) fn one_or_two_lines(s: &str, max_w: f64, px: f64) -> Option<Vec<String>> {
    if text_w(s, px) <= max_w {
        return Some(vec![s.to_string()]);
    }
    line_breaks(s)
        .map(|(head, tail)| (text_w(head, px).max(text_w(tail, px)), head, tail))
        .filter(|&(w, _, _)| w <= max_w)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, head, tail)| vec![head.to_string(), tail.to_string()])
}

/// `s` over two lines when even two lines cannot hold it whole: the longest first line that fits,
/// the rest cut with "…". None without such a break.
pub(crate) fn two_lines_cut(s: &str, max_w: f64, px: f64) -> Option<Vec<String>> {
    line_breaks(s)
        .rfind(|(head, _)| text_w(head, px) <= max_w)
        .map(|(head, tail)| vec![head.to_string(), truncate(tail, max_w, px)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation() {
        assert_eq!(truncate("short", 1000.0, 12.0), "short");
        let t = truncate("a very long model name indeed", 60.0, 12.0);
        assert!(t.ends_with('…'));
        assert!(text_w(&t, 12.0) <= 60.0);
        assert_eq!(truncate("abc", 1.0, 12.0), "");
        let m = truncate_middle("model-with-a-long-name-12", 100.0, 12.0);
        assert!(m.starts_with("mod") && m.ends_with("12") && m.contains('…'), "{m}");
        assert!(text_w(&m, 12.0) <= 100.0);
        let names: Vec<String> = vec!["column number 1".into(), "column number 2".into()];
        let f = fit_labels(&names, 60.0, 12.0);
        assert_ne!(f[0], f[1]);
    }

    #[test]
    fn long_labels_go_over_two_lines_before_they_are_cut() {
        assert_eq!(one_or_two_lines("auth", 50.0, 13.0), Some(vec!["auth".to_string()]));
        assert_eq!(
            one_or_two_lines("context_window", 100.0, 13.0),
            Some(vec!["context_".to_string(), "window".to_string()])
        );
        // the most even break; the space at the break is dropped
        assert_eq!(
            one_or_two_lines("copilot-cli / gpt-4.1", 90.0, 13.0),
            Some(vec!["copilot-cli".to_string(), "/ gpt-4.1".to_string()])
        );
        assert_eq!(one_or_two_lines("uncategorized", 72.0, 13.0), None);
        assert_eq!(one_or_two_lines("-", 1.0, 13.0), None);
    }
}
