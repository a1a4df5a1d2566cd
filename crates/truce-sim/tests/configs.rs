//! The example configs of `configs/` and the bad configs of `tests/bad_configs/`.
//!
//! Each `tests/bad_configs/<case>.toml` has a `<case>.expected` next to it holding the exact text of
//! `err.report("tests/bad_configs/<case>.toml")`. After a deliberate change of the messages, run
//! `UPDATE_EXPECTED=1 cargo test -p truce-sim --test configs` to rewrite them, and review the diff.

use std::fs;
use std::path::{Path, PathBuf};
use truce_sim::validate::{self, check};
use truce_sim::{Scenario, ScenarioConfig};

/// The workspace root, two levels above this crate.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `.toml` files of a folder of the workspace, sorted by name.
fn tomls(dir: &str) -> Vec<PathBuf> {
    let dir = root().join(dir);
    let mut files = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect::<Vec<_>>();
    files.sort();
    files
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("file stem")
        .to_string_lossy()
        .into_owned()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn baseline_is_exactly_the_default_config() {
    let path = root().join("configs/baseline.toml");
    let config = validate::parse(&read(&path))
        .unwrap_or_else(|e| panic!("{}", e.report("configs/baseline.toml")));
    assert_eq!(config, ScenarioConfig::default());
    assert_eq!(check(&config), vec![]);
}

/// Every key of `default` is set in `file`, recursively through tables; keys whose default is unset
/// (an empty per-kind table) must at least be shown in a comment.
fn missing_keys(
    default: &toml::Table,
    file: &toml::Table,
    text: &str,
    at: &str,
    out: &mut Vec<String>,
) {
    for (key, value) in default {
        let path = if at.is_empty() {
            key.clone()
        } else {
            format!("{at}.{key}")
        };
        match (value, file.get(key)) {
            (toml::Value::Table(d), Some(toml::Value::Table(f))) => {
                missing_keys(d, f, text, &path, out);
            }
            (_, Some(_)) => {}
            (toml::Value::Table(d), None) if d.is_empty() => {
                if !text.contains(&format!("# {key} = ")) {
                    out.push(format!("{path} (not even in a comment)"));
                }
            }
            (_, None) => out.push(path),
        }
    }
}

#[test]
fn baseline_spells_out_every_key() {
    let text = read(&root().join("configs/baseline.toml"));
    let file: toml::Table = toml::from_str(&text).expect("baseline.toml is TOML");
    let default = toml::Table::try_from(ScenarioConfig::default()).expect("the default serializes");
    let mut missing = Vec::new();
    missing_keys(&default, &file, &text, "", &mut missing);
    // Unset by default, so left out of the serialized default: shown as a comment.
    if !text.contains("# declared_hit = ") {
        missing.push("guarantors.reassurance.declared_hit".into());
    }
    assert!(
        missing.is_empty(),
        "configs/baseline.toml does not set: {}",
        missing.join(", ")
    );
}

#[test]
fn every_example_config_builds_and_is_named_after_its_file() {
    let files = tomls("configs");
    let stems = files.iter().map(|p| stem(p)).collect::<Vec<_>>();
    for required in [
        "baseline",
        "no_guarantees",
        "tripwire_on_the_line",
        "air_cover_only",
        "troops_in_half_the_line",
        "slow_authorisation",
        "fast_authorisation",
        "clear_commitment",
        "no_fly_zone",
        "exogenous_hazard",
    ] {
        assert!(
            stems.iter().any(|s| s == required),
            "configs/{required}.toml is missing"
        );
    }
    for path in &files {
        let origin = format!("configs/{}.toml", stem(path));
        let scenario = Scenario::from_toml_str(&read(path))
            .unwrap_or_else(|e| panic!("{origin} does not build:\n{}", e.report(&origin)));
        assert_eq!(
            scenario.name(),
            stem(path),
            "{origin}: name must equal the file's stem"
        );
        if stem(path) != "baseline" {
            assert!(
                !scenario.config.description.is_empty(),
                "{origin}: give a description"
            );
        }
    }
}

#[test]
fn the_example_configs_set_what_their_names_say() {
    let load = |name: &str| {
        let path = root().join(format!("configs/{name}.toml"));
        validate::parse(&read(&path)).unwrap_or_else(|e| panic!("{}", e.report(name)))
    };
    use truce_sim::config::{AirCoverLevel, PerSector, Roe};
    let no_r = |c: &ScenarioConfig| {
        let k = &c.guarantors.reassurance.contingents()[0];
        k.troops_rear == 0.0 && k.troops == PerSector::All(0.0)
    };

    let c = load("no_guarantees");
    assert!(no_r(&c));
    assert_eq!(c.guarantors.air_cover.level, AirCoverLevel::None);

    let c = load("tripwire_on_the_line");
    let r = &c.guarantors.reassurance.contingents()[0];
    assert_eq!(r.troops_rear, 0.0);
    assert_eq!(r.troops.resolve(6).unwrap().iter().sum::<f64>(), 15.0);
    assert_eq!(
        r.distance_km.resolve(6),
        Some(vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    );
    assert_eq!(r.roe, Roe::DefendSector);
    assert_eq!(c.guarantors.air_cover.level, AirCoverLevel::None);

    let c = load("air_cover_only");
    assert!(no_r(&c));
    assert_eq!(c.guarantors.air_cover.level, AirCoverLevel::OnCall);

    let c = load("troops_in_half_the_line");
    let r = &c.guarantors.reassurance.contingents()[0];
    assert_eq!(r.troops_rear, 0.0);
    assert_eq!(
        r.troops.resolve(6),
        Some(vec![5.0, 5.0, 5.0, 0.0, 0.0, 0.0])
    );
    assert_eq!(r.distance_km.resolve(6), Some(vec![0.0; 6]));
    assert_eq!(r.roe, Roe::DefendSector);
    assert_eq!(c.guarantors.air_cover.level, AirCoverLevel::None);

    for (name, hours) in [("slow_authorisation", 72.0), ("fast_authorisation", 1.0)] {
        let c = load(name);
        assert!(no_r(&c), "{name}");
        assert_eq!(c.guarantors.air_cover.level, AirCoverLevel::OnCall);
        assert_eq!(c.guarantors.air_cover.auth_median_hours, hours);
    }

    let c = load("clear_commitment");
    let mut expected = ScenarioConfig {
        name: "clear_commitment".into(),
        description: c.description.clone(),
        ..ScenarioConfig::default()
    };
    expected.beliefs.prior_strength.reassurance = 20.0;
    expected.beliefs.prior_strength.air_cover = 20.0;
    assert_eq!(c, expected);

    let c = load("no_fly_zone");
    let mut expected = ScenarioConfig {
        name: "no_fly_zone".into(),
        description: c.description.clone(),
        ..ScenarioConfig::default()
    };
    expected.guarantors.air_cover.level = AirCoverLevel::NoFlyZone;
    assert_eq!(c, expected);

    let c = load("exogenous_hazard");
    let mut expected = load("no_guarantees");
    expected.name = "exogenous_hazard".into();
    expected.description = c.description.clone();
    expected.collapse.exogenous = true;
    assert_eq!(c, expected);
}

/// A failure message that shows both texts line by line, marking the lines that differ.
fn difference(expected: &str, got: &str) -> String {
    let e = expected.lines().collect::<Vec<_>>();
    let g = got.lines().collect::<Vec<_>>();
    let mut out = String::new();
    for i in 0..e.len().max(g.len()) {
        match (e.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => out.push_str(&format!("    {a}\n")),
            (a, b) => {
                if let Some(a) = a {
                    out.push_str(&format!("  - {a}\n"));
                }
                if let Some(b) = b {
                    out.push_str(&format!("  + {b}\n"));
                }
            }
        }
    }
    out
}

#[test]
fn every_bad_config_reports_exactly_its_expected_text() {
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let files = tomls("tests/bad_configs");
    let stems = files.iter().map(|p| stem(p)).collect::<Vec<_>>();
    for required in [
        "unknown_key",
        "wrong_type",
        "probability_out_of_range",
        "negative_duration",
        "zero_duration",
        "zero_sectors",
        "sector_list_wrong_length",
        "unknown_air_cover_level",
        "empty_ladder",
        "several_problems",
        "not_toml",
    ] {
        assert!(
            stems.iter().any(|s| s == required),
            "tests/bad_configs/{required}.toml is missing"
        );
    }
    let mut failures = Vec::new();
    for path in &files {
        let origin = format!("tests/bad_configs/{}.toml", stem(path));
        // As `truce validate` reports it: every located problem, with a count when several.
        let got = match validate::read(&read(path), |_| {}) {
            Err(e) if e.0.len() > 1 => {
                format!("{origin}: {} problems\n{}", e.0.len(), e.report(&origin))
            }
            Err(e) => e.report(&origin),
            Ok(config) => match Scenario::from_config(config) {
                Ok(_) => {
                    failures.push(format!("{origin}: builds, but should be rejected"));
                    continue;
                }
                Err(e) => e.report(&origin),
            },
        };
        let expected_path = path.with_extension("expected");
        if update {
            fs::write(&expected_path, format!("{got}\n")).expect("write .expected");
            continue;
        }
        let Ok(expected) = fs::read_to_string(&expected_path) else {
            failures.push(format!(
                "{origin}: no {} next to it; the report is:\n{got}",
                expected_path.display()
            ));
            continue;
        };
        let expected = expected.strip_suffix('\n').unwrap_or(&expected);
        if got != expected {
            failures.push(format!(
                "{origin}: the report differs from its .expected (- expected, + got):\n{}",
                difference(expected, &got)
            ));
        }
    }
    // No stray expectations without their config.
    for entry in fs::read_dir(root().join("tests/bad_configs")).expect("tests/bad_configs") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|x| x == "expected")
            && !path.with_extension("toml").exists()
        {
            failures.push(format!("{}: no .toml next to it", path.display()));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn several_problems_are_reported_at_once() {
    let path = root().join("tests/bad_configs/several_problems.toml");
    let err = Scenario::from_toml_str(&read(&path)).expect_err("several_problems must be rejected");
    assert!(
        err.problems().len() >= 5,
        "{}",
        err.report("several_problems")
    );
}
