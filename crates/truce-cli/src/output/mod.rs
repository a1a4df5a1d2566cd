//! Where a run's files go, and how they get there whole or not at all.
//!
//! Files are written into a hidden staging folder beside the destination, which is renamed into
//! place once everything is written. An error removes the staging folder (on drop); so does Ctrl-C or
//! a termination signal, through a handler that then exits with code 130. A results folder is
//! therefore either complete or absent.
//!
//! A sweep folder grows while it runs: each file is written under a hidden temporary name in its
//! final folder ([`TempFile`]) and renamed into place when whole, so a reader (or a resumed sweep)
//! never sees half a file, even after `kill -9`. Renaming a finished file and updating the manifest
//! happen inside [`committing`], which the signal handler waits for.

pub mod blocks;
pub mod check;
pub mod lock;
pub mod manifest;
pub mod points;
pub mod runs;
pub mod sweep;
pub mod table;
pub mod trace;

use crate::error::{INTERRUPTED, user};
use anyhow::{Context, Result};
use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where results go without `--out`, relative to the current folder.
pub const DEFAULT_OUT: &str = "results";

/// Staging folders not yet committed, which the signal handler removes.
static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Temporary files not yet renamed into place, which the signal handler removes.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// What the signal handler prints; `None` for the default, that no results were written.
static INTERRUPT_NOTE: Mutex<Option<String>> = Mutex::new(None);
/// Held while finished files are renamed into place and the manifest rewritten.
static COMMIT: Mutex<()> = Mutex::new(());
/// Folders this process created for a staging folder, deepest last, removed (when empty) with it.
static CREATED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Folders in which this process's hidden staging entries (`.NAME.partial-PID`,
/// `.NAME.tmp-PID`) are removed on Ctrl-C: those other crates create, which are not registered.
static CLEAN_ON_INTERRUPT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The folder a run's files end up in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `--out DIR`: exactly this folder, which must not exist or be empty.
    Exact(PathBuf),
    /// `<out>/<scenario>/<UTC start time>`; a `-2`, `-3`, ... suffix is added if two runs start in the same second.
    Timestamped(PathBuf),
}

impl Destination {
    /// Checks `--out DIR` before anything runs: refused when it is a file or a non-empty folder.
    pub fn exact(dir: &Path) -> Result<Self> {
        let shown = dir.display();
        if dir.file_name().is_none() {
            return Err(user(format!(
                "--out {shown}: name a folder to create, for example --out results/my-run"
            )));
        }
        match std::fs::read_dir(dir) {
            Ok(mut entries) => {
                if entries.next().is_some() {
                    return Err(user(format!(
                        "--out {shown}: the folder is not empty; name a new or empty folder, \
                         or leave out --out to write under results/"
                    )));
                }
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) if dir.exists() && !dir.is_dir() => {
                return Err(user(format!(
                    "--out {shown}: exists and is not a folder ({e}); name a new or empty folder"
                )));
            }
            Err(e) => {
                return Err(user(format!("--out {shown}: cannot use this folder: {e}")));
            }
        }
        Ok(Destination::Exact(dir.to_path_buf()))
    }

    /// `<out>/<scenario>/<stamp>`.
    pub fn timestamped(out: &Path, scenario: &str, stamp: &str) -> Self {
        Destination::Timestamped(out.join(scenario).join(stamp))
    }

    fn path(&self) -> &Path {
        match self {
            Destination::Exact(p) | Destination::Timestamped(p) => p,
        }
    }
}

/// A hidden folder beside the destination that collects a run's files until [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    destination: Destination,
    /// The destination's parent folders that [`Staging::create`] made, outermost first.
    created: Vec<PathBuf>,
}

impl Staging {
    /// Creates the staging folder (and the destination's parent folders) and registers it for removal on Ctrl-C.
    pub fn create(destination: Destination) -> Result<Self> {
        install_signal_handler();
        let target = destination.path();
        let parent = parent_of(target);
        let created = missing_ancestors(&parent);
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create the results folder {}", parent.display()))?;
        locked(&CREATED).extend(created.iter().cloned());
        remove_stale(&parent);
        let mut name = OsString::from(".");
        name.push(target.file_name().unwrap_or_default());
        name.push(format!(".partial-{}", std::process::id()));
        let dir = parent.join(name);
        // A leftover from a killed run with the same process id would be stale: start afresh.
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove the stale folder {}", dir.display()))?;
        }
        std::fs::create_dir(&dir)
            .with_context(|| format!("cannot create the staging folder {}", dir.display()))?;
        lock().push(dir.clone());
        Ok(Self {
            dir,
            destination,
            created,
        })
    }

    /// The folder to write files into.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Renames the staging folder into place and returns where it went.
    pub fn commit(self) -> Result<PathBuf> {
        let mut registered = lock();
        let result = match &self.destination {
            Destination::Exact(target) => rename_exact(&self.dir, target).map(|()| target.clone()),
            Destination::Timestamped(target) => rename_free(&self.dir, target),
        };
        if result.is_ok() {
            registered.retain(|d| *d != self.dir);
            locked(&CREATED).retain(|d| !self.created.contains(d));
        }
        drop(registered);
        // On success the staging folder no longer exists, and drop's removal finds nothing.
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let mut registered = lock();
        if registered.contains(&self.dir) {
            let _ = std::fs::remove_dir_all(&self.dir);
            registered.retain(|d| *d != self.dir);
            // Only the empty ones go: another run may have put results in them meanwhile.
            for dir in self.created.iter().rev() {
                let _ = std::fs::remove_dir(dir);
            }
            locked(&CREATED).retain(|d| !self.created.contains(d));
        }
    }
}

/// The ancestors of `dir` (itself included) that do not exist yet, outermost first.
fn missing_ancestors(dir: &Path) -> Vec<PathBuf> {
    let mut missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    missing
}

/// Whether a hidden staging entry's name (`.NAME.partial-PID` or `.NAME.tmp-PID`) gives a
/// process id, and which.
fn staging_pid(name: &str) -> Option<u32> {
    if !name.starts_with('.') {
        return None;
    }
    [".partial-", TEMPORARY_MARK].iter().find_map(|mark| {
        let (_, pid) = name.rsplit_once(mark)?;
        pid.parse().ok()
    })
}

/// Whether process `pid` is running; `true` when it cannot be told (nothing is then removed).
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// How long a staging entry must have been left untouched before it counts as stale: on a
/// shared file system, its process may be running on another machine.
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes the hidden staging folders and temporary files that processes no longer running left
/// in `dir` (a `kill -9` runs no clean-up) and that nothing has touched for [`STALE_AFTER`];
/// returns how many. Best effort: what cannot be removed is left.
pub fn remove_stale(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let me = std::process::id();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = staging_pid(&name) else {
            continue;
        };
        let untouched = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if pid == me || !untouched || alive(pid) {
            continue;
        }
        let path = entry.path();
        let gone = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed += usize::from(gone.is_ok());
    }
    removed
}

/// Removes this process's hidden staging entries in `dir`.
fn remove_own(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        if staging_pid(&entry.file_name().to_string_lossy()) == Some(me) {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}

/// Prepares `dir` for outputs that other crates stage there: removes what dead processes left,
/// and makes Ctrl-C remove what this one leaves.
pub fn guard_folder(dir: &Path) {
    install_signal_handler();
    remove_stale(dir);
    let mut folders = locked(&CLEAN_ON_INTERRUPT);
    if !folders.iter().any(|d| d == dir) {
        folders.push(dir.to_path_buf());
    }
}

/// Renames onto `--out DIR`, which may exist if empty.
fn rename_exact(from: &Path, target: &Path) -> Result<()> {
    if target.is_dir() {
        // Fails, as it should, if the folder was filled during the run.
        std::fs::remove_dir(target).map_err(|e| {
            user(format!(
                "--out {}: the folder was filled while truce ran ({e}); nothing was written, run again with a new folder",
                target.display()
            ))
        })?;
    }
    std::fs::rename(from, target)
        .with_context(|| format!("cannot move the results into {}", target.display()))
}

/// Renames onto `target`, or `target-2`, `target-3`, ... when another run took the name.
fn rename_free(from: &Path, target: &Path) -> Result<PathBuf> {
    for attempt in 1..1000 {
        let candidate = if attempt == 1 {
            target.to_path_buf()
        } else {
            let mut name = target.file_name().unwrap_or_default().to_os_string();
            name.push(format!("-{attempt}"));
            target.with_file_name(name)
        };
        if candidate.exists() {
            continue;
        }
        match std::fs::rename(from, &candidate) {
            Ok(()) => return Ok(candidate),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::AlreadyExists | ErrorKind::DirectoryNotEmpty
                ) =>
            {
                continue;
            }
            Err(e) => {
                return Err(anyhow::Error::new(e).context(format!(
                    "cannot move the results into {}",
                    candidate.display()
                )));
            }
        }
    }
    anyhow::bail!(
        "cannot find a free folder name next to {}",
        target.display()
    )
}

/// The parent of a path, `.` for a bare name.
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn lock() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    locked(&STAGING)
}

/// Locks a mutex; a panic while holding one of these locks leaves valid data, so poisoning is ignored.
fn locked<T>(mutex: &'static Mutex<T>) -> std::sync::MutexGuard<'static, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `work` (renaming finished files into place, rewriting a manifest) so that Ctrl-C waits
/// until it is done: the folder is never left between the two.
pub fn committing<T>(work: impl FnOnce() -> T) -> T {
    let _guard = locked(&COMMIT);
    work()
}

/// Replaces what an interruption prints (by default, that no results were written).
pub fn set_interrupt_note(note: String) {
    *locked(&INTERRUPT_NOTE) = Some(note);
}

/// On Ctrl-C, SIGTERM or SIGHUP: wait for a commit in progress, remove the staging folders and
/// temporary files, print what is left, and exit with 130.
pub fn install_signal_handler() {
    // Failing to install it (already installed, or no signal support) only loses the clean-up.
    let _ = ctrlc::set_handler(|| {
        let _guard = locked(&COMMIT);
        for dir in lock().drain(..) {
            let _ = std::fs::remove_dir_all(&dir);
        }
        for file in locked(&TEMPORARY).drain(..) {
            let _ = std::fs::remove_file(&file);
        }
        for dir in locked(&CLEAN_ON_INTERRUPT).iter() {
            remove_own(dir);
        }
        for dir in locked(&CREATED).iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
        match locked(&INTERRUPT_NOTE).as_deref() {
            Some(note) => eprintln!("\ninterrupted: {note}"),
            None => eprintln!("\ninterrupted: no results were written"),
        }
        std::process::exit(INTERRUPTED);
    });
}

/// A file being written under a hidden temporary name beside its final path, renamed onto it by
/// [`TempFile::persist`]; dropped unpersisted, or on Ctrl-C, it is removed.
#[derive(Debug)]
pub struct TempFile {
    path: PathBuf,
    target: PathBuf,
}

/// What marks a temporary file's name: `.<final name>.tmp-<process id>`.
pub const TEMPORARY_MARK: &str = ".tmp-";

impl TempFile {
    /// A temporary path for `target`, in the same folder (so the rename is atomic).
    pub fn new(target: &Path) -> Self {
        let mut name = OsString::from(".");
        name.push(target.file_name().unwrap_or_default());
        name.push(format!("{TEMPORARY_MARK}{}", std::process::id()));
        let path = parent_of(target).join(name);
        locked(&TEMPORARY).push(path.clone());
        Self {
            path,
            target: target.to_path_buf(),
        }
    }

    /// Where to write.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the written file to disk and renames it onto its final path.
    pub fn persist(self) -> Result<()> {
        std::fs::File::open(&self.path)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("cannot flush {} to disk", self.path.display()))?;
        std::fs::rename(&self.path, &self.target).with_context(|| {
            format!(
                "cannot rename {} to {}",
                self.path.display(),
                self.target.display()
            )
        })?;
        locked(&TEMPORARY).retain(|p| *p != self.path);
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let mut registered = locked(&TEMPORARY);
        if registered.contains(&self.path) {
            let _ = std::fs::remove_file(&self.path);
            registered.retain(|p| *p != self.path);
        }
    }
}

/// Whether a file name is one of [`TempFile`]'s, left behind by a killed process.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && name.contains(TEMPORARY_MARK)
}

/// Writes `text` to `path` atomically: whole or not at all.
pub fn write_atomically(path: &Path, text: &[u8]) -> Result<()> {
    let temp = TempFile::new(path);
    std::fs::write(temp.path(), text)
        .with_context(|| format!("cannot write {}", temp.path().display()))?;
    temp.persist()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committed_folder_holds_its_files_and_no_staging_remains() {
        let root = tempfile::tempdir().unwrap();
        let staging = Staging::create(Destination::timestamped(root.path(), "s", "t")).unwrap();
        std::fs::write(staging.path().join("a.txt"), "a").unwrap();
        let folder = staging.commit().unwrap();
        assert_eq!(folder, root.path().join("s/t"));
        assert!(folder.join("a.txt").exists());
        let names: Vec<_> = std::fs::read_dir(root.path().join("s")).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_dropped_staging_folder_leaves_nothing() {
        let root = tempfile::tempdir().unwrap();
        let staging = Staging::create(Destination::Exact(root.path().join("out"))).unwrap();
        std::fs::write(staging.path().join("a.txt"), "a").unwrap();
        drop(staging);
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_taken_timestamp_gets_a_suffix() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("s/t")).unwrap();
        std::fs::write(root.path().join("s/t/x"), "").unwrap();
        let staging = Staging::create(Destination::timestamped(root.path(), "s", "t")).unwrap();
        assert_eq!(staging.commit().unwrap(), root.path().join("s/t-2"));
    }

    #[test]
    fn a_temporary_file_is_renamed_whole_or_removed() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("a.txt");
        write_atomically(&target, b"whole").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "whole");
        let temp = TempFile::new(&root.path().join("b.txt"));
        std::fs::write(temp.path(), "half").unwrap();
        let name = temp
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(is_temporary(&name), "{name}");
        drop(temp);
        let names: Vec<_> = std::fs::read_dir(root.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_dropped_staging_folder_removes_the_parents_it_made() {
        let root = tempfile::tempdir().unwrap();
        let staging = Staging::create(Destination::timestamped(root.path(), "s", "t")).unwrap();
        assert!(root.path().join("s").is_dir());
        drop(staging);
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
    }

    #[test]
    fn staging_left_by_dead_processes_is_removed_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        // No process has an id this high on Linux (the kernel's limit is 2^22).
        let dead = 4_194_999;
        let me = std::process::id();
        for name in [
            format!(".t.partial-{dead}"),
            format!(".t.partial-{me}"),
            "kept.partial-1".to_string(),
        ] {
            std::fs::create_dir(root.path().join(name)).unwrap();
        }
        std::fs::write(root.path().join(format!(".a.png.tmp-{dead}")), "x").unwrap();
        std::fs::write(root.path().join(format!(".b.png.tmp-{dead}")), "x").unwrap();
        std::fs::write(root.path().join("report.html"), "x").unwrap();
        // Left an hour ago, but for .b.png's, which might be a live process's on another machine.
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for entry in std::fs::read_dir(root.path()).unwrap() {
            let path = entry.unwrap().path();
            if !path.ends_with(format!(".b.png.tmp-{dead}")) {
                std::fs::File::open(&path)
                    .unwrap()
                    .set_modified(hour_ago)
                    .unwrap();
            }
        }
        let expected = if Path::new("/proc/self").exists() {
            2
        } else {
            0
        };
        assert_eq!(remove_stale(root.path()), expected);
        if expected == 2 {
            let mut names: Vec<String> = std::fs::read_dir(root.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            assert_eq!(
                names,
                [
                    format!(".b.png.tmp-{dead}"),
                    format!(".t.partial-{me}"),
                    "kept.partial-1".into(),
                    "report.html".into()
                ]
            );
        }
    }

    #[test]
    fn a_non_empty_out_folder_is_refused() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("x"), "").unwrap();
        let err = Destination::exact(root.path()).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), 2);
        assert!(Destination::exact(&root.path().join("new")).is_ok());
        assert!(Destination::exact(&root.path().join("x")).is_err());
    }
}
