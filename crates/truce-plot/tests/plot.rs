//! Every chart drawn from small sample data: PNGs of the requested size that show something,
//! SVGs that parse and carry their text, deterministic output, errors, and the HTML report.
//!
//! Set `TRUCE_PLOT_GALLERY` to a folder to keep a PNG and an SVG of every sample chart there.

use std::path::{Path, PathBuf};

use truce_plot::background::{BackgroundData, BackgroundStyle};
use truce_plot::dot_whisker::{DotWhiskerData, DotWhiskerPoint, SortBy};
use truce_plot::forest::{ForestData, ForestRow};
use truce_plot::heatmap::{self, HeatmapData};
use truce_plot::report::{self, Report, Section, Table};
use truce_plot::sensitivity::{MorrisData, MorrisPoint, SensitivityData, SobolData, SobolIndices};
use truce_plot::survival::{SurvivalData, SurvivalSeries};
use truce_plot::timeline::{self, TimelineData, TimelineEvent};
use truce_plot::{ChartOptions, Error, Estimate, Format, Render};

// ---------------------------------------------------------------------------------------------
// Sample data

fn heatmap_data() -> HeatmapData {
    let x: Vec<String> = ["0", "4", "8", "12", "16"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let y: Vec<String> = ["0", "1", "2", "5"].iter().map(|s| s.to_string()).collect();
    let values = (0..y.len())
        .map(|j| {
            (0..x.len())
                .map(|i| {
                    if (i, j) == (4, 3) {
                        None
                    } else {
                        Some(0.9 - 0.13 * i as f64 - 0.09 * j as f64 + 0.004 * (i * j) as f64)
                    }
                })
                .collect()
        })
        .collect();
    HeatmapData {
        title: "P(collapse) within 365 days".into(),
        x_label: "air cover (sorties per day)".into(),
        y_label: "troops deployed (battalions)".into(),
        value_label: "P(collapse)".into(),
        x_categories: x,
        y_categories: y,
        values,
        range: Some((0.0, 1.0)),
    }
}

/// A denser grid with longer labels, as a real sweep gives.
fn dense_heatmap_data() -> HeatmapData {
    let x: Vec<String> = (0..12).map(|i| format!("{}", i * 250)).collect();
    let y: Vec<String> = (0..10).map(|j| format!("{:.2}", j as f64 * 0.05)).collect();
    let values = (0..y.len())
        .map(|j| {
            (0..x.len())
                .map(|i| Some(((i * 7 + j * 3) % 11) as f64 / 10.0))
                .collect()
        })
        .collect();
    HeatmapData {
        title: "P(violation) over monitor coverage and deployment size, 2000 replications per cell"
            .into(),
        x_label: "deployment size (personnel)".into(),
        y_label: "monitor coverage (share of the line)".into(),
        value_label: "P(violation)".into(),
        x_categories: x,
        y_categories: y,
        values,
        range: None,
    }
}

/// Many rows with long labels.
fn dense_dot_whisker_data() -> DotWhiskerData {
    let points = (0..30)
        .map(|k| {
            let v = 0.1 + 0.025 * f64::from(k);
            let c = 0.02 + 0.011 * f64::from((k * 7) % 30);
            DotWhiskerPoint {
                label: format!("air_cover.sorties={} troops.battalions={}", k % 6, k / 6),
                violation: Estimate::new(v, v - 0.03, v + 0.03),
                collapse: Estimate::new(c, (c - 0.02).max(0.0), c + 0.02),
            }
        })
        .collect();
    DotWhiskerData::new(
        "Violation and collapse, full sweep",
        points,
        SortBy::Violation,
    )
}

fn survival_data() -> SurvivalData {
    let curve = |name: &str, hazard: f64| {
        let days: Vec<f64> = (1..=12).map(|k| f64::from(k) * 30.0).collect();
        let survival: Vec<f64> = days.iter().map(|d| (-hazard * d).exp()).collect();
        let lower = survival.iter().map(|s| (s - 0.06).max(0.0)).collect();
        let upper = survival.iter().map(|s| (s + 0.06).min(1.0)).collect();
        SurvivalSeries {
            name: name.into(),
            days,
            survival,
            lower,
            upper,
        }
    };
    let mut data = SurvivalData::new(
        "Ceasefire survival by guarantee",
        vec![
            curve("no guarantor", 0.004),
            curve("air cover", 0.0025),
            curve("air cover + troops", 0.001),
        ],
    );
    data.horizon = Some(365.0);
    data
}

fn dot_whisker_data() -> DotWhiskerData {
    let points = (0..6)
        .map(|k| {
            let v = 0.2 + 0.1 * f64::from(k);
            let c = 0.05 + 0.07 * f64::from((k * 5) % 6);
            DotWhiskerPoint {
                label: format!("air={} troops={}", k % 3, k / 3),
                violation: Estimate::new(v, v - 0.04, v + 0.04),
                collapse: Estimate::new(c, (c - 0.03).max(0.0), c + 0.03),
            }
        })
        .collect();
    DotWhiskerData::new(
        "Violation and collapse by scenario point",
        points,
        SortBy::Collapse,
    )
}

fn forest_data() -> ForestData {
    let rows = (0..5)
        .map(|k| {
            let d = -0.12 + 0.06 * f64::from(k);
            ForestRow {
                label: format!("point {k}"),
                estimate: Estimate::new(d, d - 0.05, d + 0.05),
            }
        })
        .collect();
    ForestData {
        title: "Change in P(collapse) from the baseline".into(),
        x_label: "difference in P(collapse)".into(),
        y_label: "scenario point".into(),
        reference: Some("baseline (no guarantor)".into()),
        rows,
    }
}

fn sobol_data() -> SensitivityData {
    let names = [
        "air_cover.sorties",
        "troops.battalions",
        "monitors.coverage",
        "resolve.mean",
    ];
    let parameters = names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let s1 = 0.45 / (k as f64 + 1.0);
            let st = s1 + 0.08;
            SobolIndices {
                parameter: name.to_string(),
                first_order: Estimate::new(s1, s1 - 0.05, s1 + 0.05),
                total: Estimate::new(st, st - 0.04, st + 0.06),
            }
        })
        .collect();
    SensitivityData::Sobol(SobolData::new("Sobol indices of P(collapse)", parameters))
}

fn morris_data() -> SensitivityData {
    let names = [
        "air_cover.sorties",
        "troops.battalions",
        "monitors.coverage",
        "resolve.mean",
        "resolve.sd",
    ];
    let parameters = names
        .iter()
        .enumerate()
        .map(|(k, name)| MorrisPoint {
            parameter: name.to_string(),
            mu_star: 0.3 / (k as f64 + 1.0),
            sigma: 0.05 + 0.1 / (k as f64 + 1.5),
        })
        .collect();
    SensitivityData::Morris(MorrisData::new(
        "Morris screening of P(collapse)",
        parameters,
    ))
}

fn timeline_data() -> TimelineData {
    let event = |day: f64, actor: &str, class: &str| TimelineEvent {
        day,
        actor: actor.into(),
        class: class.into(),
    };
    let mut data = TimelineData::new(
        "Replication 17: events until the collapse",
        vec![
            event(2.0, "aggressor", "harassment"),
            event(2.5, "monitors", "detection"),
            event(3.0, "defender", "response"),
            event(20.0, "aggressor", "land grab"),
            event(20.4, "monitors", "detection"),
            event(21.0, "reassurance", "response"),
            event(22.0, "air_cover", "response"),
            event(40.0, "negotiators", "negotiation round"),
            event(55.0, "world", "credibility shock"),
            event(70.0, "aggressor", "offensive"),
            event(71.0, "coalition", "response"),
        ],
    );
    data.collapse = Some(74.5);
    data
}

fn background_data(style: BackgroundStyle) -> BackgroundData {
    let counts = (0..90u64)
        .map(|d| (d * 7 + 3) % 5 + if d > 60 { 4 } else { 0 })
        .collect();
    let mut data = BackgroundData::new("Background violations per day, replication 17", counts);
    data.recommitments = vec![15.0, 48.0];
    data.collapse = Some(85.2);
    data.style = style;
    data
}

type SvgFn = Box<dyn Fn(&ChartOptions) -> truce_plot::Result<String>>;
type PngFn = Box<dyn Fn(&ChartOptions) -> truce_plot::Result<Vec<u8>>>;
type RenderFn = Box<dyn Fn(&ChartOptions, &Path) -> truce_plot::Result<()>>;

/// Every sample chart: its name, title, axis labels, SVG and PNG renderers.
struct Sample {
    name: &'static str,
    title: String,
    axis_labels: Vec<String>,
    svg: SvgFn,
    png: PngFn,
    render: RenderFn,
}

macro_rules! sample {
    ($name:expr, $data:expr, $title:expr, [$($label:expr),*]) => {{
        let data = $data;
        let (d1, d2, d3) = (data.clone(), data.clone(), data.clone());
        Sample {
            name: $name,
            title: $title(&data),
            axis_labels: vec![$($label(&data)),*],
            svg: Box::new(move |o| d1.svg(o)),
            png: Box::new(move |o| d2.png(o)),
            render: Box::new(move |o, p| d3.render(o, p)),
        }
    }};
}

fn samples() -> Vec<Sample> {
    let sensitivity_title = |d: &SensitivityData| match d {
        SensitivityData::Sobol(s) => s.title.clone(),
        SensitivityData::Morris(m) => m.title.clone(),
    };
    let sensitivity_x = |d: &SensitivityData| match d {
        SensitivityData::Sobol(s) => s.x_label.clone(),
        SensitivityData::Morris(m) => m.x_label.clone(),
    };
    let sensitivity_y = |d: &SensitivityData| match d {
        SensitivityData::Sobol(s) => s.y_label.clone(),
        SensitivityData::Morris(m) => m.y_label.clone(),
    };
    vec![
        sample!(
            "heatmap",
            heatmap_data(),
            |d: &HeatmapData| d.title.clone(),
            [
                |d: &HeatmapData| d.x_label.clone(),
                |d: &HeatmapData| d.y_label.clone(),
                |d: &HeatmapData| d.value_label.clone()
            ]
        ),
        sample!(
            "heatmap_dense",
            dense_heatmap_data(),
            |d: &HeatmapData| d.title.clone(),
            [
                |d: &HeatmapData| d.x_label.clone(),
                |d: &HeatmapData| d.y_label.clone(),
                |d: &HeatmapData| d.value_label.clone()
            ]
        ),
        sample!(
            "dot_whisker_dense",
            dense_dot_whisker_data(),
            |d: &DotWhiskerData| d.title.clone(),
            [
                |d: &DotWhiskerData| d.x_label.clone(),
                |d: &DotWhiskerData| d.y_label.clone()
            ]
        ),
        sample!(
            "survival",
            survival_data(),
            |d: &SurvivalData| d.title.clone(),
            [
                |d: &SurvivalData| d.x_label.clone(),
                |d: &SurvivalData| d.y_label.clone()
            ]
        ),
        sample!(
            "dot_whisker",
            dot_whisker_data(),
            |d: &DotWhiskerData| d.title.clone(),
            [
                |d: &DotWhiskerData| d.x_label.clone(),
                |d: &DotWhiskerData| d.y_label.clone()
            ]
        ),
        sample!(
            "forest",
            forest_data(),
            |d: &ForestData| d.title.clone(),
            [
                |d: &ForestData| d.x_label.clone(),
                |d: &ForestData| d.y_label.clone()
            ]
        ),
        sample!(
            "sobol",
            sobol_data(),
            sensitivity_title,
            [sensitivity_x, sensitivity_y]
        ),
        sample!(
            "morris",
            morris_data(),
            sensitivity_title,
            [sensitivity_x, sensitivity_y]
        ),
        sample!(
            "timeline",
            timeline_data(),
            |d: &TimelineData| d.title.clone(),
            [
                |d: &TimelineData| d.x_label.clone(),
                |d: &TimelineData| d.y_label.clone()
            ]
        ),
        sample!(
            "background_bars",
            background_data(BackgroundStyle::Bars),
            |d: &BackgroundData| d.title.clone(),
            [
                |d: &BackgroundData| d.x_label.clone(),
                |d: &BackgroundData| d.y_label.clone()
            ]
        ),
        sample!(
            "background_line",
            background_data(BackgroundStyle::Line),
            |d: &BackgroundData| d.title.clone(),
            [
                |d: &BackgroundData| d.x_label.clone(),
                |d: &BackgroundData| d.y_label.clone()
            ]
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Saves a chart to the gallery folder, if one is set.
fn keep(name: &str, extension: &str, bytes: &[u8]) {
    if let Some(folder) = std::env::var_os("TRUCE_PLOT_GALLERY") {
        let folder = PathBuf::from(folder);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("{name}.{extension}")), bytes).unwrap();
    }
}

/// Decodes a PNG; returns its size and how many distinct colours it has (up to a cap).
fn decode_png(bytes: &[u8]) -> (u32, u32, usize) {
    let image = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .expect("a valid PNG")
        .to_rgb8();
    let mut colours = std::collections::BTreeSet::new();
    for pixel in image.pixels() {
        colours.insert(pixel.0);
        if colours.len() > 64 {
            break;
        }
    }
    (image.width(), image.height(), colours.len())
}

/// The text content of every `<text>` element of an SVG, trimmed.
fn svg_texts(svg: &str) -> Vec<String> {
    let document = roxmltree::Document::parse(svg).expect("well-formed SVG");
    assert_eq!(document.root_element().tag_name().name(), "svg");
    document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect()
}

fn options() -> ChartOptions {
    ChartOptions::default()
}

// ---------------------------------------------------------------------------------------------
// Every chart

#[test]
fn every_chart_renders_a_png_of_the_requested_size_that_shows_something() {
    for sample in samples() {
        for (width, height) in [(1000, 700), (640, 480)] {
            let bytes = (sample.png)(&ChartOptions::with_size(width, height)).unwrap();
            let (w, h, colours) = decode_png(&bytes);
            assert_eq!((w, h), (width, height), "{}", sample.name);
            assert!(colours > 2, "{}: only {colours} colours", sample.name);
            let name = if width == 1000 {
                sample.name.to_string()
            } else {
                format!("{}_small", sample.name)
            };
            keep(&name, Format::Png.extension(), &bytes);
        }
    }
}

#[test]
fn every_chart_renders_a_valid_svg_with_its_title_and_axis_labels() {
    for sample in samples() {
        let svg = (sample.svg)(&options()).unwrap();
        keep(sample.name, Format::Svg.extension(), svg.as_bytes());
        let texts = svg_texts(&svg);
        assert!(
            texts.contains(&sample.title),
            "{}: no title in {texts:?}",
            sample.name
        );
        for label in &sample.axis_labels {
            assert!(
                texts.contains(label),
                "{}: no axis label {label:?} in {texts:?}",
                sample.name
            );
        }
        let document = roxmltree::Document::parse(&svg).unwrap();
        let root = document.root_element();
        assert_eq!(root.attribute("width"), Some("1000"));
        assert_eq!(root.attribute("height"), Some("700"));
    }
}

#[test]
fn svg_output_is_deterministic() {
    for sample in samples() {
        let first = (sample.svg)(&options()).unwrap();
        let second = (sample.svg)(&options()).unwrap();
        assert!(first == second, "{}: two renderings differ", sample.name);
    }
}

#[test]
fn render_writes_the_format_its_extension_names() {
    let folder = tempfile::tempdir().unwrap();
    for sample in samples() {
        let png = folder.path().join(format!("{}.png", sample.name));
        let svg = folder.path().join(format!("{}.SVG", sample.name));
        (sample.render)(&options(), &png).unwrap();
        (sample.render)(&options(), &svg).unwrap();
        let (w, h, _) = decode_png(&std::fs::read(&png).unwrap());
        assert_eq!((w, h), (1000, 700));
        let text = std::fs::read_to_string(&svg).unwrap();
        assert_eq!(text, (sample.svg)(&options()).unwrap(), "{}", sample.name);
    }
    // Nothing but the charts: no temporary files left behind.
    let names: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

// ---------------------------------------------------------------------------------------------
// Heatmap

#[test]
fn heatmap_cells_are_annotated_with_their_values_to_two_decimals() {
    let data = heatmap_data();
    let svg = data.svg(&options()).unwrap();
    let texts = svg_texts(&svg);
    let mut expected: Vec<String> = Vec::new();
    for row in &data.values {
        for value in row {
            expected.push(match value {
                Some(v) => format!("{v:.2}"),
                None => "n/a".to_string(),
            });
        }
    }
    // The cells are drawn row by row after the axes; their texts appear in the same order.
    let start = texts
        .windows(expected.len())
        .position(|w| w == expected.as_slice())
        .unwrap_or_else(|| panic!("cell texts {expected:?} not found in {texts:?}"));
    assert!(start > 0);
    assert_eq!(heatmap::cell_text(Some(0.126)), "0.13");
    assert_eq!(heatmap::cell_text(Some(-0.001)), "0.00");
    assert_eq!(heatmap::cell_text(None), "n/a");
}

#[test]
fn heatmap_text_contrasts_with_its_cell() {
    let data = HeatmapData {
        values: vec![vec![Some(0.0), Some(1.0)]],
        x_categories: vec!["a".into(), "b".into()],
        y_categories: vec!["c".into()],
        ..heatmap_data()
    };
    let svg = data.svg(&options()).unwrap();
    let document = roxmltree::Document::parse(&svg).unwrap();
    let fill_of = |text: &str| {
        document
            .descendants()
            .find(|n| n.has_tag_name("text") && n.text().map(str::trim) == Some(text))
            .and_then(|n| n.attribute("fill"))
            .unwrap()
            .to_string()
    };
    // Dark purple at 0 takes white text; yellow at 1 takes black text.
    assert_eq!(fill_of("0.00"), "#FFFFFF");
    assert_eq!(fill_of("1.00"), "#000000");
}

#[test]
fn a_large_heatmap_labels_every_other_column_and_keeps_every_value() {
    let x: Vec<String> = (0..40).map(|i| format!("{}", 1000 + i * 125)).collect();
    let y: Vec<String> = (0..30).map(|j| format!("{j}")).collect();
    let values: Vec<Vec<Option<f64>>> = (0..30)
        .map(|j| (0..40).map(|i| Some(((i + j) % 10) as f64 / 9.0)).collect())
        .collect();
    let data = HeatmapData {
        x_categories: x.clone(),
        y_categories: y,
        values,
        ..dense_heatmap_data()
    };
    let png = data.png(&options()).unwrap();
    keep("heatmap_large", "png", &png);
    let texts = svg_texts(&data.svg(&options()).unwrap());
    assert!(texts.contains(&x[0]));
    assert!(
        !x.iter().all(|label| texts.contains(label)),
        "every column labelled"
    );
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.len() == 4 && t.starts_with(['0', '1']) && t.contains('.'))
            .count(),
        40 * 30
    );
}

#[test]
fn heatmap_rejects_bad_data_with_clear_messages() {
    let mut data = heatmap_data();
    data.values[1][2] = Some(f64::NAN);
    let error = data.svg(&options()).unwrap_err();
    assert!(matches!(error, Error::NonFinite { .. }));
    assert_eq!(
        error.to_string(),
        "heatmap: values[1][2] must be a finite number (got NaN)"
    );

    let mut data = heatmap_data();
    data.values[0].pop();
    let error = data.svg(&options()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "heatmap: values[0] (one cell per x category) has 4 entries, expected 5"
    );

    let mut data = heatmap_data();
    data.x_categories.clear();
    let error = data.svg(&options()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "heatmap: no data to draw: x_categories is empty"
    );
}

// ---------------------------------------------------------------------------------------------
// Errors common to every chart

#[test]
fn an_unwritable_path_gives_an_error_naming_it_and_leaves_no_file() {
    let folder = tempfile::tempdir().unwrap();
    let missing_folder = folder.path().join("no such folder").join("chart.png");
    let error = heatmap_data()
        .render(&options(), &missing_folder)
        .unwrap_err();
    assert!(matches!(error, Error::Write { .. }));
    assert!(
        error
            .to_string()
            .contains(&missing_folder.display().to_string()),
        "{error}"
    );
    assert!(!missing_folder.exists());

    // A path that is a folder: the temporary file is made, the rename fails, and it is removed.
    let taken = folder.path().join("taken.svg");
    std::fs::create_dir(&taken).unwrap();
    let error = heatmap_data().render(&options(), &taken).unwrap_err();
    assert!(
        error.to_string().contains(&taken.display().to_string()),
        "{error}"
    );
    let left: Vec<_> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("taken.svg")]);
}

#[test]
fn bad_input_writes_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("chart.png");
    let mut data = heatmap_data();
    data.values[0][0] = Some(f64::INFINITY);
    assert!(data.render(&options(), &path).is_err());
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
}

#[test]
fn an_unknown_extension_is_an_error_naming_the_path() {
    let error = heatmap_data()
        .render(&options(), Path::new("chart.pdf"))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "chart.pdf: cannot tell the chart format: the file name must end in .png or .svg"
    );
}

#[test]
fn sizes_out_of_range_are_refused() {
    let error = heatmap_data()
        .png(&ChartOptions::with_size(100, 100))
        .unwrap_err();
    assert!(matches!(
        error,
        Error::InvalidSize {
            width: 100,
            height: 100
        }
    ));
}

#[test]
fn empty_data_is_refused_by_every_chart() {
    let empty_survival = SurvivalData::new("t", vec![]);
    assert!(matches!(
        empty_survival.svg(&options()),
        Err(Error::Empty { .. })
    ));
    let empty_dots = DotWhiskerData::new("t", vec![], SortBy::Input);
    assert!(matches!(
        empty_dots.svg(&options()),
        Err(Error::Empty { .. })
    ));
    let empty_forest = ForestData {
        rows: vec![],
        ..forest_data()
    };
    assert!(matches!(
        empty_forest.svg(&options()),
        Err(Error::Empty { .. })
    ));
    let empty_sobol = SensitivityData::Sobol(SobolData::new("t", vec![]));
    assert!(matches!(
        empty_sobol.svg(&options()),
        Err(Error::Empty { .. })
    ));
    let empty_morris = SensitivityData::Morris(MorrisData::new("t", vec![]));
    assert!(matches!(
        empty_morris.svg(&options()),
        Err(Error::Empty { .. })
    ));
    let empty_background = BackgroundData::new("t", vec![]);
    assert!(matches!(
        empty_background.svg(&options()),
        Err(Error::Empty { .. })
    ));
}

#[test]
fn mismatched_survival_lengths_are_refused() {
    let mut data = survival_data();
    data.series[1].upper.pop();
    let error = data.svg(&options()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "survival: series 1 (\"air cover\") upper has 11 entries, expected 12"
    );
}

#[test]
fn intervals_upside_down_are_refused() {
    let mut data = forest_data();
    data.rows[2].estimate = Estimate::new(0.0, 0.1, -0.1);
    let error = data.svg(&options()).unwrap_err();
    assert!(matches!(error, Error::Invalid { .. }), "{error}");
    assert!(error.to_string().contains("rows[2]"), "{error}");
}

#[test]
fn timeline_events_of_unknown_actors_are_refused() {
    let mut data = timeline_data();
    data.events[0].actor = "navy".into();
    let error = data.svg(&options()).unwrap_err();
    assert!(error.to_string().contains("navy"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Chart-specific content

#[test]
fn dot_whisker_rows_follow_the_chosen_measure() {
    let data = dot_whisker_data();
    let texts = svg_texts(&data.svg(&options()).unwrap());
    let mut by_collapse: Vec<&DotWhiskerPoint> = data.points.iter().collect();
    by_collapse.sort_by(|a, b| b.collapse.value.total_cmp(&a.collapse.value));
    // Labels appear in the SVG bottom row first (the axis is drawn upwards).
    let order: Vec<usize> = by_collapse
        .iter()
        .map(|p| texts.iter().position(|t| *t == p.label).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] > w[1]), "{order:?}");
    assert!(texts.contains(&"P(serious violation)".to_string()));
    assert!(texts.contains(&"P(collapse)".to_string()));
}

#[test]
fn timeline_shows_every_actor_and_the_collapse() {
    let data = timeline_data();
    let texts = svg_texts(&data.svg(&options()).unwrap());
    for actor in timeline::ACTORS {
        assert!(texts.contains(&actor.to_string()), "no row for {actor}");
    }
    assert!(texts.iter().any(|t| t.starts_with("collapse")), "{texts:?}");
    assert!(texts.contains(&"land grab".to_string()));
}

#[test]
fn morris_points_are_labelled_with_their_parameters() {
    let texts = svg_texts(&morris_data().svg(&options()).unwrap());
    for name in ["air_cover.sorties", "resolve.sd"] {
        assert!(texts.contains(&name.to_string()), "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Report

fn sample_report() -> Report {
    let heatmap_svg = heatmap_data().svg(&options()).unwrap();
    let survival_svg = survival_data().svg(&options()).unwrap();
    let table = Table {
        caption: Some("Outcomes by point".into()),
        headers: vec!["point".into(), "P(collapse)".into(), "note".into()],
        rows: vec![
            vec![
                "air=0 <troops>".into(),
                "0.62".into(),
                "A & B \"quoted\"".into(),
            ],
            vec![
                "air=1".into(),
                "0.41".into(),
                "see https://example.org".into(),
            ],
        ],
    };
    let manifest = Table::key_value(
        Some("Manifest".into()),
        vec![
            ("seed".into(), "42".into()),
            ("generator".into(), "ChaCha8".into()),
        ],
    );
    Report::new("Sweep report: air cover × troops")
        .subtitle("configs/sweep.toml, 2000 replications per point")
        .section(
            Section::new("Collapse")
                .paragraph("How likely the ceasefire is to collapse within a year.")
                .chart("P(collapse) by air cover and troops", heatmap_svg)
                .chart("Survival", survival_svg)
                .table(table),
        )
        .section(
            Section::new("Configuration")
                .preformatted(
                    Some("configs/sweep.toml".into()),
                    "[sweep]\nair_cover = [0, 4, 8] # <all>\n",
                )
                .table(manifest),
        )
}

#[test]
fn the_report_contains_every_chart_and_table_and_no_external_reference() {
    let report = sample_report();
    let html = report::render(&report);
    keep("report", "html", html.as_bytes());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), 2);
    assert_eq!(html.matches("<table").count(), 2);
    assert!(html.contains("P(collapse) within 365 days"));
    assert!(html.contains("Ceasefire survival by guarantee"));
    assert!(html.contains("<pre>"));
    // Text is escaped.
    assert!(html.contains("air=0 &lt;troops&gt;"));
    assert!(html.contains("A &amp; B &quot;quoted&quot;"));
    assert!(html.contains("# &lt;all&gt;"));
    // Nothing loads from elsewhere: no URL at all, no script, no external stylesheet or font.
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("http://"), "http:// in the report");
    assert!(!lower.contains("https://"), "https:// in the report");
    assert!(!lower.contains("<script"));
    assert!(!lower.contains("<link"));
    assert!(!lower.contains("@import"));
    assert!(!lower.contains("url("));
}

#[test]
fn the_report_is_deterministic() {
    assert_eq!(
        report::render(&sample_report()),
        report::render(&sample_report())
    );
}
