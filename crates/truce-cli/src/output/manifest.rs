//! `manifest.json`: everything needed to reproduce a run and to know what produced it.
//!
//! The resolved config is the config as run, defaults filled in and `--replications` and `--seed`
//! applied; its SHA-256 is taken over its canonical TOML serialisation (`toml::to_string`),
//! so two runs of the same scenario share a hash whatever the formatting of their files.

use anyhow::{Context, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;
use truce_sim::{ScenarioConfig, seed};

/// Versions of the crates that decide the numbers or their storage, read from `Cargo.lock` at build time.
pub const CRATE_VERSIONS: [(&str, &str); 4] = [
    ("parquet", env!("TRUCE_CRATE_VERSION_PARQUET")),
    ("rand", env!("TRUCE_CRATE_VERSION_RAND")),
    ("rand_distr", env!("TRUCE_CRATE_VERSION_RAND_DISTR")),
    ("rayon", env!("TRUCE_CRATE_VERSION_RAYON")),
];

/// The run manifest, written as JSON with its keys in this order.
#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
    pub truce_version: &'static str,
    pub scenario: &'a str,
    /// The config file as given; `-` for standard input, `null` for the built-in baseline.
    pub config_path: Option<String>,
    /// SHA-256 of the resolved config's canonical TOML, in hex.
    pub config_sha256: String,
    pub base_seed: u64,
    pub replications: u64,
    pub point: u64,
    /// The first replication whose event trace was written, if any.
    pub trace_replication: Option<u64>,
    /// Every replication whose event trace was written.
    pub trace_replications: Vec<u64>,
    pub threads: usize,
    pub rng: Rng,
    pub crates: BTreeMap<&'static str, &'static str>,
    pub git: Git,
    pub command_line: Vec<String>,
    /// UTC start time, RFC 3339.
    pub started_utc: String,
    pub wall_seconds: f64,
    /// Files of the run folder, besides this manifest.
    pub files: Vec<String>,
    pub config: &'a ScenarioConfig,
}

#[derive(Debug, Serialize)]
pub struct Rng {
    pub algorithm: &'static str,
    pub seed_derivation: &'static str,
}

impl Rng {
    pub fn current() -> Self {
        Self {
            algorithm: seed::ALGORITHM,
            seed_derivation: seed::SCHEME,
        }
    }
}

/// The git revision the binary was built from; `null` when it was not built in a git checkout.
#[derive(Debug, Serialize)]
pub struct Git {
    pub revision: Option<&'static str>,
    /// Whether the checkout had uncommitted changes when the binary was built.
    pub dirty: Option<bool>,
}

impl Git {
    pub fn at_build() -> Self {
        let revision = env!("TRUCE_GIT_REVISION");
        let dirty = match env!("TRUCE_GIT_DIRTY") {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        };
        Self {
            revision: (!revision.is_empty()).then_some(revision),
            dirty,
        }
    }
}

/// The key crates' versions as a map.
pub fn crate_versions() -> BTreeMap<&'static str, &'static str> {
    CRATE_VERSIONS.into_iter().collect()
}

/// SHA-256 of the config's canonical TOML serialisation, in lowercase hex.
pub fn config_sha256(config: &ScenarioConfig) -> Result<String> {
    let canonical =
        toml::to_string(config).context("cannot serialise the resolved config to TOML")?;
    Ok(sha256_hex(canonical.as_bytes()))
}

/// SHA-256 of some bytes, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes the manifest as pretty-printed JSON.
pub fn write(path: &Path, manifest: &Manifest<'_>) -> Result<()> {
    let mut json =
        serde_json::to_string_pretty(manifest).context("cannot serialise the manifest")?;
    json.push('\n');
    // Only `truce run` calls it, into its staging folder, which is renamed into place whole.
    std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_manifest_has_the_keys_the_analysis_reads() {
        use truce_formats::manifest as keys;
        let config = ScenarioConfig::default();
        let manifest = Manifest {
            truce_version: "0",
            scenario: "s",
            config_path: None,
            config_sha256: String::new(),
            base_seed: 1,
            replications: 2,
            point: 0,
            trace_replication: None,
            trace_replications: Vec::new(),
            threads: 1,
            rng: Rng::current(),
            crates: crate_versions(),
            git: Git::at_build(),
            command_line: Vec::new(),
            started_utc: String::new(),
            wall_seconds: 0.0,
            files: Vec::new(),
            config: &config,
        };
        let json = serde_json::to_value(&manifest).unwrap();
        assert_eq!(json[keys::SCENARIO], "s");
        // A run's manifest has no status: that is how the analysis tells a run from a sweep.
        assert!(json.get(keys::STATUS).is_none());
    }

    #[test]
    fn the_hash_ignores_formatting_and_sees_values() {
        let a = truce_sim::validate::parse("name = \"x\"\nhorizon_days = 30").unwrap();
        let b = truce_sim::validate::parse("horizon_days = 30.0   # short\nname = 'x'").unwrap();
        let c = truce_sim::validate::parse("name = \"x\"\nhorizon_days = 31").unwrap();
        let hash = config_sha256(&a).unwrap();
        assert_eq!(hash.len(), 64);
        assert_eq!(hash, config_sha256(&b).unwrap());
        assert_ne!(hash, config_sha256(&c).unwrap());
    }

    #[test]
    fn sha256_of_a_known_text() {
        let digest: String = Sha256::digest(b"abc")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            digest,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_canonical_toml_parses_back_to_the_same_config() {
        let config = ScenarioConfig::default();
        let text = toml::to_string(&config).unwrap();
        assert_eq!(truce_sim::validate::parse(&text).unwrap(), config);
    }
}
