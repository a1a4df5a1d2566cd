//! How points, outcomes and keys read in chart titles, legends, captions and file names.

use super::labels;
use truce_analysis::FolderAnalysis;
use truce_analysis::indices::short as number;
use truce_analysis::prim::Values;

/// A point's label: its id and parameter values (`7: on_call, 15`; see [`label_key`]) for a
/// sweep of up to three parameters, its id for a larger one, the scenario's name for a run.
pub(super) fn point_label(analysis: &FolderAnalysis, id: u64, scenario: &str) -> String {
    let Some(design) = &analysis.folder.design else {
        return scenario.to_owned();
    };
    let Some(row) = design.row(id) else {
        return format!("point {id}");
    };
    let values: Vec<String> = design
        .values
        .iter()
        .map(|v| match v {
            Values::Numeric(v) => number(v[row]),
            Values::Categorical(v) => v[row].clone(),
        })
        .collect();
    if values.is_empty() || values.len() > 3 {
        format!("point {id}")
    } else {
        format!("{id}: {}", values.join(", "))
    }
}

/// The name of a results folder's scenario (a run) or sweep, from its manifest.
pub fn name_of(analysis: &FolderAnalysis) -> String {
    let manifest = &analysis.folder.manifest;
    [
        truce_formats::manifest::SCENARIO,
        truce_formats::manifest::SWEEP,
    ]
    .iter()
    .find_map(|key| manifest.get(*key).and_then(|v| v.as_str()))
    .unwrap_or("results")
    .to_owned()
}

/// What a point's label holds: `point: level, troops_rear` for a sweep, `scenario` for a run.
pub(super) fn label_key(analysis: &FolderAnalysis) -> String {
    match &analysis.folder.design {
        Some(d) if !d.parameters.is_empty() && d.parameters.len() <= 3 => format!(
            "point: {}",
            d.parameters
                .iter()
                .map(|p| plain(p))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(_) => "point".into(),
        None => "scenario".into(),
    }
}

/// How an outcome reads on a chart: `P(collapse)` for `collapsed`, `mean X` for a number.
pub(super) fn outcome_label(name: &str, binary: bool) -> String {
    match (name, binary) {
        ("collapsed", _) => "P(collapse)".into(),
        ("violated", _) => "P(serious violation)".into(),
        (_, true) => format!("P({name})"),
        (_, false) => format!("mean {name}"),
    }
}

/// A key's label without its unit, as it reads inside a sentence or title: "troops in the rear".
pub(super) fn plain(key: &str) -> String {
    let label = labels::label(key);
    let text = match label.rfind(" (") {
        Some(i) if label.ends_with(')') => &label[..i],
        _ => &label,
    };
    let mut chars = text.chars();
    match chars.next() {
        // Keep a key (lower case already) and an initialism as they are.
        Some(c) if c.is_uppercase() && !chars.next().is_some_and(char::is_uppercase) => c
            .to_lowercase()
            .chain(text[c.len_utf8()..].chars())
            .collect(),
        _ => text.to_owned(),
    }
}

/// Over which runs the mean of a numeric outcome is taken: a day column is empty when its event
/// did not happen, so its mean is over the runs in which it did.
pub(super) fn over_which(info: &truce_analysis::outcomes::Outcome) -> String {
    match info.among.as_deref() {
        Some(among) => format!(
            "as a mean over the {} (it has no value in the others)",
            runs_that(among)
        ),
        None => "as a mean over all replications".to_owned(),
    }
}

/// The runs on which a conditional mean is taken, in words: `collapsed` → "runs that collapsed".
pub(super) fn runs_that(among: &str) -> String {
    match among {
        "violated" => "runs with a serious violation".into(),
        "detected" => "runs with a detected violation".into(),
        "harassed" => "runs with harassment".into(),
        "collapsed" => "runs that collapsed".into(),
        "settled" => "runs that settled".into(),
        "offensive" => "runs with an offensive".into(),
        other => format!("runs where {other}"),
    }
}

/// An outcome name as part of a file name.
pub(super) fn file_part(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Point ids for a message, as the analysis lists names: the first 20, then how many more.
pub(super) fn id_list(ids: &[u64]) -> String {
    let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
    truce_analysis::error::name_list(&ids, 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_words_inside_titles() {
        assert_eq!(
            plain("guarantors.reassurance.troops_rear"),
            "troops in the rear"
        );
        assert_eq!(plain("guarantors.air_cover.level"), "air-cover posture");
        assert_eq!(plain("aggressor.rationality"), "aggressor's rationality");
        assert_eq!(plain("some.unknown_key"), "some.unknown_key");
    }
}
