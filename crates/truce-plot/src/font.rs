//! The embedded DejaVu Sans, registered once as the `sans-serif` family that every chart uses.

use std::sync::OnceLock;

use plotters::style::{FontStyle, register_font};

use crate::{Error, Result};

/// The family name every text style of the crate uses; SVG output names it as the font family.
pub(crate) const FAMILY: &str = "sans-serif";

/// DejaVu Sans 2.37, from Debian's fonts-dejavu-core (licence in `assets/LICENSE-DejaVu.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Registers the font on first use. With plotters' `ab_glyph` feature no font exists until one is
/// registered, and text layout (also for SVG) fails without it.
pub(crate) fn ensure_registered() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok =
        *REGISTERED.get_or_init(|| register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS).is_ok());
    if ok { Ok(()) } else { Err(Error::Font) }
}
