//! `trace_<REP>.csv`: the full event trace of one replication, one row per event.
//!
//! Columns: `time_minutes` (whole minutes since the ceasefire took effect), `day` (the same time in
//! fractional days, like the record's `*_day` fields), `event`, `actor`, `sector` (empty when the event
//! has none), `class` (the ladder class's name, empty when none) and `outcome`.

use anyhow::{Context, Result};
use std::io::{BufWriter, Write};
use std::path::Path;
use truce_sim::{Scenario, TraceRow, time};

pub const HEADER: &str = "time_minutes,day,event,actor,sector,class,outcome";

/// The trace file's name for replication `replication`.
pub fn file_name(replication: u64) -> String {
    format!("trace_{replication}.csv")
}

/// Writes `rows` to `path` as CSV.
pub fn write(path: &Path, scenario: &Scenario, rows: &[TraceRow]) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write_rows(&mut out, scenario, rows)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn write_rows(out: &mut impl Write, scenario: &Scenario, rows: &[TraceRow]) -> std::io::Result<()> {
    writeln!(out, "{HEADER}")?;
    for row in rows {
        let sector = row.sector.map(|s| s.to_string()).unwrap_or_default();
        let class = match row.class {
            Some(i) => match scenario.classes.get(i) {
                Some(class) => class.name.clone(),
                None => i.to_string(),
            },
            None => String::new(),
        };
        writeln!(
            out,
            "{},{:.4},{},{},{},{},{}",
            row.time,
            time::to_days(row.time),
            field(row.event),
            field(row.actor.name()),
            sector,
            field(&class),
            field(&row.outcome),
        )?;
    }
    Ok(())
}

/// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
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
            },
            TraceRow {
                time: 0,
                event: "start",
                actor: Actor::World,
                sector: None,
                class: None,
                outcome: String::new(),
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
                "2160,1.5000,violation,aggressor,2,{},\"detected, \"\"attributed\"\"\"",
                scenario.classes[0].name
            )
        );
        assert_eq!(lines[2], "0,0.0000,start,world,,,");
    }
}
