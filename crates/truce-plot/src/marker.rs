//! Point markers of several shapes, drawn in pixel coordinates so every shape has the same size.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Result;

/// A marker shape. Shapes are told apart in print and by readers with colour-vision deficiencies,
/// where colour alone would not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Circle,
    Square,
    TriangleUp,
    Diamond,
    TriangleDown,
    Cross,
}

/// The shapes in the order they are handed out to classes of events.
pub(crate) const SHAPES: [Shape; 6] = [
    Shape::Circle,
    Shape::TriangleUp,
    Shape::Square,
    Shape::Diamond,
    Shape::TriangleDown,
    Shape::Cross,
];

/// Draws a filled marker of `shape` centred at `at` (pixels of `area`), `radius` pixels across
/// half its width, with a white outline `outline_width` pixels wide that keeps overlapping
/// markers apart.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    shape: Shape,
    color: RGBColor,
    radius: i32,
    outline_width: u32,
) -> Result<()> {
    let (x, y) = at;
    let r = f64::from(radius.max(2));
    let point = |dx: f64, dy: f64| (x + dx.round() as i32, y + dy.round() as i32);
    let outline = WHITE.stroke_width(outline_width);
    match shape {
        Shape::Circle => {
            area.draw(&Circle::new(at, r as i32, color.filled()))?;
            area.draw(&Circle::new(at, r as i32, outline))?;
        }
        Shape::Cross => {
            let arm = r * 1.05;
            let width = (r / 2.2).round().max(2.0) as u32;
            let style = color.stroke_width(width);
            area.draw(&PathElement::new(
                vec![point(-arm, -arm), point(arm, arm)],
                style,
            ))?;
            area.draw(&PathElement::new(
                vec![point(-arm, arm), point(arm, -arm)],
                style,
            ))?;
        }
        _ => {
            let corners = match shape {
                Shape::Square => {
                    let h = r * 0.88;
                    vec![point(-h, -h), point(h, -h), point(h, h), point(-h, h)]
                }
                Shape::TriangleUp => vec![
                    point(0.0, -r * 1.2),
                    point(r * 1.1, r * 0.75),
                    point(-r * 1.1, r * 0.75),
                ],
                Shape::TriangleDown => vec![
                    point(0.0, r * 1.2),
                    point(r * 1.1, -r * 0.75),
                    point(-r * 1.1, -r * 0.75),
                ],
                _ => {
                    let d = r * 1.25;
                    vec![point(0.0, -d), point(d, 0.0), point(0.0, d), point(-d, 0.0)]
                }
            };
            area.draw(&Polygon::new(corners.clone(), color.filled()))?;
            let mut closed = corners.clone();
            closed.push(corners[0]);
            area.draw(&PathElement::new(closed, outline))?;
        }
    }
    Ok(())
}

/// Draws a horizontal interval from `x0` to `x1` at height `y` (pixels of `area`), with end caps
/// `cap` pixels tall on each side of the line.
pub(crate) fn whisker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x0, x1): (i32, i32),
    y: i32,
    cap: i32,
    style: ShapeStyle,
) -> Result<()> {
    area.draw(&PathElement::new(vec![(x0, y), (x1, y)], style))?;
    for x in [x0, x1] {
        area.draw(&PathElement::new(vec![(x, y - cap), (x, y + cap)], style))?;
    }
    Ok(())
}

/// Draws a dashed line from `from` to `to` (pixels of `area`): dashes of `dash` pixels with gaps
/// of `gap` pixels.
pub(crate) fn dashed_line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: (i32, i32),
    to: (i32, i32),
    (dash, gap): (i32, i32),
    style: ShapeStyle,
) -> Result<()> {
    let (dx, dy) = (f64::from(to.0 - from.0), f64::from(to.1 - from.1));
    let length = dx.hypot(dy);
    if length == 0.0 {
        return Ok(());
    }
    let at = |distance: f64| {
        let t = (distance / length).min(1.0);
        (
            from.0 + (dx * t).round() as i32,
            from.1 + (dy * t).round() as i32,
        )
    };
    let mut start = 0.0;
    while start < length {
        let end = (start + f64::from(dash)).min(length);
        area.draw(&PathElement::new(vec![at(start), at(end)], style))?;
        start = end + f64::from(gap);
    }
    Ok(())
}
