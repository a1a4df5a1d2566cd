//! `truce run --trace`: which replications to trace, as given (`3,7,12`) or chosen from the
//! records once they are run (`first-collapsed`, `collapsed:K`).

use std::fmt;
use std::str::FromStr;
use truce_sim::Record;

/// Most replications traced in one run.
pub const MAX_TRACES: usize = 100;

/// The replications `--trace` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceSelection {
    /// These replications, in the order given, without repeats.
    List(Vec<u64>),
    /// The first `k` replications (by index) whose ceasefire collapsed.
    Collapsed(usize),
}

impl FromStr for TraceSelection {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let too_many = |n: usize| {
            format!("{n} traces are too many: trace at most {MAX_TRACES} replications in one run")
        };
        if text == "first-collapsed" {
            return Ok(TraceSelection::Collapsed(1));
        }
        if let Some(k) = text.strip_prefix("collapsed:") {
            let k: usize = k.trim().parse().map_err(|_| {
                format!("`{text}`: collapsed:K needs a whole number K >= 1, e.g. collapsed:3")
            })?;
            return match k {
                0 => Err(format!("`{text}`: K must be at least 1")),
                k if k > MAX_TRACES => Err(too_many(k)),
                k => Ok(TraceSelection::Collapsed(k)),
            };
        }
        let mut list = Vec::new();
        for part in text.split(',') {
            let rep: u64 = part.trim().parse().map_err(|_| {
                format!(
                    "`{text}`: give replication numbers separated by commas (3,7,12), \
                     first-collapsed, or collapsed:K"
                )
            })?;
            if !list.contains(&rep) {
                list.push(rep);
            }
        }
        if list.len() > MAX_TRACES {
            return Err(too_many(list.len()));
        }
        Ok(TraceSelection::List(list))
    }
}

impl fmt::Display for TraceSelection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceSelection::List(reps) => {
                let shown: Vec<String> = reps.iter().map(u64::to_string).collect();
                write!(f, "{}", shown.join(","))
            }
            TraceSelection::Collapsed(1) => write!(f, "first-collapsed"),
            TraceSelection::Collapsed(k) => write!(f, "collapsed:{k}"),
        }
    }
}

impl TraceSelection {
    /// The listed replications that are not among `0..replications`.
    pub fn beyond(&self, replications: u64) -> Vec<u64> {
        match self {
            TraceSelection::List(reps) => reps
                .iter()
                .copied()
                .filter(|&r| r >= replications)
                .collect(),
            TraceSelection::Collapsed(_) => Vec::new(),
        }
    }

    /// The replications to trace, given the records of replications `0..records.len()`.
    pub fn resolve(&self, records: &[Record]) -> Vec<u64> {
        match self {
            TraceSelection::List(reps) => reps.clone(),
            TraceSelection::Collapsed(k) => records
                .iter()
                .filter(|r| r.collapsed)
                .take(*k)
                .map(|r| r.replication)
                .collect(),
        }
    }
}

/// How a traced replication ended: `collapsed on day 12.4 (offensive)`, `settled on day 400.0`
/// or `held to day 730.0`.
pub fn ending(record: &Record) -> String {
    if record.collapsed {
        format!(
            "collapsed on day {:.1} ({})",
            record.collapse_day.unwrap_or(record.end_day),
            record
                .collapse_cause
                .map_or("cause not recorded", |c| c.name())
        )
    } else if record.settled {
        format!(
            "settled on day {:.1}",
            record.settled_day.unwrap_or(record.end_day)
        )
    } else {
        format!("held to day {:.1}", record.end_day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_parse_and_print_back() {
        for text in ["3,7,12", "first-collapsed", "collapsed:3", "5"] {
            let s: TraceSelection = text.parse().unwrap();
            assert_eq!(s.to_string(), text);
        }
        assert_eq!(
            "3, 3,4".parse::<TraceSelection>(),
            Ok(TraceSelection::List(vec![3, 4]))
        );
        for bad in [
            "",
            "x",
            "collapsed:0",
            "collapsed:x",
            "1,,2",
            "collapsed:101",
        ] {
            assert!(bad.parse::<TraceSelection>().is_err(), "{bad}");
        }
    }

    #[test]
    fn collapsed_picks_the_first_collapsed_replications() {
        let records: Vec<Record> = (0..6)
            .map(|i| Record {
                replication: i,
                collapsed: i % 2 == 1,
                ..Record::default()
            })
            .collect();
        assert_eq!(TraceSelection::Collapsed(2).resolve(&records), [1, 3]);
        assert_eq!(TraceSelection::Collapsed(9).resolve(&records), [1, 3, 5]);
        assert_eq!(TraceSelection::List(vec![4, 9]).beyond(6), [9]);
    }
}
