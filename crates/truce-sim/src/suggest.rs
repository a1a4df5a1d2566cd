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
