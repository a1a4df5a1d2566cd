//! A self-contained HTML report: one page with inline CSS, the charts inline as SVG, tables as
//! HTML tables, and configs or manifests as preformatted text.
//!
//! The page loads nothing from anywhere: no script, stylesheet, font or image outside it, and
//! it contains no URL at all (a `/` in text is written as `&#47;`, and a `://` inside an embedded
//! chart likewise), so it reads the same offline, in an archive, or printed. The design is plain
//! and prints well: figures and tables are not split across pages.
//!
//! ```
//! use truce_plot::report::{self, Report, Section, Table};
//!
//! let report = Report::new("Sweep report")
//!     .section(
//!         Section::new("Outcomes")
//!             .paragraph("P(collapse) by scenario point.")
//!             .table(Table {
//!                 caption: None,
//!                 headers: vec!["point".into(), "P(collapse)".into()],
//!                 rows: vec![vec!["0".into(), "0.62".into()]],
//!             }),
//!     );
//! let html = report::render(&report);
//! assert!(html.contains("<table"));
//! ```

use std::fmt::Write;

/// A report: a title, an optional subtitle, and sections in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub title: String,
    /// E.g. the config file and the number of replications.
    pub subtitle: Option<String>,
    pub sections: Vec<Section>,
}

impl Report {
    pub fn new(title: impl Into<String>) -> Report {
        Report {
            title: title.into(),
            ..Report::default()
        }
    }

    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Report {
        self.subtitle = Some(subtitle.into());
        self
    }

    pub fn section(mut self, section: Section) -> Report {
        self.sections.push(section);
        self
    }
}

/// A section: a heading and its blocks, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn new(heading: impl Into<String>) -> Section {
        Section {
            heading: heading.into(),
            blocks: Vec::new(),
        }
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Section {
        self.blocks.push(Block::Paragraph(text.into()));
        self
    }

    /// Adds a chart: `svg` as returned by [`crate::Render::svg`].
    pub fn chart(mut self, caption: impl Into<String>, svg: impl Into<String>) -> Section {
        self.blocks.push(Block::Chart(Figure {
            caption: caption.into(),
            svg: svg.into(),
        }));
        self
    }

    pub fn table(mut self, table: Table) -> Section {
        self.blocks.push(Block::Table(table));
        self
    }

    /// Adds preformatted text, e.g. a scenario config or a JSON manifest.
    pub fn preformatted(mut self, caption: Option<String>, text: impl Into<String>) -> Section {
        self.blocks.push(Block::Preformatted(Preformatted {
            caption,
            text: text.into(),
        }));
        self
    }
}

/// One block of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph of plain text.
    Paragraph(String),
    Chart(Figure),
    Table(Table),
    Preformatted(Preformatted),
}

/// A chart with its caption.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub caption: String,
    /// SVG markup from this crate's chart modules.
    pub svg: String,
}

/// A table of text cells. Cells that read as numbers are right-aligned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub caption: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A two-column table of keys and values, e.g. a manifest.
    pub fn key_value(caption: Option<String>, pairs: Vec<(String, String)>) -> Table {
        Table {
            caption,
            headers: vec!["key".to_string(), "value".to_string()],
            rows: pairs.into_iter().map(|(k, v)| vec![k, v]).collect(),
        }
    }
}

/// Preformatted text with an optional caption.
#[derive(Debug, Clone, PartialEq)]
pub struct Preformatted {
    pub caption: Option<String>,
    pub text: String,
}

/// The report as one HTML page. The same report gives the same bytes.
pub fn render(report: &Report) -> String {
    let mut html = String::with_capacity(64 * 1024);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        html,
        "<meta name=\"generator\" content=\"truce-plot {}\">",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(html, "<title>{}</title>", escape(&report.title));
    let _ = writeln!(html, "<style>\n{STYLE}</style>\n</head>\n<body>\n<header>");
    let _ = writeln!(html, "<h1>{}</h1>", escape(&report.title));
    if let Some(subtitle) = &report.subtitle {
        let _ = writeln!(html, "<p class=\"subtitle\">{}</p>", escape(subtitle));
    }
    html.push_str("</header>\n");

    if report.sections.len() > 1 {
        html.push_str("<nav>\n<h2>Contents</h2>\n<ol>\n");
        for (i, section) in report.sections.iter().enumerate() {
            let _ = writeln!(
                html,
                "<li><a href=\"#section-{}\">{}</a></li>",
                i + 1,
                escape(&section.heading)
            );
        }
        html.push_str("</ol>\n</nav>\n");
    }

    html.push_str("<main>\n");
    for (i, section) in report.sections.iter().enumerate() {
        let _ = writeln!(html, "<section id=\"section-{}\">", i + 1);
        let _ = writeln!(html, "<h2>{}</h2>", escape(&section.heading));
        for block in &section.blocks {
            render_block(&mut html, block);
        }
        html.push_str("</section>\n");
    }
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

fn render_block(html: &mut String, block: &Block) {
    match block {
        Block::Paragraph(text) => {
            let _ = writeln!(html, "<p>{}</p>", escape(text));
        }
        Block::Chart(figure) => {
            html.push_str("<figure>\n");
            html.push_str(&inline_svg(&figure.svg, &figure.caption));
            if !figure.caption.is_empty() {
                let _ = writeln!(html, "<figcaption>{}</figcaption>", escape(&figure.caption));
            }
            html.push_str("</figure>\n");
        }
        Block::Table(table) => render_table(html, table),
        Block::Preformatted(pre) => {
            html.push_str("<figure class=\"text\">\n");
            if let Some(caption) = &pre.caption {
                let _ = writeln!(html, "<figcaption>{}</figcaption>", escape(caption));
            }
            let _ = writeln!(
                html,
                "<pre>{}</pre>",
                escape(pre.text.trim_end_matches('\n'))
            );
            html.push_str("</figure>\n");
        }
    }
}

fn render_table(html: &mut String, table: &Table) {
    html.push_str("<div class=\"table\">\n<table>\n");
    if let Some(caption) = &table.caption {
        let _ = writeln!(html, "<caption>{}</caption>", escape(caption));
    }
    if !table.headers.is_empty() {
        html.push_str("<thead><tr>");
        for header in &table.headers {
            let _ = write!(html, "<th scope=\"col\">{}</th>", escape(header));
        }
        html.push_str("</tr></thead>\n");
    }
    html.push_str("<tbody>\n");
    for row in &table.rows {
        html.push_str("<tr>");
        for cell in row {
            if is_number(cell) {
                let _ = write!(html, "<td class=\"num\">{}</td>", escape(cell));
            } else {
                let _ = write!(html, "<td>{}</td>", escape(cell));
            }
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n</div>\n");
}

/// Whether a cell reads as a number (also as a percentage or an interval bound like "0.41").
fn is_number(cell: &str) -> bool {
    let cell = cell.trim();
    let cell = cell.strip_suffix('%').unwrap_or(cell);
    !cell.is_empty() && cell.parse::<f64>().is_ok()
}

/// Escapes text for HTML content and attribute values. `/` is escaped too, so no URL can appear
/// in the page's source.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '/' => out.push_str("&#47;"),
            other => out.push(other),
        }
    }
    out
}

/// SVG markup made ready to sit inside HTML: no XML declaration or doctype, no namespace
/// attributes (HTML's parser supplies the SVG namespace), no `://` anywhere, no script, and a
/// role and label for screen readers. Anything that is not SVG is shown as text instead.
fn inline_svg(svg: &str, caption: &str) -> String {
    let mut rest = svg.trim_start();
    loop {
        if rest.starts_with("<?") || rest.starts_with("<!") {
            match rest.find('>') {
                Some(end) => rest = rest[end + 1..].trim_start(),
                None => break,
            }
        } else {
            break;
        }
    }
    if !rest.starts_with("<svg") {
        return format!("<pre>{}</pre>\n", escape(svg));
    }
    let Some(tag_end) = rest.find('>') else {
        return format!("<pre>{}</pre>\n", escape(svg));
    };
    let (root_tag, body) = rest.split_at(tag_end);
    let mut tag = remove_namespace_attributes(root_tag);
    let _ = write!(tag, " role=\"img\" aria-label=\"{}\"", escape(caption));
    let markup = format!("{tag}{body}");
    let markup = markup.replace("://", ":&#47;&#47;");
    let markup = neutralise_scripts(&markup);
    let mut out = markup.trim_end().to_string();
    out.push('\n');
    out
}

/// The root tag without its `xmlns` and `xmlns:*` attributes.
fn remove_namespace_attributes(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    let mut rest = tag;
    while let Some(start) = rest.find(" xmlns") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        // Skip `xmlns[:name]="value"` (or single quotes).
        let value_start = after.find(['"', '\'']);
        let skipped = value_start.and_then(|q| {
            let quote = after.as_bytes()[q] as char;
            after[q + 1..].find(quote).map(|end| q + 1 + end + 1)
        });
        match skipped {
            Some(length) => rest = &after[length..],
            None => {
                rest = after;
                out.push(' ');
            }
        }
    }
    out.push_str(rest);
    out
}

/// Turns any `<script` into text, so an embedded SVG cannot run code.
fn neutralise_scripts(markup: &str) -> String {
    let lower = markup.to_ascii_lowercase();
    let mut out = String::with_capacity(markup.len());
    let mut last = 0;
    for (at, _) in lower.match_indices("<script") {
        out.push_str(&markup[last..at]);
        out.push_str("&lt;");
        last = at + 1;
    }
    out.push_str(&markup[last..]);
    out
}

const STYLE: &str = r#"body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif;
  color: #222;
  background: #fff;
  max-width: 64rem;
  margin: 2rem auto;
  padding: 0 1.25rem;
  line-height: 1.5;
}
h1 { font-size: 1.8rem; margin: 0 0 0.25rem; }
.subtitle { color: #555; margin: 0 0 1.5rem; }
h2 { font-size: 1.35rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin: 2.5rem 0 1rem; }
nav h2 { font-size: 1.1rem; border: none; margin: 1.5rem 0 0.25rem; }
nav ol { margin: 0; padding-left: 1.5rem; }
a { color: #0b5394; }
figure { margin: 1.5rem 0; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.95rem; margin: 0.4rem 0; }
.table { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; font-size: 0.95rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.35rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; }
pre {
  font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 0.85rem;
  line-height: 1.4;
  background: #f6f6f6;
  border: 1px solid #ddd;
  padding: 0.75rem 1rem;
  /* Long lines (the manifest's command line, paths, hashes) wrap inside the box. */
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, .table, pre { break-inside: avoid; }
  figure svg { border: none; }
  pre { white-space: pre-wrap; overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_slashes() {
        assert_eq!(
            escape("<a href='x'>&\"/"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&#47;"
        );
    }

    #[test]
    fn embedded_svg_loses_its_declaration_namespaces_and_urls() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink='http://www.w3.org/1999/xlink'><text>see https://x</text><script>alert(1)</script></svg>\n";
        let inlined = inline_svg(svg, "a <chart>");
        assert_eq!(
            inlined,
            "<svg width=\"10\" height=\"10\" role=\"img\" aria-label=\"a &lt;chart&gt;\"><text>see https:&#47;&#47;x</text>&lt;script>alert(1)</script></svg>\n"
        );
    }

    #[test]
    fn anything_but_svg_is_shown_as_text() {
        assert_eq!(
            inline_svg("<img src=x>", ""),
            "<pre>&lt;img src=x&gt;</pre>\n"
        );
    }

    #[test]
    fn numbers_are_recognised() {
        assert!(is_number("0.41"));
        assert!(is_number(" 12 "));
        assert!(is_number("5%"));
        assert!(!is_number("air=1"));
        assert!(!is_number(""));
    }
}
