//! End-to-end tests of bounded inputs and of clean-up: sizes beyond the documented limits are
//! refused at once with exit code 2 and the figure, sweep files are read by one parser with one
//! message, and staging left by killed processes is removed by the next run.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};
use support::{assert_exit, listing, ok, refused, stderr, stdout, truce, workdir};

mod support;

/// A grid of `steps` steps over each of four parameters.
fn grid(steps: &str) -> String {
    let mut text = String::from(
        "name = \"grid\"\nhorizon_days = 30\n[sweep]\ndesign = \"grid\"\nreplications = 1\n",
    );
    for key in [
        "aggressor.power",
        "aggressor.war_cost",
        "aggressor.regen_cap",
        "aggressor.rationality",
    ] {
        text.push_str(&format!(
            "[[sweep.parameters]]\nkey = \"{key}\"\nmin = 0\nmax = 1\nsteps = {steps}\n"
        ));
    }
    text
}

#[test]
fn a_design_too_large_for_memory_is_refused_before_it_is_built() {
    let dir = workdir("huge.toml", &grid("1000"));
    let started = Instant::now();
    for args in [
        vec!["validate", "huge.toml"],
        vec!["sweep", "huge.toml", "--yes", "-q"],
    ] {
        refused(
            dir.path(),
            &args,
            &["huge.toml", "1000000000000 points", "more than the 1000000"],
        );
    }
    // Counted, not built: well under the time of building even a fraction of it.
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(listing(dir.path()), ["huge.toml"]);
}

#[test]
fn validate_notes_a_design_above_max_points() {
    let dir = workdir(
        "big.toml",
        &grid("11").replace("replications = 1", "max_points = 100"),
    );
    let output = ok(dir.path(), &["validate", "big.toml"]);
    assert!(
        stdout(&output).contains("14641 points, more than sweep.max_points = 100"),
        "{}",
        stdout(&output)
    );
    refused(
        dir.path(),
        &["sweep", "big.toml", "-q"],
        &["14641 points", "--yes"],
    );
}

#[test]
fn a_step_count_too_large_for_toml_gets_one_message_from_validate_and_sweep() {
    let dir = workdir("steps.toml", &grid("18446744073709551615"));
    let validate = refused(dir.path(), &["validate", "steps.toml"], &["steps.toml:10:"]);
    let sweep = refused(
        dir.path(),
        &["sweep", "steps.toml", "-q"],
        &["steps.toml:10:"],
    );
    let first = |s: &str| s.lines().next().unwrap_or_default().to_string();
    assert_eq!(first(&validate), first(&sweep));
    assert!(!validate.contains("unknown key"), "{validate}");
}

#[test]
fn a_key_swept_twice_and_a_key_that_is_not_a_parameter_are_refused() {
    let twice = "name = \"t\"\nhorizon_days = 30\n[sweep]\ndesign = \"grid\"\nreplications = 1\n\
                 [[sweep.parameters]]\nkey = \"aggressor.power\"\nvalues = [1, 2]\n\
                 [[sweep.parameters]]\nkey = \"aggressor.power\"\nvalues = [3, 4]\n";
    let dir = workdir("twice.toml", twice);
    for command in ["validate", "sweep"] {
        refused(
            dir.path(),
            &[command, "twice.toml"],
            &[
                "sweep.parameters[1] (aggressor.power)",
                "swept twice",
                "sweep.parameters[0]",
            ],
        );
    }
    let named = "name = \"t\"\nhorizon_days = 30\n[sweep]\ndesign = \"grid\"\nreplications = 1\n\
                 [[sweep.parameters]]\nkey = \"name\"\nvalues = [\"a\", \"b\"]\n";
    fs::write(dir.path().join("named.toml"), named).unwrap();
    refused(
        dir.path(),
        &["validate", "named.toml"],
        &["sweep.parameters[0] (name)", "cannot be swept"],
    );
}

#[test]
fn sizes_beyond_their_bounds_are_refused_with_the_figure() {
    let dir = workdir(
        "huge.toml",
        "name = \"huge\"\n[geography]\nsectors = 18446744073709551615\n",
    );
    refused(
        dir.path(),
        &["validate", "huge.toml"],
        &["huge.toml:3:1: geography.sectors: must be at most 1000 (got 18446744073709551615)"],
    );
    fs::write(
        dir.path().join("reps.toml"),
        "name = \"reps\"\nreplications = 1000000000\n",
    )
    .unwrap();
    refused(
        dir.path(),
        &["run", "reps.toml"],
        &["replications: must be at most 100000000 (got 1000000000)"],
    );
    fs::write(
        dir.path().join("long.toml"),
        "name = \"long\"\nhorizon_days = 1e9\n",
    )
    .unwrap();
    refused(
        dir.path(),
        &["run", "long.toml"],
        &["horizon_days: must be at most 36525"],
    );
    assert_eq!(listing(dir.path()), ["huge.toml", "long.toml", "reps.toml"]);
}

/// A process id no process has on Linux (the kernel's limit is 2^22).
const DEAD: u32 = 4_194_999;

/// Makes a file or folder look untouched for an hour, as a killed process's leftovers would.
fn age(path: &Path) {
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    fs::File::open(path)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
}

#[test]
fn staging_left_by_killed_processes_is_removed_by_the_next_run() {
    let dir = workdir(
        "short.toml",
        "name = \"short\"\nhorizon_days = 20\nreplications = 20\n",
    );
    let results = dir.path().join("results/short");
    let stale = results.join(format!(".2026-01-01T00-00-00Z.partial-{DEAD}"));
    fs::create_dir_all(&stale).unwrap();
    fs::write(stale.join("runs.parquet"), "half").unwrap();
    age(&stale);
    ok(dir.path(), &["run", "short.toml", "-q"]);
    let names = listing(&results);
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(!names[0].starts_with('.'), "{names:?}");

    let folder = results.join(&names[0]);
    let analysis = folder.join(format!(".analysis.partial-{DEAD}"));
    fs::create_dir(&analysis).unwrap();
    age(&analysis);
    ok(dir.path(), &["analyze", folder.to_str().unwrap()]);
    assert!(!analysis.exists());

    fs::create_dir(folder.join("charts")).unwrap();
    let chart = folder.join(format!("charts/.survival.png.tmp-{DEAD}"));
    fs::write(&chart, "half").unwrap();
    age(&chart);
    let output = truce(dir.path(), &["plot", folder.to_str().unwrap()]);
    assert_exit(&output, 0);
    assert!(!chart.exists(), "{}", stderr(&output));
    for name in listing(&folder.join("charts")) {
        assert!(!name.starts_with('.'), "{name}");
    }
}
