//! Event traces (`trace_<REP>.csv` of `truce run --trace`, or the file of `truce replay`) read
//! back for the timeline and background charts.

use crate::error::user;
use crate::output::trace::HEADER;
use anyhow::Result;
use std::path::{Path, PathBuf};
use truce_plot::background::BackgroundData;
use truce_plot::timeline::{TimelineData, TimelineEvent};

/// Events left off the timeline: the daily background tally has its own chart, and the horizon
/// is the end of the axis.
const NOT_ON_TIMELINE: [&str; 2] = ["background_tally", "horizon"];

/// The trace files of a results folder: `trace_*.csv`, in name order.
pub fn find_traces(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| user(format!("{}: cannot list the folder: {e}", dir.display())))?;
    let mut traces: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("trace_") && n.ends_with(".csv"))
        })
        .collect();
    traces.sort();
    Ok(traces)
}

/// The file stem of a trace, without `trace_`: `trace_17.csv` → `17`.
pub fn stem(path: &Path) -> String {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    stem.strip_prefix("trace_").unwrap_or(&stem).to_owned()
}

/// One row of a trace.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    day: f64,
    event: String,
    actor: String,
    class: String,
    outcome: String,
    count: Option<u64>,
    covers_day: Option<usize>,
    recommitment: bool,
}

/// The rows of one trace file.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    name: String,
    rows: Vec<Row>,
}

impl Trace {
    /// Reads a trace file, checking its header.
    pub fn read(path: &Path) -> Result<Trace> {
        let shown = path.display();
        let mut reader = csv::Reader::from_path(path)
            .map_err(|e| user(format!("{shown}: cannot read the trace: {e}")))?;
        let headers = reader
            .headers()
            .map_err(|e| user(format!("{shown}: cannot read the trace: {e}")))?
            .clone();
        let expected: Vec<&str> = HEADER.split(',').collect();
        if headers.iter().collect::<Vec<_>>() != expected {
            return Err(user(format!(
                "{shown}: not a trace of `truce run --trace` or `truce replay`: its header should be {HEADER}"
            )));
        }
        let mut rows = Vec::new();
        for (line, record) in reader.records().enumerate() {
            let record = record.map_err(|e| user(format!("{shown}: {e}")))?;
            let day: f64 = record[1].parse().map_err(|_| {
                user(format!(
                    "{shown}: line {}: day {:?} is not a number: the trace is damaged",
                    line + 2,
                    &record[1]
                ))
            })?;
            let whole = |column: usize| -> Result<Option<u64>> {
                let text = &record[column];
                if text.is_empty() {
                    return Ok(None);
                }
                text.parse().map(Some).map_err(|_| {
                    user(format!(
                        "{shown}: line {}: {} {text:?} is not a whole number: the trace is damaged",
                        line + 2,
                        expected[column]
                    ))
                })
            };
            rows.push(Row {
                day,
                event: record[2].to_owned(),
                actor: record[3].to_owned(),
                class: record[5].to_owned(),
                outcome: record[6].to_owned(),
                count: whole(7)?,
                covers_day: whole(8)?.and_then(|d| usize::try_from(d).ok()),
                recommitment: &record[10] == "true",
            });
        }
        Ok(Trace {
            name: stem(path),
            rows,
        })
    }

    /// How the chart titles name the traced replication.
    pub fn title(&self, scenario: &str) -> String {
        match parse_replay_name(&self.name) {
            Some((point, rep)) => format!("{scenario}, point {point}, replication {rep}"),
            None => format!("{scenario}, replication {}", self.name),
        }
    }

    fn collapse(&self) -> Option<(f64, &str)> {
        self.rows
            .iter()
            .find(|r| r.event == "collapse")
            .map(|r| (r.day, r.outcome.as_str()))
    }

    /// Every event but the background tallies and credibility shocks, on rows by actor, markers
    /// by the ladder class concerned (an event without one by its kind): the row already says
    /// whose event it is, so the legend lists classes, not every event of every class. Credibility
    /// shocks are lines across the rows; the collapse line names its cause.
    pub fn timeline(&self, title: &str) -> TimelineData {
        let events = self
            .rows
            .iter()
            .filter(|r| {
                !NOT_ON_TIMELINE.contains(&r.event.as_str())
                    && r.event != "collapse"
                    && r.event != "credibility_shock"
            })
            .map(|r| TimelineEvent {
                day: r.day,
                actor: r.actor.clone(),
                class: if r.class.is_empty() {
                    r.event.replace('_', " ")
                } else {
                    r.class.replace('_', " ")
                },
            })
            .collect();
        let mut data = TimelineData::new(format!("Events of {title}"), events);
        // Only the actors with events get a row, so that the rows are tall enough to spread
        // markers close in time over lanes.
        let present: Vec<String> = data
            .actors
            .iter()
            .filter(|a| data.events.iter().any(|e| &e.actor == *a))
            .cloned()
            .collect();
        if !present.is_empty() {
            data.actors = present;
        }
        data.shocks = self
            .rows
            .iter()
            .filter(|r| r.event == "credibility_shock")
            .map(|r| r.day)
            .collect();
        if let Some((day, cause)) = self.collapse() {
            data.collapse = Some(day);
            data.collapse_label = format!("collapse: {}", cause.replace('_', " "));
        }
        data.horizon = self
            .rows
            .iter()
            .find(|r| r.event == "horizon")
            .map(|r| r.day);
        data
    }

    /// Background violations per day, from the daily tallies; `None` when there are none.
    pub fn background(&self, title: &str) -> Option<BackgroundData> {
        let mut counts: Vec<u64> = Vec::new();
        for r in self.rows.iter().filter(|r| r.event == "background_tally") {
            let (Some(count), Some(day)) = (r.count, r.covers_day) else {
                continue;
            };
            // A damaged trace could name any day: a tally covers a day within the horizon.
            if day as f64 > truce_sim::validate::limits::HORIZON_DAYS {
                continue;
            }
            if counts.len() <= day {
                counts.resize(day + 1, 0);
            }
            counts[day] = count;
        }
        if counts.is_empty() {
            return None;
        }
        let mut data = BackgroundData::new(format!("Background violations of {title}"), counts);
        data.recommitments = self
            .rows
            .iter()
            .filter(|r| r.event == "negotiation_round" && r.recommitment)
            .map(|r| r.day)
            .collect();
        data.collapse = self.collapse().map(|(day, _)| day);
        Some(data)
    }
}

/// `point7_rep12` → (7, 12).
fn parse_replay_name(name: &str) -> Option<(u64, u64)> {
    let rest = name.strip_prefix("point")?;
    let (point, rep) = rest.split_once("_rep")?;
    Some((point.parse().ok()?, rep.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACE: &str = "\
time_minutes,day,event,actor,sector,class,outcome,count,covers_day,mean,recommitment
1440,1.0000,background_tally,monitors,,,\"15 (day 0, mean 21.1)\",15,0,21.1000,
1635,1.1354,negotiation_round,negotiators,,,success 1: recommitment,1,,,true
2880,2.0000,background_tally,monitors,,,\"18 (day 1, mean 17.6)\",18,1,17.6000,
2880,2.0000,violation,aggressor,3,harassment,undetected; not attributed; 0 R casualties,,,,
3600,2.5000,credibility_shock,world,,,air cover,,,,
4320,3.0000,collapse,world,,,spiral,,,,
4320,3.0000,horizon,world,,,end,,,,
";

    fn trace() -> Trace {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trace_point7_rep12.csv");
        std::fs::write(&path, TRACE).unwrap();
        Trace::read(&path).unwrap()
    }

    #[test]
    fn a_trace_gives_its_timeline_and_daily_counts() {
        let t = trace();
        assert_eq!(t.title("s"), "s, point 7, replication 12");
        let timeline = t.timeline("x");
        assert_eq!(timeline.events.len(), 2);
        assert_eq!(timeline.events[1].class, "harassment");
        assert_eq!(timeline.collapse, Some(3.0));
        assert_eq!(timeline.collapse_label, "collapse: spiral");
        assert_eq!(timeline.shocks, [2.5]);
        assert_eq!(timeline.horizon, Some(3.0));
        let background = t.background("x").unwrap();
        assert_eq!(background.counts, [15, 18]);
        assert_eq!(background.recommitments, [1.1354]);
        assert_eq!(background.collapse, Some(3.0));
    }

    #[test]
    fn a_file_that_is_not_a_trace_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trace_1.csv");
        std::fs::write(&path, "a,b\n1,2\n").unwrap();
        let err = Trace::read(&path).unwrap_err().to_string();
        assert!(err.contains("not a trace"), "{err}");
    }
}
