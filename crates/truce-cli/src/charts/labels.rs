//! How config keys read on charts: one table of human labels, with units, beside the keys.
//!
//! Axis titles, legends and captions name a parameter by [`label`]: its entry in [`LABELS`], or,
//! for a key the table does not list, the key itself with the unit its name implies. A per-sector
//! key (one number per sector) says "per sector".

/// Human labels of config keys, with their units. Keys a sweep is likely to vary come first.
pub const LABELS: &[(&str, &str)] = &[
    ("guarantors.air_cover.level", "Air-cover posture"),
    (
        "guarantors.reassurance.troops_rear",
        "Troops in the rear (thousands)",
    ),
    (
        "guarantors.reassurance.troops",
        "Troops at the line, per sector (thousands)",
    ),
    (
        "guarantors.reassurance.distance_km",
        "Distance of the troops from the line, per sector (km)",
    ),
    ("guarantors.reassurance.roe", "Rules of engagement"),
    (
        "guarantors.reassurance.p_tripwire",
        "Probability that hitting the troops draws the coalition in",
    ),
    (
        "guarantors.reassurance.latency_median_hours",
        "Coalition's median response time (hours)",
    ),
    (
        "guarantors.air_cover.theta.land_grab",
        "Air cover's credibility against land grabs (probability)",
    ),
    (
        "guarantors.air_cover.theta.strike",
        "Air cover's credibility against strikes (probability)",
    ),
    (
        "guarantors.air_cover.theta.offensive",
        "Air cover's credibility against an offensive (probability)",
    ),
    (
        "guarantors.air_cover.auth_median_hours",
        "Air cover's median authorisation time (hours)",
    ),
    (
        "guarantors.air_cover.exec_median_hours",
        "Air cover's median execution time (hours)",
    ),
    (
        "guarantors.air_cover.shock_factor",
        "Credibility left during a shock (share)",
    ),
    (
        "guarantors.air_cover.credibility_shock_rate_per_year",
        "Credibility shocks (per year)",
    ),
    (
        "guarantors.air_cover.nfz_incident_rate_per_month",
        "No-fly-zone incidents (per month)",
    ),
    ("geography.sectors", "Sectors"),
    (
        "geography.value",
        "Value of a sector to the aggressor, per sector (utility)",
    ),
    (
        "geography.defence",
        "Defender's local combat power, per sector (index)",
    ),
    (
        "aggressor.recovery_days",
        "Aggressor's recovery time (days)",
    ),
    (
        "aggressor.power_at_signing",
        "Aggressor's combat power at signing (share)",
    ),
    (
        "aggressor.resolve_sigma",
        "Spread of the aggressor's resolve",
    ),
    ("aggressor.rationality", "Aggressor's rationality"),
    ("defender.recovery_days", "Defender's recovery time (days)"),
    ("negotiation.settlement", "What a settlement does"),
    ("collapse.exogenous", "Exogenous collapse"),
    ("horizon_days", "Horizon (days)"),
];

/// The label of `key`: its entry in [`LABELS`], else the key with the unit its name implies.
pub fn label(key: &str) -> String {
    if let Some((_, label)) = LABELS.iter().find(|(k, _)| *k == key) {
        return (*label).to_owned();
    }
    let last = key.rsplit('.').next().unwrap_or(key);
    let unit = if last.ends_with("_hours") {
        Some("hours")
    } else if last.ends_with("_days") {
        Some("days")
    } else if last.ends_with("_km") {
        Some("km")
    } else if last.ends_with("_per_year") {
        Some("per year")
    } else if last.ends_with("_per_month") {
        Some("per month")
    } else if last.ends_with("_per_day") {
        Some("per day")
    } else if last.starts_with("troops") {
        Some("thousand troops")
    } else if last.starts_with("p_") {
        Some("probability")
    } else if last == "level" {
        Some("posture")
    } else {
        None
    };
    match unit {
        Some(unit) => format!("{key} ({unit})"),
        None => key.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_keys_read_as_words_and_others_keep_their_unit() {
        assert_eq!(
            label("guarantors.reassurance.troops_rear"),
            "Troops in the rear (thousands)"
        );
        assert_eq!(label("guarantors.air_cover.level"), "Air-cover posture");
        assert!(label("guarantors.reassurance.troops").contains("per sector"));
        assert_eq!(
            label("guarantors.air_cover.exec_sigma_hours"),
            "guarantors.air_cover.exec_sigma_hours (hours)"
        );
        let mut keys: Vec<&str> = LABELS.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), LABELS.len(), "a key listed twice");
    }
}
