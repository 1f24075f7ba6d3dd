//! Sizes of text, lines and markers, scaled for the screen's pixel density.

use plotters::style::{Color, IntoFont, RGBColor, ShapeStyle, TextStyle};

use super::palette;

/// How a chart is sized for the surface it is drawn on.
///
/// A browser canvas on a HiDPI screen has `devicePixelRatio` device pixels per CSS
/// pixel; the page makes the canvas that much larger and passes the ratio as
/// `scale`, so text, margins, lines and markers keep their CSS size and stay crisp.
/// SVG and plain canvases use `1.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartStyle {
    /// Device pixels per CSS pixel (`window.devicePixelRatio`).
    pub scale: f64,
}

impl Default for ChartStyle {
    fn default() -> Self {
        ChartStyle { scale: 1.0 }
    }
}

/// Font sizes in CSS pixels, by role.
pub(super) const TITLE_FONT: f64 = 20.0;
pub(super) const AXIS_FONT: f64 = 15.0;
pub(super) const TICK_FONT: f64 = 13.0;
pub(super) const LEGEND_FONT: f64 = 13.0;
pub(super) const NOTE_FONT: f64 = 13.0;
pub(super) const MESSAGE_FONT: f64 = 16.0;

/// The only font family: both the canvas and SVG viewers resolve it to the
/// platform's sans-serif, and the native tests need no font files.
const FAMILY: &str = "sans-serif";

impl ChartStyle {
    /// The scale actually used: a broken ratio (zero, negative, NaN) falls back to
    /// 1 and extreme ones are clamped, so a bad value from the page cannot make a
    /// chart unreadable or its layout overflow.
    pub(super) fn factor(&self) -> f64 {
        if self.scale.is_finite() && self.scale > 0.0 {
            self.scale.clamp(0.25, 8.0)
        } else {
            1.0
        }
    }

    /// A length of `css` CSS pixels in device pixels.
    pub(super) fn px(&self, css: f64) -> i32 {
        (css * self.factor()).round() as i32
    }

    /// Like [`ChartStyle::px`], for plotters' unsigned sizes.
    pub(super) fn upx(&self, css: f64) -> u32 {
        self.px(css).max(0) as u32
    }

    /// Text of `size` CSS pixels in the ink colour.
    pub(super) fn font(&self, size: f64) -> TextStyle<'static> {
        self.font_in(size, palette::INK)
    }

    /// Text of `size` CSS pixels in `color`.
    pub(super) fn font_in(&self, size: f64, color: RGBColor) -> TextStyle<'static> {
        (FAMILY, size * self.factor()).into_font().color(&color)
    }

    /// A stroke of `width` CSS pixels; never thinner than one device pixel.
    pub(super) fn stroke(&self, color: RGBColor, width: f64) -> ShapeStyle {
        color.stroke_width(self.upx(width).max(1))
    }
}
