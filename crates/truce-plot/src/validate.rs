//! Checks shared by the charts' data: emptiness, lengths, finiteness, interval order.

use crate::{Error, Estimate, Result};

pub(crate) fn non_empty(chart: &'static str, what: &str, len: usize) -> Result<()> {
    if len == 0 {
        Err(Error::Empty {
            chart,
            what: what.to_string(),
        })
    } else {
        Ok(())
    }
}

pub(crate) fn same_length(
    chart: &'static str,
    what: impl FnOnce() -> String,
    expected: usize,
    found: usize,
) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            chart,
            what: what(),
            expected,
            found,
        })
    }
}

pub(crate) fn finite(chart: &'static str, what: impl FnOnce() -> String, value: f64) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(Error::NonFinite {
            chart,
            what: what(),
            value,
        })
    }
}

pub(crate) fn invalid(
    chart: &'static str,
    what: impl Into<String>,
    problem: impl Into<String>,
) -> Error {
    Error::Invalid {
        chart,
        what: what.into(),
        problem: problem.into(),
    }
}

/// Checks that an estimate's three numbers are finite and that `lower <= upper`.
///
/// The value may lie outside its interval: a bootstrap percentile interval can exclude the point
/// estimate.
pub(crate) fn estimate(chart: &'static str, what: &str, estimate: &Estimate) -> Result<()> {
    finite(chart, || format!("{what}.value"), estimate.value)?;
    finite(chart, || format!("{what}.lower"), estimate.lower)?;
    finite(chart, || format!("{what}.upper"), estimate.upper)?;
    if estimate.lower > estimate.upper {
        return Err(invalid(
            chart,
            what,
            format!(
                "the interval's lower end {} is above its upper end {}",
                estimate.lower, estimate.upper
            ),
        ));
    }
    Ok(())
}

/// Checks an optional axis range: finite and increasing.
pub(crate) fn range(chart: &'static str, what: &str, range: Option<(f64, f64)>) -> Result<()> {
    if let Some((lo, hi)) = range {
        finite(chart, || format!("{what}.0"), lo)?;
        finite(chart, || format!("{what}.1"), hi)?;
        if lo >= hi {
            return Err(invalid(
                chart,
                what,
                format!("the start {lo} must be below the end {hi}"),
            ));
        }
    }
    Ok(())
}
