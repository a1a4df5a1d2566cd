//! The charts of traced replications, from the trace files `trace.rs` reads: every event by
//! actor (timeline) and background violations per day.

use super::plan::{Built, Context, Missing};
use super::trace::{self, find_traces};
use super::{Chart, Data, Kind};
use anyhow::Result;

impl Context<'_> {
    pub(super) fn traced(&self, kind: Kind) -> Result<Built> {
        let traces = if self.selection.traces.is_empty() {
            find_traces(&self.analysis.folder.dir)?
        } else {
            self.selection.traces.clone()
        };
        if traces.is_empty() {
            return Ok(Err(Missing(format!(
                "it draws a traced replication, and {} holds no trace_*.csv: make one with \
                 `truce run CONFIG --trace REP`, or `truce replay DIR POINT REP --out DIR/trace_pointPOINT_repREP.csv` for a sweep, or name one with --trace FILE",
                self.analysis.folder.dir.display()
            ))));
        }
        let mut charts = Vec::new();
        let mut missing = Vec::new();
        for path in &traces {
            let t = trace::Trace::read(path)?;
            let title = t.title(&self.scenario);
            let stem = trace::stem(path);
            match kind {
                Kind::Timeline => charts.push(Chart {
                    name: format!("timeline_{stem}"),
                    caption: format!(
                        "Every event of {title} ({}), by actor and kind, with the collapse marked. Background tallies are in the background chart.",
                        path.file_name().unwrap_or_default().to_string_lossy()
                    ),
                    data: Data::Timeline(t.timeline(&title)),
                }),
                _ => match t.background(&title) {
                    Some(data) => charts.push(Chart {
                        name: format!("background_{stem}"),
                        caption: format!(
                            "Background violations per day of {title}, with the days of recommitment after successful negotiation rounds marked."
                        ),
                        data: Data::Background(data),
                    }),
                    None => missing.push(path.display().to_string()),
                },
            }
        }
        if charts.is_empty() {
            return Ok(Err(Missing(format!(
                "{} records no background violations: the scenario has none (background.rate_per_day = 0)",
                missing.join(", ")
            ))));
        }
        Ok(Ok(charts))
    }
}
