//! Plain-text tables for the terminal: columns padded to their widest cell.

/// A table of text cells under a header.
#[derive(Debug, Clone, Default)]
pub struct TextTable {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Columns aligned to the right (numbers).
    right: Vec<bool>,
}

impl TextTable {
    /// A table with these column headers; columns whose header is in `right` align right.
    pub fn new(header: Vec<String>, right: Vec<bool>) -> Self {
        TextTable {
            header,
            rows: Vec::new(),
            right,
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The column headers.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The rows of cells.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// The table as lines, indented by two spaces.
    pub fn render(&self) -> String {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let mut text = String::from("  ");
            for (i, cell) in cells.iter().enumerate().take(columns) {
                let pad = widths[i] - cell.chars().count();
                if self.right.get(i).copied().unwrap_or(false) {
                    text.push_str(&" ".repeat(pad));
                    text.push_str(cell);
                } else {
                    text.push_str(cell);
                    if i + 1 < columns {
                        text.push_str(&" ".repeat(pad));
                    }
                }
                if i + 1 < columns {
                    text.push_str("  ");
                }
            }
            text.trim_end().to_owned() + "\n"
        };
        let mut out = line(&self.header);
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

/// `0.034 [0.021, 0.054]`, or `-` for a missing estimate.
pub fn estimate_with_interval(estimate: f64, lower: f64, upper: f64, decimals: usize) -> String {
    if !estimate.is_finite() {
        return "-".into();
    }
    if lower.is_finite() && upper.is_finite() {
        format!("{estimate:.decimals$} [{lower:.decimals$}, {upper:.decimals$}]")
    } else {
        format!("{estimate:.decimals$}")
    }
}

/// A number with `decimals` decimals, or `-`.
pub fn number(x: Option<f64>, decimals: usize) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        _ => "-".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_padded_to_the_widest_cell() {
        let mut t = TextTable::new(vec!["a".into(), "bb".into()], vec![false, true]);
        t.push(vec!["xyz".into(), "1".into()]);
        assert_eq!(t.render(), "  a    bb\n  xyz   1\n");
    }
}
