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

/// The grey of what is no name ("other", "unknown").
pub(crate) const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// Blues (ColorBrewer), from a light tint (0) to dark navy (1), for a light background: one hue,
/// so the order reads from lightness alone, whatever the colour vision. Its first stop is a shade
/// darker than ColorBrewer's #F7FBFF so that a cell of 0 still shows on white.
const BLUES_ON_LIGHT: [(u8, u8, u8); 9] = [
    (0xEF, 0xF5, 0xFB),
    (0xDE, 0xEB, 0xF7),
    (0xC6, 0xDB, 0xEF),
    (0x9E, 0xCA, 0xE1),
    (0x6B, 0xAE, 0xD6),
    (0x42, 0x92, 0xC6),
    (0x21, 0x71, 0xB5),
    (0x08, 0x51, 0x9C),
    (0x08, 0x30, 0x6B),
];

/// The same blues for a dark background, from a blue barely off the background (0) to a light
/// tint (1): quiet is dark there.
const BLUES_ON_DARK: [(u8, u8, u8); 8] = [
    (0x1C, 0x28, 0x36),
    (0x08, 0x51, 0x9C),
    (0x21, 0x71, 0xB5),
    (0x42, 0x92, 0xC6),
    (0x6B, 0xAE, 0xD6),
    (0x9E, 0xCA, 0xE1),
    (0xC6, 0xDB, 0xEF),
    (0xDE, 0xEB, 0xF7),
];

/// The i-th categorical colour (Okabe–Ito, cycling through 8 colours).
pub fn categorical(i: usize) -> RGBColor {
    OKABE_ITO[i % OKABE_ITO.len()]
}

/// The palette's black on a dark background: a near-white, so that it is not [`GREY`], the
/// colour of "other" and "unknown".
pub(crate) const BLACK_ON_DARK: RGBColor = RGBColor(0xE0, 0xE0, 0xE0);

/// Like [`categorical`], but with a near-white (#E0E0E0) instead of black on a dark background
/// (not the grey of "unknown", which a ninth name would otherwise seem to be).
pub fn categorical_for(theme: &Theme, i: usize) -> RGBColor {
    let c = categorical(i);
    if c == OKABE_ITO[7] && is_dark(theme.background) {
        BLACK_ON_DARK
    } else {
        c
    }
}

/// Sequential palette on a light background: `t` in [0, 1] goes from the lightest blue (0, the
/// quietest) to dark navy (1). Out-of-range values are clamped, NaN is 0.
pub fn sequential(t: f64) -> RGBColor {
    ramp(&BLUES_ON_LIGHT, t)
}

/// [`sequential`] for `theme`: on a dark background 0 is the darkest blue, 1 the lightest.
pub fn sequential_for(theme: &Theme, t: f64) -> RGBColor {
    if is_dark(theme.background) {
        ramp(&BLUES_ON_DARK, t)
    } else {
        sequential(t)
    }
}

/// Linear interpolation between evenly spaced stops.
fn ramp(stops: &[(u8, u8, u8)], t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (stops.len() - 1) as f64;
    let i = (pos.floor() as usize).min(stops.len() - 2);
    let (a, b) = (stops[i], stops[i + 1]);
    blend(RGBColor(a.0, a.1, a.2), RGBColor(b.0, b.1, b.2), pos - i as f64)
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
        assert_eq!(sequential(0.0), RGBColor(0xEF, 0xF5, 0xFB));
        assert_eq!(sequential(1.0), RGBColor(0x08, 0x30, 0x6B));
        assert_eq!(sequential(f64::NAN), sequential(0.0));
        assert_eq!(sequential(7.0), sequential(1.0));
        assert_eq!(sequential_for(&Theme::light(), 0.3), sequential(0.3));
        // monotone luminance: darker with t on light, lighter with t on dark
        let (mut light, mut dark) = (2.0, -1.0);
        for i in 0..=20 {
            let t = i as f64 / 20.0;
            let (l, d) = (luminance(sequential(t)), luminance(sequential_for(&Theme::dark(), t)));
            assert!(l < light && d > dark, "step {i}");
            (light, dark) = (l, d);
        }
    }

    #[test]
    fn categorical_cycles_and_dark_grey() {
        assert_eq!(categorical(0), RGBColor(0xE6, 0x9F, 0x00));
        assert_eq!(categorical(8), categorical(0));
        assert_eq!(categorical_for(&Theme::dark(), 7), BLACK_ON_DARK);
        assert_ne!(BLACK_ON_DARK, GREY);
        assert_eq!(categorical_for(&Theme::light(), 7), RGBColor(0, 0, 0));
    }

    #[test]
    fn contrast() {
        assert_eq!(contrast_text(sequential(0.0)), RGBColor(0, 0, 0));
        assert_eq!(contrast_text(sequential(1.0)), RGBColor(255, 255, 255));
    }
}
