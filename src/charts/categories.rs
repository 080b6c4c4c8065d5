//! Category labels along a horizontal axis (bars, days, heatmap columns): upright, over two lines,
//! cut or rotated, whichever keeps them readable in their slots.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{text, Txt};
use super::frame::{Area, Frame};
use super::text::{fit_labels, one_or_two_lines, text_w};
use super::{ChartError, Theme};

/// Which labels to draw of a row of labels `spacing` pixels apart (centre to centre), one line
/// of `px` text each across the row: every n-th, n as small as keeps neighbours apart. What a
/// line takes across is its font size (the em box holds the glyphs); the 1.3 line height adds
/// leading, which neighbours may share, so it is not the measure: with it, bars 13 to 17 px
/// apart at 13 px text had every other one named though each name had room.
pub(crate) fn label_stride(spacing: f64, px: f64) -> usize {
    // no spacing at all (or NaN): only the first label (usize::MAX, as the cast saturates)
    ((px / spacing.max(f64::MIN_POSITIVE)).ceil() as usize).max(1)
}

/// How category labels along a horizontal axis are drawn.
pub(crate) struct CatLabels {
    pub rotated: bool,
    /// Draw every n-th label.
    pub every: usize,
    /// The lines of each label: one, or two (one under the other, or side by side when rotated).
    pub texts: Vec<Vec<String>>,
    /// Pixels needed below the axis.
    pub height: i32,
}

/// Lay out `names` in slots of `slot_w` pixels, rotated labels at most `max_h` long.
///
/// Upright on one line if they fit. If not, and a few characters fit across a slot: upright on
/// two lines if every label then fits, or cut short if that cuts no label badly and rotating
/// would cut some or leave some out. Otherwise rotated, where a label longer than `max_h` goes
/// over two lines side by side if the slot is wide enough, and is cut short only if it cannot.
pub(crate) fn layout_categories(f: &Frame, names: &[String], slot_w: f64, max_h: f64) -> CatLabels {
    let px = f.small;
    let gap = f.px(6.0);
    let lh = f.line_h(px);
    let one_line = |texts: Vec<String>| texts.into_iter().map(|t| vec![t]).collect();
    let widest = names.iter().map(|n| text_w(n, px)).fold(0.0, f64::max);
    let avail = slot_w * 0.98 - 3.0;
    if widest <= avail {
        return CatLabels { rotated: false, every: 1, texts: one_line(names.to_vec()), height: lh + gap };
    }
    let max_h = max_h.max(px * 3.0);
    let every = label_stride(slot_w, px);
    if avail >= px * 4.5 {
        if let Some(texts) = names.iter().map(|n| one_or_two_lines(n, avail, px)).collect::<Option<Vec<_>>>() {
            return CatLabels { rotated: false, every: 1, texts, height: 2 * lh + gap };
        }
        // enough room for a few characters: truncate, unless that cuts a label badly or
        // rotated labels would all be drawn whole
        let texts: Vec<String> = fit_labels(names, avail, px);
        let bad = names.iter().zip(&texts).any(|(n, t)| (t.chars().count() as f64) < 0.7 * n.chars().count() as f64);
        let whole_rotated = widest <= max_h && every == 1;
        if (!bad && !whole_rotated) || (lh as f64) > slot_w {
            return CatLabels { rotated: false, every: 1, texts: one_line(texts), height: lh + gap };
        }
    }
    let two_fit = slot_w >= 2.0 * lh as f64;
    let texts: Vec<Vec<String>> = names
        .iter()
        .zip(fit_labels(names, max_h, px))
        .map(|(n, cut)| two_fit.then(|| one_or_two_lines(n, max_h, px)).flatten().unwrap_or_else(|| vec![cut]))
        .collect();
    let longest = texts.iter().flatten().map(|n| text_w(n, px)).fold(0.0, f64::max);
    CatLabels { rotated: true, every, texts, height: longest.ceil() as i32 + gap * 2 }
}

/// Draw category labels under the axis at the given slot centres.
pub(crate) fn draw_categories<DB: DrawingBackend>(
    area: &Area<DB>,
    theme: &Theme,
    f: &Frame,
    y: i32,
    centres: &[i32],
    labels: &CatLabels,
) -> Result<(), ChartError> {
    let gap = f.px(6.0);
    let lh = f.line_h(f.small);
    for (i, (x, lines)) in centres.iter().zip(&labels.texts).enumerate() {
        if i % labels.every != 0 {
            continue;
        }
        for (k, s) in lines.iter().enumerate() {
            if labels.rotated {
                // read bottom to top: the first line on the left, the lines centred on the slot
                let lx = *x - lh * (lines.len() as i32 - 1) / 2 + lh * k as i32;
                text(
                    area,
                    theme,
                    s,
                    lx,
                    y + gap,
                    &Txt::new(f.small, theme.text).at(HPos::Right, VPos::Center).rotated(),
                )?;
            } else {
                text(
                    area,
                    theme,
                    s,
                    *x,
                    y + gap + lh * k as i32,
                    &Txt::new(f.small, theme.text).at(HPos::Center, VPos::Top),
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The frame of an 800×400 chart: 13 px small text, 17 px line height.
    fn frame_800x400() -> Frame {
        Frame { w: 800, h: 400, s: 1.0, font: 15.0, small: 13.0, title: 20.0, pad: 10 }
    }

    #[test]
    fn label_stride_counts_the_font_size_not_the_line_height() {
        // 20 horizontal bars in 800×400 are 14.8 px apart: each name has room (17 px of line
        // height named every other one)
        assert_eq!(label_stride(14.8, 13.0), 1);
        assert_eq!(label_stride(13.0, 13.0), 1);
        assert_eq!(label_stride(12.9, 13.0), 2);
        assert_eq!(label_stride(4.0, 13.0), 4);
        // no spacing: only the first
        assert!(label_stride(0.0, 13.0) > 1_000_000);
        assert!(label_stride(f64::NAN, 13.0) > 1_000_000);
    }

    #[test]
    fn long_category_labels_go_over_two_lines_before_they_are_cut() {
        let f = frame_800x400();
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        // the sample heatmap's columns, 77 px apart: rotated (no break fits "uncategorized"
        // upright), "context_window" on two lines side by side rather than "context_wind…"
        let cols = names(&[
            "rate_limit",
            "api_error",
            "auth",
            "dependency",
            "test",
            "build",
            "context_window",
            "uncategorized",
        ]);
        let cats = layout_categories(&f, &cols, 77.4, 100.0);
        assert!(cats.rotated && cats.every == 1);
        assert_eq!(cats.texts[6], ["context_", "window"]);
        assert_eq!(cats.texts[7], ["uncategorized"]);
        assert_eq!(cats.height, text_w("uncategorized", 13.0).ceil() as i32 + 12);
        // upright on two lines when every label fits so (cut or rotated before)
        let models = names(&["gpt-5-codex", "claude-sonnet-4.5", "gemini-2.5-pro", "gpt-4.1", "o3"]);
        let cats = layout_categories(&f, &models, 80.0, 112.0);
        assert!(!cats.rotated && cats.every == 1);
        assert_eq!(cats.texts[1], ["claude-", "sonnet-4.5"]);
        assert_eq!(cats.texts[3], ["gpt-4.1"]);
        assert_eq!(cats.height, 2 * 17 + 6);
        for lines in &cats.texts {
            assert!(lines.iter().all(|l| text_w(l, 13.0) <= 80.0 * 0.98 - 3.0), "{lines:?}");
        }
        // too narrow for two rotated lines side by side: cut as before
        let cats = layout_categories(&f, &cols, 30.0, 100.0);
        assert!(cats.rotated && cats.texts.iter().all(|l| l.len() == 1));
        assert!(cats.texts[6][0].ends_with('…'));
    }
}
