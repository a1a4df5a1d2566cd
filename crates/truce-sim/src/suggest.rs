//! "Did you mean": the valid names nearest to a misspelt one, for every reader's messages.

/// Levenshtein distance, for "did you mean".
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The (at most three) valid names nearest to `name` by edit distance, best first, ties in name order.
pub fn ranked(name: &str, valid: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = valid.into_iter().collect();
    names.sort_by_key(|k| (distance(name, k), k.clone()));
    names.dedup();
    names.truncate(3);
    names
}

/// Adds "did you mean" to serde's "unknown field `x`, expected one of `a`, `b`" messages, and drops
/// the "in `a.b`" lines the TOML reader appends, which repeat the key path already given.
pub fn with_suggestion(report: &str) -> String {
    report
        .lines()
        .filter(|line| !(line.starts_with("in `") && line.ends_with('`')))
        .map(|line| match unknown_field_suggestion(line) {
            Some(near) => format!("{line}; did you mean `{near}`?"),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The nearest expected field to the unknown one of a serde message, if the line is one.
fn unknown_field_suggestion(line: &str) -> Option<String> {
    let rest = line.split_once("unknown field `")?.1;
    let (unknown, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected one of ")?.1;
    let names = expected
        .split(", ")
        .map(|n| n.trim().trim_matches('`').to_string())
        .filter(|n| !n.is_empty());
    ranked(unknown, names).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_field_gets_the_nearest_suggested() {
        let line =
            "s.toml: sweep: unknown field `desing`, expected one of `base`, `design`, `samples`";
        assert_eq!(
            with_suggestion(line),
            format!("{line}; did you mean `design`?")
        );
        assert_eq!(with_suggestion("s.toml: x: bad"), "s.toml: x: bad");
        assert_eq!(
            with_suggestion("s.toml: sweep.a: invalid type\nin `a`"),
            "s.toml: sweep.a: invalid type"
        );
    }

    #[test]
    fn ranked_names_are_nearest_first_then_in_name_order() {
        let names = ["levels", "samples", "design", "seed"].map(String::from);
        assert_eq!(ranked("sampels", names.clone())[0], "samples");
        assert_eq!(ranked("x", names), ["seed", "design", "levels"]);
    }
}
