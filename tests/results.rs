//! End-to-end tests of the results a paper uses: the causes of collapse and their cumulative
//! incidences in `truce analyze`, `truce plot` and `truce report`.

mod support;

use std::collections::BTreeMap;
use std::fs;
use support::{csv_rows, ok, stdout, workspace};

fn number(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|e| panic!("{column}: {:?}: {e}", row[column]))
}

/// Under the default settlement, which ends nothing, no run ends in a settlement: settled
/// ceasefires stay at risk and end in collapse or at the horizon.
#[test]
fn a_settlement_that_ends_nothing_is_not_a_competing_end() {
    let dir = tempfile::tempdir().unwrap();
    let config = workspace().join("configs/no_guarantees.toml");
    let run = [
        "run",
        config.to_str().unwrap(),
        "-n",
        "400",
        "--out",
        "run",
        "--quiet",
    ];
    let printed = stdout(&ok(dir.path(), &run));
    let settled = printed
        .lines()
        .find(|l| l.starts_with("P(settled)"))
        .unwrap();
    assert!(!settled.contains("(0 of 400)"), "{settled}");
    ok(dir.path(), &["analyze", "run"]);
    let rows = csv_rows(&dir.path().join("run/analysis/causes.csv"));
    let settlement = rows.iter().find(|r| r["kind"] == "settlement").unwrap();
    assert_eq!(number(settlement, "events"), 0.0);
}

#[test]
fn analyze_plot_and_report_show_the_causes_of_collapse_and_their_incidence() {
    let dir = tempfile::tempdir().unwrap();
    // Settlements that end the conflict, so that settlement competes with collapse.
    let base = workspace().join("configs/no_guarantees.toml");
    let config = dir.path().join("absorbing.toml");
    let text = fs::read_to_string(&base).unwrap();
    fs::write(
        &config,
        format!("{text}\n[negotiation]\nsettlement = \"absorbing\"\n"),
    )
    .unwrap();
    let printed = stdout(&ok(
        dir.path(),
        &[
            "run",
            config.to_str().unwrap(),
            "-n",
            "400",
            "--out",
            "run",
            "--quiet",
        ],
    ));
    let analysis = stdout(&ok(dir.path(), &["analyze", "run"]));
    assert!(analysis.contains("Ends of the ceasefires"), "{analysis}");
    assert!(analysis.contains("Aalen–Johansen"), "{analysis}");
    let rows = csv_rows(&dir.path().join("run/analysis/causes.csv"));
    let kinds: Vec<&str> = rows.iter().map(|r| r["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "offensive",
            "clash",
            "tripwire_war",
            "spiral",
            "exogenous",
            "settlement"
        ]
    );
    // The counts are those `truce run` printed.
    for row in &rows[..5] {
        let line = printed
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{} ", row["kind"])))
            .unwrap_or_else(|| panic!("{} not in\n{printed}", row["kind"]));
        let count: f64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert_eq!(number(row, "events"), count, "{line}");
    }
    let settled = printed
        .lines()
        .find(|l| l.starts_with("P(settled)"))
        .unwrap();
    assert!(
        settled.contains(&format!("({} of 400)", rows[5]["events"])),
        "{settled}"
    );
    // The incidences and the probability of neither add up to one; Kaplan–Meier of collapse,
    // which censors settled runs, is at least the incidence of collapse.
    let f: f64 = rows.iter().map(|r| number(r, "f_730")).sum();
    assert!(f <= 1.0 + 1e-12, "{f}");
    let collapse: f64 = rows[..5].iter().map(|r| number(r, "f_730")).sum();
    let survival = csv_rows(&dir.path().join("run/analysis/survival_summary.csv"));
    let km = survival.iter().find(|r| r["curve"] == "collapse").unwrap();
    assert!(1.0 - number(km, "s_730") >= collapse - 1e-12);
    for r in &rows {
        if number(r, "events") > 0.0 {
            assert!(number(r, "f_730_lower") < number(r, "f_730"), "{r:?}");
            assert!(number(r, "f_730") < number(r, "f_730_upper"), "{r:?}");
        }
    }
    ok(
        dir.path(),
        &["plot", "run", "--chart", "incidence", "--format", "svg"],
    );
    let svg = fs::read_to_string(dir.path().join("run/charts/incidence.svg")).unwrap();
    assert!(svg.contains("How ceasefires ended: no_guarantees"));
    assert!(svg.contains("settlement"));
    ok(dir.path(), &["report", "run"]);
    let html = fs::read_to_string(dir.path().join("run/report.html")).unwrap();
    assert!(html.contains("Cumulative incidence F(t)"));
    assert!(html.contains("Ends of the ceasefires"));
}

/// `truce compare` of two files equals a sweep over the one key in which they differ: the same
/// records under common random numbers, so the same paired differences and hazard ratio.
#[test]
fn compare_gives_the_paired_differences_of_the_equivalent_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let base = workspace().join("configs/no_guarantees.toml");
    let text = fs::read_to_string(&base).unwrap();
    assert!(text.contains("\nlevel = \"none\""));
    fs::write(
        dir.path().join("on_call.toml"),
        text.replace("\nlevel = \"none\"", "\nlevel = \"on_call\""),
    )
    .unwrap();
    let printed = stdout(&ok(
        dir.path(),
        &[
            "compare",
            base.to_str().unwrap(),
            "on_call.toml",
            "-n",
            "150",
            "--seed",
            "11",
            "--out",
            "cmp",
            "--quiet",
        ],
    ));
    assert!(
        printed.contains("Every binary outcome against point 0"),
        "{printed}"
    );
    assert!(printed.contains("collapse_cause=spiral"), "{printed}");
    fs::write(
        dir.path().join("sweep.toml"),
        format!(
            "name = \"air\"\nseed = 11\n[sweep]\nbase = \"{}\"\ndesign = \"grid\"\nreplications = 150\n\
             [[sweep.parameters]]\nkey = \"guarantors.air_cover.level\"\nvalues = [\"none\", \"on_call\"]\n",
            base.display()
        ),
    )
    .unwrap();
    ok(
        dir.path(),
        &["sweep", "sweep.toml", "--out", "swp", "--quiet", "--yes"],
    );
    ok(dir.path(), &["analyze", "swp"]);
    let key = |r: &BTreeMap<String, String>| {
        (
            r["point"].clone(),
            r["outcome"].clone(),
            r["measure"].clone(),
        )
    };
    let compared = csv_rows(&dir.path().join("cmp/analysis/comparisons.csv"));
    let swept = csv_rows(&dir.path().join("swp/analysis/comparisons.csv"));
    assert_eq!(swept.len(), 3, "violation, collapse and the hazard ratio");
    for s in &swept {
        let c = compared
            .iter()
            .find(|c| key(c) == key(s))
            .unwrap_or_else(|| panic!("{:?} not compared", key(s)));
        for column in [
            "n",
            "point_value",
            "reference_value",
            "estimate",
            "lower",
            "upper",
        ] {
            assert_eq!(c[column], s[column], "{:?} {column}", key(s));
        }
    }
    // The folder reads like a sweep's: plot and report work on it.
    ok(dir.path(), &["report", "cmp"]);
    let html = fs::read_to_string(dir.path().join("cmp/report.html")).unwrap();
    assert!(html.contains("Every binary outcome"));
    assert!(html.contains("compare.toml"));
    // A sweep file is refused, with the command that runs it.
    support::refused(
        dir.path(),
        &["compare", "sweep.toml", "on_call.toml", "--out", "bad"],
        &["sweep.toml", "truce sweep"],
    );
    assert!(!dir.path().join("bad").exists());
}

/// The small things: a sweep's closing summary, shards beyond the chunks refused, replay keeps an
/// existing trace, the report wraps long lines, and `run` says which median it prints.
#[test]
fn sweep_shards_replay_and_report_behave_as_a_researcher_expects() {
    let dir = tempfile::tempdir().unwrap();
    let base = workspace().join("configs/no_guarantees.toml");
    fs::write(
        dir.path().join("sweep.toml"),
        format!(
            "name = \"air\"\nhorizon_days = 90\n[sweep]\nbase = \"{}\"\ndesign = \"grid\"\nreplications = 20\n\
             [[sweep.parameters]]\nkey = \"guarantors.air_cover.level\"\nvalues = [\"none\", \"on_call\"]\n",
            base.display()
        ),
    )
    .unwrap();
    let printed = stdout(&ok(
        dir.path(),
        &["sweep", "sweep.toml", "--out", "s", "--quiet", "--yes"],
    ));
    assert!(printed.contains("P(collapse)"), "{printed}");
    assert!(printed.contains("truce analyze s"), "{printed}");
    // Two points of 20 replications make one chunk: a second shard would do nothing.
    support::refused(
        dir.path(),
        &[
            "sweep",
            "sweep.toml",
            "--shard",
            "1/2",
            "--out",
            "sh",
            "--yes",
        ],
        &["only 1 chunks", "at most 1 shards", "chunk_replications"],
    );
    assert!(!dir.path().join("sh").exists());
    // replay does not overwrite a trace without --force.
    ok(dir.path(), &["replay", "s", "1", "3", "--out", "t.csv"]);
    fs::write(dir.path().join("t.csv"), "kept").unwrap();
    support::refused(
        dir.path(),
        &["replay", "s", "1", "3", "--out", "t.csv"],
        &["t.csv: already exists", "--force"],
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("t.csv")).unwrap(),
        "kept"
    );
    ok(
        dir.path(),
        &["replay", "s", "1", "3", "--out", "t.csv", "--force"],
    );
    assert_ne!(
        fs::read_to_string(dir.path().join("t.csv")).unwrap(),
        "kept"
    );
    // The report's preformatted boxes (the manifest) wrap long lines.
    ok(dir.path(), &["report", "s"]);
    let html = fs::read_to_string(dir.path().join("s/report.html")).unwrap();
    assert!(html.contains("white-space: pre-wrap"));
    // `run` and `analyze` name the same outcome alike and say which median they give.
    let run = stdout(&ok(
        dir.path(),
        &[
            "run",
            base.to_str().unwrap(),
            "-n",
            "30",
            "--out",
            "r",
            "--quiet",
        ],
    ));
    assert!(run.contains("P(serious violation)"), "{run}");
    assert!(run.contains("among the 30 runs that violated"), "{run}");
    assert!(run.contains("Kaplan–Meier median"), "{run}");
    let analysis = stdout(&ok(dir.path(), &["analyze", "r"]));
    assert!(
        analysis.contains("P(serious violation) [95% CI]"),
        "{analysis}"
    );
    assert!(analysis.contains("KM median day"), "{analysis}");
}

/// `--trace` takes several replications or a selection by outcome, and the run says how each
/// traced replication ended.
#[test]
fn run_traces_several_replications_or_the_first_that_collapsed() {
    let dir = tempfile::tempdir().unwrap();
    let config = workspace().join("configs/no_guarantees.toml");
    let config = config.to_str().unwrap();
    let run = |out: &str, trace: &str| {
        stdout(&ok(
            dir.path(),
            &[
                "run", config, "-n", "60", "--trace", trace, "--out", out, "--quiet",
            ],
        ))
    };
    let printed = run("list", "3,7,12");
    for rep in ["3", "7", "12"] {
        assert!(dir.path().join(format!("list/trace_{rep}.csv")).is_file());
        assert!(printed.contains(&format!("(trace_{rep}.csv)")), "{printed}");
    }
    let printed = run("first", "first-collapsed");
    let line = printed
        .lines()
        .find(|l| l.starts_with("traced"))
        .unwrap_or_else(|| panic!("{printed}"));
    assert!(line.contains("collapsed on day"), "{line}");
    let rep: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("first/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["trace_replications"], serde_json::json!([rep]));
    // The replications before it held, and it is the first collapsed one in the records.
    let printed = run("three", "collapsed:3");
    let traced: Vec<&str> = printed
        .lines()
        .skip_while(|l| !l.starts_with("traced"))
        .filter(|l| l.contains("collapsed on day"))
        .collect();
    assert_eq!(traced.len(), 3, "{printed}");
    assert!(traced[0].contains(&format!(" {rep} ")), "{printed}");
    let traces: Vec<String> = support::listing(&dir.path().join("three"))
        .into_iter()
        .filter(|n| n.starts_with("trace_"))
        .collect();
    assert_eq!(traces.len(), 3);
    ok(
        dir.path(),
        &["plot", "three", "--chart", "timeline", "--format", "svg"],
    );
    support::refused(
        dir.path(),
        &["run", config, "-n", "5", "--trace", "2,9", "--out", "bad"],
        &["--trace 9", "only 5 replications"],
    );
    support::refused(
        dir.path(),
        &["run", config, "--trace", "collapsed:x", "--out", "bad"],
        &["collapsed:K"],
    );
    assert!(!dir.path().join("bad").exists());
}

/// "Where does the aggressor grab?": with troops in only three of six sectors, the records say
/// per sector how many land grabs were committed and taken and how many R casualties fell
/// there, and `truce analyze` summarises them: every grab is in a sector without troops, every
/// casualty in one with them.
#[test]
fn per_sector_outcomes_say_where_the_aggressor_grabs() {
    let dir = tempfile::tempdir().unwrap();
    let config = workspace().join("configs/troops_in_half_the_line.toml");
    let run = [
        "run",
        config.to_str().unwrap(),
        "-n",
        "300",
        "--out",
        "half",
        "--quiet",
    ];
    ok(dir.path(), &run);
    ok(dir.path(), &["analyze", "half"]);
    let rows = csv_rows(&dir.path().join("half/analysis/summary.csv"));
    let mean = |outcome: &str| {
        let row = rows.iter().find(|r| r["outcome"] == outcome).unwrap();
        number(row, "estimate")
    };
    for s in 0..3 {
        assert_eq!(mean(&format!("grabs_committed_sector_{s}")), 0.0);
        assert!(mean(&format!("r_casualties_sector_{s}")) > 1.0);
    }
    for s in 3..6 {
        assert!(mean(&format!("grabs_committed_sector_{s}")) > 1.0);
        let taken = mean(&format!("grabs_succeeded_sector_{s}"));
        assert!(taken > 0.0 && taken < mean(&format!("grabs_committed_sector_{s}")));
        assert_eq!(mean(&format!("r_casualties_sector_{s}")), 0.0);
    }
    let committed: f64 = (0..6)
        .map(|s| mean(&format!("grabs_committed_sector_{s}")))
        .sum();
    let decided = mean("grabs_succeeded") + mean("grabs_failed") + mean("grabs_pending");
    // The summary rounds each mean to three decimals.
    assert!(
        (committed - decided).abs() < 0.01,
        "{committed} vs {decided}"
    );
}
