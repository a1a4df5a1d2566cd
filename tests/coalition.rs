//! End-to-end tests of the coalition's scenarios (docs/model.md sections 15 to 17): each runs from the
//! command line at a short horizon, and its per-nation columns reach `truce analyze`, the report
//! and a sensitivity analysis of who provides what.

mod support;

use std::fs;
use std::path::Path;
use support::{ok, stdout, workspace};

/// A bundled file with a shorter horizon (and, for a sweep, its base found from the copy).
fn shortened(dir: &Path, relative: &str, horizon: i64) -> String {
    let path = workspace().join(relative);
    let mut table: toml::Table = fs::read_to_string(&path).unwrap().parse().unwrap();
    table.insert("horizon_days".into(), toml::Value::Integer(horizon));
    if let Some(sweep) = table.get_mut("sweep").and_then(|s| s.as_table_mut()) {
        let base = path.parent().unwrap().join(sweep["base"].as_str().unwrap());
        sweep.insert("base".into(), base.display().to_string().into());
        sweep.insert("samples".into(), toml::Value::Integer(4));
        sweep.insert("replications".into(), toml::Value::Integer(20));
    }
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let file = dir.join(name);
    fs::write(&file, toml::to_string(&table).unwrap()).unwrap();
    file.display().to_string()
}

const NATIONS: [&str; 4] = ["united_kingdom", "france", "nordic_baltic", "germany"];

/// Every coalition scenario runs at 120 days; the analysis summarises each nation's columns and
/// prints the table of contingents, which the report shows.
#[test]
fn the_coalition_scenarios_run_and_report_per_nation() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "coalition_as_pledged",
        "coalition_on_the_line",
        "backstop",
        "provocation",
    ] {
        let file = shortened(dir.path(), &format!("configs/{name}.toml"), 120);
        ok(
            dir.path(),
            &["run", &file, "-n", "300", "--out", name, "--quiet"],
        );
        let analysed = stdout(&ok(dir.path(), &["analyze", name]));
        assert!(analysed.contains("Contingents (per nation"), "{name}");
        for nation in NATIONS {
            assert!(analysed.contains(nation), "{name}: {nation}");
        }
        let summary =
            fs::read_to_string(dir.path().join(name).join("analysis/summary.csv")).unwrap();
        for column in [
            "tripwire_triggered_united_kingdom",
            "tripwire_fired_france",
            "r_casualties_serious_germany",
        ] {
            assert!(summary.contains(column), "{name}: {column}");
        }
    }
    ok(dir.path(), &["report", "backstop"]);
    let html = fs::read_to_string(dir.path().join("backstop/report.html")).unwrap();
    assert!(html.contains("Contingents: per nation"));
}

/// The files compare under common random numbers (the same nations, the same columns), and the
/// shorthand force, whose one contingent is `coalition`, prints no table of contingents.
#[test]
fn coalition_files_compare_and_the_shorthand_has_no_contingents_table() {
    let dir = tempfile::tempdir().unwrap();
    let pledged = shortened(dir.path(), "configs/coalition_as_pledged.toml", 90);
    let line = shortened(dir.path(), "configs/coalition_on_the_line.toml", 90);
    ok(
        dir.path(),
        &[
            "compare", &pledged, &line, "-n", "200", "--out", "cmp", "-q",
        ],
    );
    let compared = stdout(&ok(dir.path(), &["analyze", "cmp"]));
    assert!(
        compared.contains("tripwire_fired_united_kingdom"),
        "{compared}"
    );
    let baseline = workspace().join("configs/baseline.toml");
    let baseline = baseline.to_str().unwrap();
    ok(
        dir.path(),
        &["run", baseline, "-n", "50", "--out", "base", "--quiet"],
    );
    let analysed = stdout(&ok(dir.path(), &["analyze", "base"]));
    assert!(!analysed.contains("Contingents (per nation"));
}

/// Who provides what: the sweep over contingents named by their place in the list runs at a
/// small size, and its sensitivity table names every parameter.
#[test]
fn who_provides_what_gives_sensitivity_indices_of_each_contribution() {
    let dir = tempfile::tempdir().unwrap();
    let file = shortened(dir.path(), "configs/sweeps/who_provides_what.toml", 90);
    ok(dir.path(), &["sweep", &file, "--out", "wpw", "-q"]);
    let analysed = stdout(&ok(dir.path(), &["analyze", "wpw"]));
    for key in [
        "contingents[0].troops_rear",
        "contingents[1].troops_rear",
        "contingents[3].staged",
        "contingents[3].p_tripwire",
        "air_cover.theta_hit",
    ] {
        assert!(analysed.contains(key), "{key}: {analysed}");
    }
}
