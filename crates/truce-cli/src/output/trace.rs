//! `trace_<REP>.csv`: the full event trace of one replication, one row per event.
//!
//! Columns: `time_minutes` (whole minutes since the ceasefire took effect), `day` (the same time in
//! fractional days, like the record's `*_day` fields), `event`, `actor`, `sector` (empty when the event
//! has none), `class` (the ladder class's name, empty when none), `outcome` (what happened, in
//! words), then the numbers of that text for programs to read: `count` (a background tally's
//! violations; a negotiation round's successful rounds so far), `covers_day` (the day a tally
//! covers), `mean` (a tally's expected count) and `recommitment` (whether a negotiation round
//! recommits the aggressor: `true` or `false`); each empty when the event has none.

use super::TempFile;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use truce_sim::{Scenario, TraceRow, time};

pub const HEADER: &str =
    "time_minutes,day,event,actor,sector,class,outcome,count,covers_day,mean,recommitment";

/// The trace file's name for replication `replication`.
pub fn file_name(replication: u64) -> String {
    format!("trace_{replication}.csv")
}

/// Writes `rows` to `path` as CSV, whole or not at all: under a [`TempFile`] renamed onto `path`
/// when complete (`truce replay --out FILE` writes outside any staging folder).
pub fn write(path: &Path, scenario: &Scenario, rows: &[TraceRow]) -> Result<()> {
    let temp = TempFile::new(path);
    let file = std::fs::File::create(temp.path())
        .with_context(|| format!("cannot create {}", temp.path().display()))?;
    write_rows(file, scenario, rows).with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist()
}

/// The rows as CSV (RFC 4180 quoting, by the `csv` crate), after the [`HEADER`] line.
fn write_rows(out: impl Write, scenario: &Scenario, rows: &[TraceRow]) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER.split(','))?;
    for row in rows {
        let sector = row.sector.map(|s| s.to_string()).unwrap_or_default();
        let class = match row.class {
            Some(i) => match scenario.classes.get(i) {
                Some(class) => class.name.clone(),
                None => i.to_string(),
            },
            None => String::new(),
        };
        let f = &row.figures;
        let number = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        writer.write_record([
            row.time.to_string().as_str(),
            &format!("{:.4}", time::to_days(row.time)),
            row.event,
            row.actor.name(),
            &sector,
            &class,
            &row.outcome,
            &number(f.count),
            &number(f.covers_day),
            &f.mean.map(|m| m.to_string()).unwrap_or_default(),
            &f.recommitment.map(|r| r.to_string()).unwrap_or_default(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_sim::Actor;

    #[test]
    fn rows_are_written_with_class_names_and_quoting() {
        let scenario = crate::input::Source::BuiltIn.load().unwrap();
        let rows = vec![
            TraceRow {
                time: 2160,
                event: "violation",
                actor: Actor::Aggressor,
                sector: Some(2),
                class: Some(0),
                outcome: "detected, \"attributed\"".into(),
                figures: Default::default(),
            },
            TraceRow {
                time: 0,
                event: "start",
                actor: Actor::World,
                sector: None,
                class: None,
                outcome: String::new(),
                figures: truce_sim::TraceFigures {
                    count: Some(15),
                    covers_day: Some(0),
                    mean: Some(21.125),
                    recommitment: Some(false),
                },
            },
        ];
        let mut out = Vec::new();
        write_rows(&mut out, &scenario, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], HEADER);
        assert_eq!(
            lines[1],
            format!(
                "2160,1.5000,violation,aggressor,2,{},\"detected, \"\"attributed\"\"\",,,,",
                scenario.classes[0].name
            )
        );
        assert_eq!(lines[2], "0,0.0000,start,world,,,,15,0,21.125,false");
    }
}
