//! End-to-end tests of `truce analyze`, `truce plot` and `truce report` on small results folders
//! made by `truce run` and `truce sweep`.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use support::{csv_rows, listing, ok, refused, stdout, sweep, workspace};

/// A 2 × 2 grid over air cover and troops in the rear, on the no-guarantees scenario, short enough
/// to run in a second.
fn grid_sweep() -> String {
    format!(
        r#"name = "grid"
horizon_days = 180

[sweep]
base = "{}"
design = "grid"
replications = 60

[[sweep.parameters]]
key = "guarantors.air_cover.level"
values = ["none", "on_call"]

[[sweep.parameters]]
key = "guarantors.reassurance.troops_rear"
values = [0.0, 15.0]
"#,
        workspace().join("configs/no_guarantees.toml").display()
    )
}

/// A small design of `design` ("saltelli" or "morris") over two continuous parameters.
fn screening_sweep(design: &str) -> String {
    format!(
        r#"name = "screening"
horizon_days = 120

[sweep]
base = "{}"
design = "{design}"
samples = 8
replications = 20

[[sweep.parameters]]
key = "guarantors.reassurance.troops_rear"
min = 0
max = 30

[[sweep.parameters]]
key = "guarantors.air_cover.auth_median_hours"
min = 1
max = 72
"#,
        workspace().join("configs/no_guarantees.toml").display()
    )
}

/// Runs the no-guarantees scenario with a trace of replication 2 into `dir/run`.
fn traced_run(dir: &Path, extra: &[&str]) -> PathBuf {
    let config = workspace().join("configs/no_guarantees.toml");
    let mut args = vec![
        "run",
        config.to_str().unwrap(),
        "-n",
        "40",
        "--trace",
        "2",
        "--out",
        "run",
        "--quiet",
    ];
    args.extend(extra);
    ok(dir, &args);
    dir.join("run")
}

/// The texts of an SVG document, in document order; panics unless it is well-formed SVG.
fn svg_texts(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    let document = roxmltree::Document::parse(&text).expect("well-formed SVG");
    assert_eq!(document.root_element().tag_name().name(), "svg");
    document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_owned())
        .collect()
}

/// A PNG's width and height, from its header.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[test]
fn analyze_summarises_a_tiny_sweep_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = sweep(dir.path(), &grid_sweep());
    let printed = stdout(&ok(dir.path(), &["analyze", "out"]));
    assert!(printed.contains("P(collapse)"), "{printed}");
    let analysis = out.join("analysis");
    for name in [
        "summary.parquet",
        "summary.csv",
        "survival.parquet",
        "survival_summary.csv",
        "comparisons.csv",
        "report.txt",
    ] {
        assert!(
            analysis.join(name).is_file(),
            "{name}: {:?}",
            listing(&analysis)
        );
    }
    let summary = csv_rows(&analysis.join("summary.csv"));
    let collapsed: Vec<_> = summary
        .iter()
        .filter(|r| r["outcome"] == "collapsed")
        .collect();
    assert_eq!(collapsed.len(), 4, "one row per point");
    for row in collapsed {
        let hits: f64 = row["hits"].parse().unwrap();
        let n: f64 = row["n"].parse().unwrap();
        let estimate: f64 = row["estimate"].parse().unwrap();
        let (lower, upper): (f64, f64) =
            (row["lower"].parse().unwrap(), row["upper"].parse().unwrap());
        assert_eq!(n, 60.0);
        assert_eq!(estimate, hits / n);
        assert!(lower <= estimate && estimate <= upper, "{row:?}");
        assert!(row.contains_key("guarantors.air_cover.level"), "{row:?}");
    }
}

#[test]
fn plot_draws_every_chart_a_sweep_supports_at_the_requested_size() {
    let dir = tempfile::tempdir().unwrap();
    let out = sweep(dir.path(), &grid_sweep());
    let printed = stdout(&ok(
        dir.path(),
        &["plot", "out", "--width", "800", "--height", "600"],
    ));
    let charts = out.join("charts");
    let expected = [
        (
            "heatmap_collapsed",
            "P(collapse) by air-cover posture and troops in the rear",
        ),
        ("survival_violation", "Time to first serious violation"),
        ("survival_collapse", "Time to collapse"),
        ("points", "P(serious violation) and P(collapse) by point"),
        (
            "forest_collapsed",
            "Difference in P(collapse) from the reference",
        ),
        (
            "forest_violated",
            "Difference in P(serious violation) from the reference",
        ),
    ];
    for (name, title) in expected {
        let png = charts.join(format!("{name}.png"));
        assert_eq!(png_size(&png), (800, 600), "{name}");
        let texts = svg_texts(&charts.join(format!("{name}.svg")));
        assert!(
            texts.iter().any(|t| t == title),
            "{name}: {title:?} not in {texts:?}"
        );
    }
    let heatmap = svg_texts(&charts.join("heatmap_collapsed.svg"));
    for label in ["Air-cover posture", "Troops in the rear (thousands)"] {
        assert!(
            heatmap.iter().any(|t| t == label),
            "{label} not in {heatmap:?}"
        );
    }
    let survival = svg_texts(&charts.join("survival_collapse.svg"));
    assert!(
        survival.iter().any(|t| t == "days since ceasefire"),
        "{survival:?}"
    );
    // What the folder cannot support is named, with the command that makes it.
    assert!(printed.contains("no sensitivity chart"), "{printed}");
    assert!(printed.contains("no timeline chart"), "{printed}");
    assert!(printed.contains("truce replay"), "{printed}");
    // One stacked incidence chart per point of the 2 × 2 grid.
    for point in 0..4 {
        let texts = svg_texts(&charts.join(format!("incidence_point_{point}.svg")));
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("How ceasefires ended: ")),
            "{texts:?}"
        );
    }
    // And one chart of land grabs by sector per point.
    for point in 0..4 {
        let texts = svg_texts(&charts.join(format!("sectors_point_{point}.svg")));
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("Land grabs by sector: ")),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t == "sector 5"), "{texts:?}");
    }
    assert_eq!(
        listing(&charts).len(),
        2 * (expected.len() + 4 + 4),
        "nothing else written: {:?}",
        listing(&charts)
    );
    // `truce sweep --report` writes the same charts into its report.
    let printed = stdout(&ok(
        dir.path(),
        &[
            "sweep",
            "sweep.toml",
            "--out",
            "again",
            "--quiet",
            "--report",
        ],
    ));
    assert!(printed.contains("report: again/report.html"), "{printed}");
    let html = fs::read_to_string(dir.path().join("again/report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), expected.len() + 4 + 4);
    for (_, title) in expected {
        assert!(html.contains(&title.replace('\'', "&#39;")), "{title}");
    }
}

#[test]
fn heatmap_values_equal_the_summary_table() {
    let dir = tempfile::tempdir().unwrap();
    sweep(dir.path(), &grid_sweep());
    ok(dir.path(), &["analyze", "out"]);
    for outcome in ["collapsed", "violated"] {
        ok(
            dir.path(),
            &[
                "plot",
                "out",
                "--chart",
                "heatmap",
                "--format",
                "svg",
                "--outcome",
                outcome,
            ],
        );
        // Cells are drawn row by row, y (troops) ascending, x (air cover) in design order.
        let summary = csv_rows(&dir.path().join("out/analysis/summary.csv"));
        let rows: Vec<_> = summary.iter().filter(|r| r["outcome"] == outcome).collect();
        let mut xs: Vec<String> = Vec::new();
        for r in &rows {
            let x = r["guarantors.air_cover.level"].clone();
            if !xs.contains(&x) {
                xs.push(x);
            }
        }
        let mut expected = Vec::new();
        for y in [0.0, 15.0] {
            for x in &xs {
                let row = rows
                    .iter()
                    .find(|r| {
                        &r["guarantors.air_cover.level"] == x
                            && r["guarantors.reassurance.troops_rear"]
                                .parse::<f64>()
                                .unwrap()
                                == y
                    })
                    .unwrap();
                let value: f64 = row["estimate"].parse().unwrap();
                expected.push(format!("{value:.2}"));
            }
        }
        let texts = svg_texts(&dir.path().join(format!("out/charts/heatmap_{outcome}.svg")));
        assert!(
            texts
                .windows(expected.len())
                .any(|w| w == expected.as_slice()),
            "{outcome}: cells {expected:?} not in {texts:?}"
        );
    }
}

#[test]
fn sensitivity_charts_follow_the_design() {
    for (design, name, title) in [
        (
            "saltelli",
            "sensitivity_sobol",
            "Sobol' indices of P(collapse)",
        ),
        (
            "morris",
            "sensitivity_morris",
            "Morris screening of P(collapse)",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = sweep(dir.path(), &screening_sweep(design));
        ok(
            dir.path(),
            &["plot", "out", "--chart", "sensitivity", "--format", "svg"],
        );
        let texts = svg_texts(&out.join(format!("charts/{name}.svg")));
        assert!(texts.iter().any(|t| t == title), "{design}: {texts:?}");
        assert!(
            texts.iter().any(|t| t == "Troops in the rear (thousands)"),
            "{design}: {texts:?}"
        );
        // Saltelli points scatter over the square: no heatmap, and the reason is given. Morris
        // points sit on a grid of levels, so their heatmap averages the points of each cell.
        if design == "saltelli" {
            refused(
                dir.path(),
                &["plot", "out", "--chart", "heatmap"],
                &["cells of", "a heatmap needs a grid design"],
            );
        } else {
            ok(dir.path(), &["plot", "out", "--chart", "heatmap"]);
        }
    }
}

#[test]
fn a_traced_run_gives_its_timeline_background_and_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let run = traced_run(dir.path(), &["--report"]);
    ok(dir.path(), &["plot", "run", "--format", "png"]);
    let charts = listing(&run.join("charts"));
    for name in [
        "background_2.png",
        "incidence.png",
        "points.png",
        "sectors.png",
        "survival_collapse.png",
        "survival_violation.png",
        "timeline_2.png",
    ] {
        assert!(charts.contains(&name.to_owned()), "{name}: {charts:?}");
    }
    let html = fs::read_to_string(run.join("report.html")).unwrap();
    // Every chart inline, every table, the config and the manifest, and no URL of any kind.
    assert_eq!(html.matches("<svg").count(), 7, "seven charts");
    for text in [
        "Events of no_guarantees, replication 2",
        "Background violations of no_guarantees, replication 2",
        "Estimates by point",
        "Survival: events",
        "manifest.json",
        "config_sha256",
        "[guarantors.air_cover]",
    ] {
        assert!(html.contains(text), "{text} not in the report");
    }
    for forbidden in ["http:", "https:", "file:", "src=", "url(", "@import"] {
        assert!(!html.contains(forbidden), "{forbidden} in the report");
    }
    // Links only within the page.
    assert_eq!(
        html.matches("href=").count(),
        html.matches("href=\"#").count()
    );
}

#[test]
fn the_report_renders_in_a_headless_browser() {
    let Some(browser) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| which(b))
    else {
        // .ci/run installs Debian's chromium; it says so where it cannot.
        eprintln!("skipped: no chromium on this machine (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    sweep(dir.path(), &grid_sweep());
    ok(dir.path(), &["report", "out"]);
    let page = dir.path().join("out/report.html");
    let shot = dir.path().join("shot.png");
    let status = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1200,2400",
            &format!("--user-data-dir={}", dir.path().join("profile").display()),
            &format!("--screenshot={}", shot.display()),
        ])
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("chromium starts");
    assert!(status.success(), "chromium failed: {status}");
    let image = image::open(&shot).expect("a PNG screenshot").to_rgb8();
    assert_eq!(image.dimensions(), (1200, 2400));
    // Not blank: many pixels differ from the background, in more than two colours.
    let background = *image.get_pixel(0, 0);
    let inked = image.pixels().filter(|p| **p != background).count();
    let total = image.pixels().count();
    assert!(
        inked * 20 > total,
        "only {inked} of {total} pixels differ from the background"
    );
    let mut colours: Vec<[u8; 3]> = image.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 50, "{} colours", colours.len());
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file()))
}

#[test]
fn bad_input_to_plot_and_report_is_refused_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let run = traced_run(dir.path(), &[]);
    fs::remove_file(run.join("trace_2.csv")).unwrap();
    refused(
        dir.path(),
        &["plot", "run", "--chart", "heatmap"],
        &["cannot draw the heatmap chart", "truce sweep"],
    );
    refused(
        dir.path(),
        &["plot", "run", "--chart", "timeline"],
        &["no trace_*.csv", "truce run CONFIG --trace REP"],
    );
    refused(
        dir.path(),
        &["plot", "run", "--chart", "forest"],
        &["reference point"],
    );
    refused(
        dir.path(),
        &["plot", "run", "--outcome", "nonsense"],
        &["no outcome `nonsense`", "collapsed"],
    );
    refused(
        dir.path(),
        &["plot", "missing"],
        &["missing: no such folder"],
    );
    assert!(!run.join("charts").exists(), "nothing written");

    sweep(dir.path(), &grid_sweep());
    refused(
        dir.path(),
        &["plot", "out", "--x", "aggressor.rationality"],
        &[
            "not a parameter of this sweep",
            "guarantors.air_cover.level",
        ],
    );
    refused(
        dir.path(),
        &["plot", "out", "--points", "0,9"],
        &["point 9 is not in"],
    );
    // An output path that cannot be written: a file where the folder should be.
    fs::write(dir.path().join("taken"), "x").unwrap();
    refused(
        dir.path(),
        &["plot", "out", "--out", "taken/charts"],
        &["taken/charts", "--out"],
    );
    refused(
        dir.path(),
        &["report", "out", "--out", "taken/report.html"],
        &["taken", "--out"],
    );
    assert!(!dir.path().join("out/charts").exists());
    assert!(!dir.path().join("out/report.html").exists());
}

#[test]
fn analyze_refuses_bad_input_naming_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let data = workspace().join("data/fortna_civil_ceasefires.csv");
    let data = data.to_str().unwrap();
    refused(
        dir.path(),
        &["analyze", "missing"],
        &["missing: no such folder"],
    );
    // An unfinished folder: the manifest is there, the records are not.
    let run = traced_run(dir.path(), &[]);
    fs::remove_file(run.join("runs.parquet")).unwrap();
    refused(dir.path(), &["analyze", "run"], &["runs.parquet"]);
    refused(
        dir.path(),
        &[
            "analyze",
            "survival",
            "--input",
            data,
            "--time",
            "duration",
            "--event",
            "war_resumed",
        ],
        &["duration", "years", "peacekeepers"],
    );
    // Outputs that do not match the design by point id, and outputs without variance.
    ok(
        dir.path(),
        &[
            "design",
            workspace()
                .join("configs/designs/ishigami.toml")
                .to_str()
                .unwrap(),
            "--out",
            "design.csv",
        ],
    );
    let points = csv_rows(&dir.path().join("design.csv")).len();
    let outputs = |shift: usize, value: &dyn Fn(usize) -> f64| {
        let mut text = String::from("point,y\n");
        for i in 0..points {
            text.push_str(&format!("{},{}\n", i + shift, value(i)));
        }
        text
    };
    let sobol = |outputs: &str, column: &str, texts: &[&str]| {
        let args = [
            "analyze",
            "sobol",
            "--design",
            "design.csv",
            "--outputs",
            outputs,
            "--column",
            column,
        ];
        refused(dir.path(), &args, texts);
    };
    fs::write(dir.path().join("shifted.csv"), outputs(1, &|i| i as f64)).unwrap();
    sobol("shifted.csv", "y", &["shifted.csv"]);
    fs::write(dir.path().join("flat.csv"), outputs(0, &|_| 1.0)).unwrap();
    sobol("flat.csv", "y", &["no variance"]);
    sobol("flat.csv", "z", &["z", "point, y"]);
}

/// Every text of every SVG chart in `charts`.
fn all_svg_texts(charts: &Path) -> Vec<(String, String)> {
    listing(charts)
        .into_iter()
        .filter(|n| n.ends_with(".svg"))
        .flat_map(|n| {
            svg_texts(&charts.join(&n))
                .into_iter()
                .map(move |t| (n.clone(), t))
        })
        .collect()
}

/// The tick labels of a heatmap's colour bar: the numbers after the last cell's value, up to the
/// bar's title.
fn colour_bar_ticks(texts: &[String], title: &str) -> Vec<f64> {
    let end = texts.iter().rposition(|t| t == title).unwrap();
    texts[..end]
        .iter()
        .rev()
        .map_while(|t| {
            t.parse::<f64>()
                .ok()
                .filter(|_| t.contains('.') && t.len() == 3)
        })
        .collect()
}

#[test]
fn the_heatmap_scale_spans_the_data_unless_given() {
    let dir = tempfile::tempdir().unwrap();
    let out = sweep(dir.path(), &grid_sweep());
    ok(
        dir.path(),
        &["plot", "out", "--chart", "heatmap", "--format", "svg"],
    );
    let texts = svg_texts(&out.join("charts/heatmap_collapsed.svg"));
    // Cells read with two decimals, the colour bar's ticks with one.
    let cells: Vec<f64> = texts
        .iter()
        .filter(|t| t.len() == 4 && t.contains('.'))
        .filter_map(|t| t.parse::<f64>().ok())
        .collect();
    let ticks = colour_bar_ticks(&texts, "P(collapse)");
    let top = ticks.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let highest = cells.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert!(highest < 0.9, "the grid's P(collapse) stays low: {texts:?}");
    assert!(
        top <= highest + 0.1 && top < 1.0,
        "the colour bar ends near the highest value {highest}, not at 1: {ticks:?}"
    );
    // --scale sets the ends: 0 to 1 puts 1.0 on the bar.
    ok(
        dir.path(),
        &[
            "plot", "out", "--chart", "heatmap", "--format", "svg", "--scale", "0,1",
        ],
    );
    let texts = svg_texts(&out.join("charts/heatmap_collapsed.svg"));
    assert!(
        colour_bar_ticks(&texts, "P(collapse)").contains(&1.0),
        "{texts:?}"
    );
    for (bad, text) in [
        ("1,0", "is not below"),
        ("0", "is not MIN,MAX"),
        ("a,1", "is not a number"),
    ] {
        refused(
            dir.path(),
            &["plot", "out", "--chart", "heatmap", "--scale", bad],
            &["--scale", text],
        );
    }
}

#[test]
fn charts_name_parameters_by_their_labels_and_outcomes_as_the_run_does() {
    let dir = tempfile::tempdir().unwrap();
    let out = sweep(dir.path(), &grid_sweep());
    ok(dir.path(), &["plot", "out", "--format", "svg"]);
    let texts = all_svg_texts(&out.join("charts"));
    for (chart, text) in &texts {
        assert!(
            !text.contains("guarantors.") && !text.contains("P(violation)"),
            "{chart}: {text:?}"
        );
    }
    assert!(
        texts
            .iter()
            .any(|(_, t)| t.contains("P(serious violation)")),
        "{texts:?}"
    );
    // A day outcome is a mean over the runs in which it happened, and says so.
    ok(
        dir.path(),
        &[
            "plot",
            "out",
            "--chart",
            "heatmap",
            "--outcome",
            "collapse_day",
            "--format",
            "svg",
        ],
    );
    let texts = svg_texts(&out.join("charts/heatmap_collapse_day.svg"));
    assert!(
        texts
            .iter()
            .any(|t| t == "mean collapse_day (runs that collapsed)"),
        "{texts:?}"
    );
    ok(dir.path(), &["report", "out", "--outcome", "collapse_day"]);
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("as a mean over the runs that collapsed (it has no value in the others)"),
        "no caption on which runs"
    );
    assert!(html.contains("The colour scale spans the values shown"));
}

#[test]
fn the_timeline_lists_classes_and_marks_shocks_and_the_cause_of_collapse() {
    let dir = tempfile::tempdir().unwrap();
    // Replication 1 of the baseline has credibility shocks; replication 1 of no_guarantees
    // collapses by a spiral.
    for (config, rep, marks) in [
        ("configs/baseline.toml", "1", "credibility shock"),
        ("configs/no_guarantees.toml", "1", "collapse: spiral (day"),
    ] {
        let config = workspace().join(config);
        let out = dir
            .path()
            .join(format!("run_{marks}").replace([' ', ':', '('], "_"));
        ok(
            dir.path(),
            &[
                "run",
                config.to_str().unwrap(),
                "-n",
                "14",
                "--trace",
                rep,
                "--out",
                out.to_str().unwrap(),
                "--quiet",
            ],
        );
        ok(
            dir.path(),
            &[
                "plot",
                out.to_str().unwrap(),
                "--chart",
                "timeline",
                "--format",
                "svg",
            ],
        );
        let texts = svg_texts(&out.join(format!("charts/timeline_{rep}.svg")));
        assert!(
            texts.iter().any(|t| t.starts_with(marks)),
            "{marks:?} not in {texts:?}"
        );
        // One legend entry per class, not per event and class.
        assert!(
            !texts.iter().any(|t| t.contains(" (harassment)")),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t == "harassment"), "{texts:?}");
        let trace = fs::read_to_string(out.join(format!("trace_{rep}.csv"))).unwrap();
        let classes: std::collections::BTreeSet<&str> = trace
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(5).unwrap_or(""))
            .filter(|c| !c.is_empty())
            .collect();
        for class in &classes {
            let shown = class.replace('_', " ");
            assert_eq!(
                texts.iter().filter(|t| **t == shown).count(),
                1,
                "{shown} once in the legend: {texts:?}"
            );
        }
    }
}

#[test]
fn the_background_chart_reads_the_trace_columns_not_its_prose() {
    let dir = tempfile::tempdir().unwrap();
    let run = traced_run(dir.path(), &[]);
    let path = run.join("trace_2.csv");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert_eq!(
        header,
        "time_minutes,day,event,actor,sector,class,outcome,count,covers_day,mean,recommitment"
    );
    // Each tally's count and day, as numbers.
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let mut counts = Vec::new();
    for r in reader.records() {
        let r = r.unwrap();
        if &r[2] == "background_tally" {
            let count: u64 = r[7].parse().unwrap();
            let day: usize = r[8].parse().unwrap();
            assert!(r[6].starts_with(&format!("{count} (day {day},")), "{r:?}");
            let _: f64 = r[9].parse().unwrap();
            counts.push(count);
        }
        if &r[2] == "negotiation_round" {
            assert_eq!(&r[10] == "true", r[6].contains("recommitment"), "{r:?}");
        }
    }
    assert!(!counts.is_empty());
    ok(
        dir.path(),
        &["plot", "run", "--chart", "background", "--format", "svg"],
    );
    let before = fs::read_to_string(run.join("charts/background_2.svg")).unwrap();
    // The same chart when the words say nothing: it is drawn from the columns.
    let mut rewritten = String::new();
    let mut reader = csv::Reader::from_path(&path).unwrap();
    rewritten.push_str(header);
    rewritten.push('\n');
    for r in reader.records() {
        let r = r.unwrap();
        let mut fields: Vec<String> = r.iter().map(str::to_owned).collect();
        fields[6] = "-".into();
        rewritten.push_str(&fields.join(","));
        rewritten.push('\n');
    }
    fs::write(&path, rewritten).unwrap();
    fs::remove_dir_all(run.join("charts")).unwrap();
    ok(
        dir.path(),
        &["plot", "run", "--chart", "background", "--format", "svg"],
    );
    let after = fs::read_to_string(run.join("charts/background_2.svg")).unwrap();
    assert_eq!(before, after);
}
