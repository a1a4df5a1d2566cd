//! Build script: records what a run manifest needs to know about the build itself,
//! the versions of the key crates (read from the workspace's `Cargo.lock`) and the git revision.
//!
//! Every value is optional: a build outside a git checkout, or without git, still succeeds.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Crates whose versions decide the numbers a run produces or how they are stored.
const KEY_CRATES: [&str; 4] = ["rand", "rand_distr", "rayon", "parquet"];

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest_dir.join("../..");

    let lock = root.join("Cargo.lock");
    rerun_if_changed(&lock);
    let lock_text = fs::read_to_string(&lock).unwrap_or_default();
    for name in KEY_CRATES {
        let versions = lock_versions(&lock_text, name);
        let value = if versions.is_empty() {
            "unknown".to_string()
        } else {
            versions.join(", ")
        };
        println!(
            "cargo::rustc-env=TRUCE_CRATE_VERSION_{}={value}",
            name.to_uppercase()
        );
    }

    let revision = git(&root, &["rev-parse", "HEAD"]).unwrap_or_default();
    // `--no-optional-locks` keeps `git status` from rewriting the index while someone else uses the repository.
    let dirty = match git(&root, &["--no-optional-locks", "status", "--porcelain"]) {
        Some(status) if !revision.is_empty() => {
            (if status.is_empty() { "false" } else { "true" }).to_string()
        }
        _ => String::new(),
    };
    println!("cargo::rustc-env=TRUCE_GIT_REVISION={revision}");
    println!("cargo::rustc-env=TRUCE_GIT_DIRTY={dirty}");

    // Rerun when the revision or the sources that go into the binary change, so that the dirty flag stays true to the build.
    if let Some(git_dir) = git(&root, &["rev-parse", "--absolute-git-dir"]) {
        let git_dir = PathBuf::from(git_dir);
        for file in ["HEAD", "index", "logs/HEAD", "packed-refs"] {
            rerun_if_changed(&git_dir.join(file));
        }
    }
    for path in ["Cargo.toml", "crates", "configs"] {
        rerun_if_changed(&root.join(path));
    }
}

/// Every version of package `name` in a `Cargo.lock`, in the order they appear.
fn lock_versions(lock: &str, name: &str) -> Vec<String> {
    let wanted = format!("name = \"{name}\"");
    lock.split("[[package]]")
        .filter(|block| block.lines().any(|line| line.trim() == wanted))
        .filter_map(|block| {
            block.lines().find_map(|line| {
                let value = line.trim().strip_prefix("version = ")?;
                Some(value.trim_matches('"').to_string())
            })
        })
        .collect()
}

/// The trimmed standard output of a git command run in `root`, or `None` when git is missing or fails.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Tells cargo to rerun this script when `path` changes; a missing path is skipped, since cargo would rerun on every build.
fn rerun_if_changed(path: &Path) {
    if path.exists() {
        println!("cargo::rerun-if-changed={}", path.display());
    }
}
