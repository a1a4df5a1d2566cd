//! `truce report`: one self-contained HTML page of a results folder: its charts inline as SVG,
//! its summary tables, its scenario or sweep config and its manifest, with no external asset.
//! Also used by `truce run --report` and `truce sweep --report`.

use crate::charts::{self, Plan};
use crate::commands::plot::{ChartArgs, skipped_text, write_all};
use crate::error::print_stdout;
use anyhow::{Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use truce_analysis::FolderAnalysis;
use truce_analysis::report::TextTable;
use truce_plot::report::{Report, Section, Table, render};

/// The report's file name in the results folder.
pub const REPORT_FILE: &str = "report.html";

/// Most rows of a table in the report; the analysis files hold them all.
const MAX_TABLE_ROWS: usize = 200;

/// Arguments of `truce report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Results folder written by `truce run` or `truce sweep`.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// The HTML file [default: DIR/report.html].
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub chart: ChartArgs,
}

/// Runs `truce report`.
pub fn report(args: &ReportArgs) -> Result<()> {
    let path = write(&args.dir, args.out.as_deref(), &args.chart)?;
    print_stdout(&format!("wrote {}\n", path.display()))
}

/// Writes the report of the results folder `dir` to `out` (default `dir/report.html`) and returns
/// its path.
pub fn write(dir: &Path, out: Option<&Path>, chart: &ChartArgs) -> Result<PathBuf> {
    let analysis = chart.analyse(dir)?;
    let plan = charts::plan(&analysis, &chart.selection(), &[])?;
    let html = html(&analysis, &plan, chart)?;
    let path = out.map_or_else(|| dir.join(REPORT_FILE), Path::to_path_buf);
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    write_all(&folder, &[(path.clone(), html.into_bytes())])?;
    Ok(path)
}

/// The report as HTML.
fn html(analysis: &FolderAnalysis, plan: &Plan, chart: &ChartArgs) -> Result<String> {
    let folder = &analysis.folder;
    let manifest = &folder.manifest;
    let text = |key: &str| manifest.get(key).and_then(|v| v.as_str()).unwrap_or("");
    let scenario = charts::name_of(analysis);
    let records: u64 = analysis.summary.points.iter().map(|p| p.records).sum();
    let points = analysis.summary.points.len();
    let mut subtitle = format!(
        "{}: {records} replications{}; truce {}",
        folder.dir.display(),
        if points == 1 {
            String::new()
        } else {
            format!(" over {points} points")
        },
        text("truce_version"),
    );
    if !text("started_utc").is_empty() {
        subtitle.push_str(&format!(", started {}", text("started_utc")));
    }
    let what = if folder.design.is_some() {
        "sweep"
    } else {
        "scenario"
    };
    let mut report = Report::new(format!("truce {what}: {scenario}")).subtitle(subtitle);

    let mut figures = Section::new("Charts");
    // The charts `truce solve` and `truce calibrate` drew into the folder come first.
    for (file, caption) in SEARCH_CHARTS {
        let path = folder.dir.join("charts").join(file);
        if path.is_file() {
            let svg = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            figures = figures.chart(caption, svg);
        }
    }
    let options = chart.chart_options();
    for c in &plan.charts {
        let svg = c
            .svg(&options)
            .with_context(|| format!("cannot draw the {} chart", c.name))?;
        figures = figures.chart(c.caption.clone(), svg);
    }
    if !plan.skipped.is_empty() {
        figures = figures.paragraph(format!("Not drawn: {}.", skipped_text(&plan.skipped)));
    }
    report = report.section(figures);

    let mut outcomes = Section::new("Outcomes").paragraph(
        "P(violation) is the share of replications with a serious violation; P(collapse) the share \
         in which the ceasefire collapsed. Intervals are 95% Wilson intervals.",
    );
    outcomes = outcomes.table(table(
        &analysis.points_text_table(MAX_TABLE_ROWS),
        "Estimates by point",
        Some((points, "summary.csv of `truce analyze`")),
    ));
    if let Some(reference) = analysis.reference {
        outcomes = outcomes.table(table(
            &analysis.comparisons_text_table(MAX_TABLE_ROWS),
            &format!(
                "Differences from point {reference} ({}), and collapse hazard ratios",
                if folder.crn {
                    "paired by replication under common random numbers"
                } else {
                    "unpaired"
                }
            ),
            Some((
                points.saturating_sub(1),
                "comparisons.csv of `truce analyze`",
            )),
        ));
    }
    if folder.is_comparison() {
        outcomes = outcomes.table(table(
            &analysis.outcome_differences_text_table(usize::MAX),
            "Every binary outcome: its difference from the first file, paired by replication",
            None,
        ));
    }
    outcomes = outcomes.table(table(
        &analysis.survival_text_table(2 * MAX_TABLE_ROWS),
        "Survival: events, Kaplan–Meier median day of the event and S(t), the probability it has not happened by day t (Kaplan–Meier)",
        Some((analysis.curves.len(), "survival_summary.csv of `truce analyze`")),
    ));
    outcomes = outcomes.table(table(
        &analysis.causes_text_table(MAX_TABLE_ROWS),
        "Ends of the ceasefires: collapses by cause (share of collapses) and settlements (share of runs)",
        Some((points, "causes.csv of `truce analyze`")),
    ));
    if analysis.shows_nations() {
        let nations = analysis.nations().len();
        outcomes = outcomes.table(table(
            &analysis.nations_text_table(MAX_TABLE_ROWS),
            "Contingents: per nation, the share of runs in which its troops' serious casualties put \
             the question to its government and in which it fought, and its mean casualties",
            Some((nations * points, "summary.csv of `truce analyze`")),
        ));
    }
    let kinds = analysis.causes.kinds.len();
    outcomes = outcomes.table(table(
        &analysis.incidence_text_table(kinds * MAX_TABLE_ROWS),
        "Cumulative incidence F(t), the probability of having ended so by day t (Aalen–Johansen: \
         the causes of collapse and settlement compete; Kaplan–Meier of collapse censors settled \
         runs, and overstates collapse where many settle)",
        Some((
            kinds * points,
            "causes.csv of `truce analyze`, with 95% bands",
        )),
    ));
    if let Some(s) = &analysis.sensitivity {
        outcomes = outcomes.table(table(
            &truce_analysis::analysis::sensitivity_table(s),
            &format!("Sensitivity of {} (its mean at each point)", s.outcome),
            None,
        ));
        let warnings = truce_analysis::analysis::sensitivity_warnings(s);
        if !warnings.is_empty() {
            outcomes = outcomes.preformatted(
                Some("Warnings on the sensitivity (estimates marked !)".into()),
                warnings
                    .iter()
                    .map(|w| format!("{w}\n"))
                    .collect::<String>(),
            );
        }
    }
    if let Some(p) = &analysis.prim {
        outcomes = outcomes.preformatted(Some("Scenario discovery (PRIM)".into()), p.description());
    }
    report = report.section(outcomes);

    for name in ["solve.json", "calibration.json"] {
        let path = folder.dir.join(name);
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            report = report.section(Section::new("Result").preformatted(Some(name.into()), text));
        }
    }
    if !analysis.notes.is_empty() {
        report =
            report.section(Section::new("Notes").preformatted(None, analysis.notes.join("\n")));
    }
    report = report.section(
        Section::new("Configuration")
            .preformatted(Some(config_caption(folder)), config_text(folder)?),
    );
    report = report.section(Section::new("Manifest").preformatted(
        Some("manifest.json".into()),
        serde_json::to_string_pretty(manifest).context("cannot format the manifest")?,
    ));
    Ok(render(&report))
}

/// A text table as a report table; `all` is how many rows there are and which file holds them
/// all, for a note when the table shows fewer.
fn table(t: &TextTable, caption: &str, all: Option<(usize, &str)>) -> Table {
    let mut caption = caption.to_owned();
    if let Some((total, file)) = all
        && total > t.len()
    {
        caption.push_str(&format!(
            " (the first {} of {total}; all are in {file})",
            t.len()
        ));
    }
    Table {
        caption: Some(caption),
        headers: t.header().to_vec(),
        rows: t.rows().to_vec(),
    }
}

/// Charts that `truce solve` and `truce calibrate` write into `charts/`, with their captions.
const SEARCH_CHARTS: [(&str, &str); 3] = [
    (
        "curve.svg",
        "The estimated probability at every value tried, with 95% Wilson intervals, the target \
         (dashed) and each root with its 95% interval (band).",
    ),
    (
        "frontier.svg",
        "The root at each combination of the other parameters, with its 95% interval.",
    ),
    (
        "fit.svg",
        "The fitted survival (Kaplan–Meier of the replications at the best values) over the \
         data's, each with its 95% band.",
    ),
];

/// What the resolved file of a folder holds, by its name.
fn resolved_caption(name: &str) -> String {
    let what = match name {
        "solve.toml" => "solve, every scenario key and the [solve] table",
        "calibrate.toml" => "calibration, every scenario key and the [calibrate] table",
        "compare.toml" => {
            "comparison: the files compared (each point is one), the seed and the replications"
        }
        _ => "sweep, every scenario key and the [sweep] table",
    };
    format!("{name}: the resolved {what}")
}

fn config_caption(folder: &truce_analysis::folder::ResultsFolder) -> String {
    folder.config_file.map_or_else(
        || "The resolved scenario, every key (from manifest.json)".into(),
        resolved_caption,
    )
}

/// The folder's resolved sweep, solve or calibrate file, or the run's resolved config as TOML.
fn config_text(folder: &truce_analysis::folder::ResultsFolder) -> Result<String> {
    if let Some(name) = folder.config_file {
        let path = folder.dir.join(name);
        return std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()));
    }
    match folder.manifest.get("config") {
        Some(config) => toml::to_string_pretty(&without_nulls(config.clone()))
            .context("cannot format the config as TOML"),
        None => Ok("(the manifest holds no config)".into()),
    }
}

/// The value with its nulls (keys left unset) removed, since TOML has no null.
fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .filter(|v| !v.is_null())
                .map(without_nulls)
                .collect(),
        ),
        other => other,
    }
}
