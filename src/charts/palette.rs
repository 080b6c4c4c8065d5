//! Colour-blind-safe palettes.

use plotters::style::RGBColor;

use super::Theme;

/// Okabe–Ito, in its usual order (the last entry is black; see [`categorical_for`]).
const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xF0, 0xE4, 0x42), // yellow
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x00, 0x00, 0x00), // black
];

const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// Viridis at 9 evenly spaced stops, from dark (0) to light (1).
const VIRIDIS: [(u8, u8, u8); 9] = [
    (0x44, 0x01, 0x54),
    (0x47, 0x2D, 0x7B),
    (0x3B, 0x52, 0x8B),
    (0x2C, 0x72, 0x8E),
    (0x21, 0x91, 0x8C),
    (0x28, 0xAE, 0x80),
    (0x5E, 0xC9, 0x62),
    (0xAD, 0xDC, 0x30),
    (0xFD, 0xE7, 0x25),
];

/// The i-th categorical colour (Okabe–Ito, cycling through 8 colours).
pub fn categorical(i: usize) -> RGBColor {
    OKABE_ITO[i % OKABE_ITO.len()]
}

/// Like [`categorical`], but uses grey (#999999) instead of black on a dark background.
pub fn categorical_for(theme: &Theme, i: usize) -> RGBColor {
    let c = categorical(i);
    if c == OKABE_ITO[7] && is_dark(theme.background) {
        GREY
    } else {
        c
    }
}

/// Sequential palette (viridis, reversed so that 0 is the lightest colour): `t` in [0, 1]
/// goes from light yellow (0) to dark purple (1). Out-of-range values are clamped, NaN is 0.
pub fn sequential(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    // reversed: t = 0 -> last stop
    let pos = (1.0 - t) * (VIRIDIS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(VIRIDIS.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round().clamp(0.0, 255.0) as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Relative luminance (sRGB, 0..1).
pub(crate) fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

pub(crate) fn is_dark(c: RGBColor) -> bool {
    luminance(c) < 0.3
}

/// Black or white, whichever contrasts more with `bg`.
pub(crate) fn contrast_text(bg: RGBColor) -> RGBColor {
    let l = luminance(bg);
    // contrast ratio against black: (l + 0.05) / 0.05; against white: 1.05 / (l + 0.05)
    if (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) {
        RGBColor(0, 0, 0)
    } else {
        RGBColor(0xFF, 0xFF, 0xFF)
    }
}

/// Linear blend of two colours, `f` = 0 gives `a`.
pub(crate) fn blend(a: RGBColor, b: RGBColor, f: f64) -> RGBColor {
    let m = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round().clamp(0.0, 255.0) as u8;
    RGBColor(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// Colour of markers (spikes): a red distinct from the categorical palette.
pub(crate) fn marker_colour(theme: &Theme) -> RGBColor {
    if is_dark(theme.background) {
        RGBColor(0xFF, 0x4D, 0x4D)
    } else {
        RGBColor(0xD0, 0x10, 0x10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_ends() {
        assert_eq!(sequential(0.0), RGBColor(0xFD, 0xE7, 0x25));
        assert_eq!(sequential(1.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(sequential(f64::NAN), sequential(0.0));
        assert_eq!(sequential(7.0), sequential(1.0));
        // monotone luminance
        let mut last = 2.0;
        for i in 0..=20 {
            let l = luminance(sequential(i as f64 / 20.0));
            assert!(l < last, "step {i}");
            last = l;
        }
    }

    #[test]
    fn categorical_cycles_and_dark_grey() {
        assert_eq!(categorical(0), RGBColor(0xE6, 0x9F, 0x00));
        assert_eq!(categorical(8), categorical(0));
        assert_eq!(categorical_for(&Theme::dark(), 7), GREY);
        assert_eq!(categorical_for(&Theme::light(), 7), RGBColor(0, 0, 0));
    }

    #[test]
    fn contrast() {
        assert_eq!(contrast_text(sequential(0.0)), RGBColor(0, 0, 0));
        assert_eq!(contrast_text(sequential(1.0)), RGBColor(255, 255, 255));
    }
}
