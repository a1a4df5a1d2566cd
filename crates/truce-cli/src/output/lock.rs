//! An advisory lock on a sweep folder, held for a whole run, so that two processes never work on
//! one folder at once: the second is refused at once, with the first one's process id.
//!
//! The lock is `flock` (through `fs4`) on `DIR/.truce-lock`, which holds the owner's process id.
//! The file is removed when the lock is released; a file left by a killed process is not locked
//! and is taken over. After locking, the holder checks that the path still names the file it
//! locked, since its previous holder may have removed it in between.

use crate::error::user;
use anyhow::{Context, Result};
use fs4::{FileExt, TryLockError};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file's name in a locked folder.
pub const LOCK: &str = ".truce-lock";

/// A held lock; released (and its file removed) on drop.
#[derive(Debug)]
pub struct FolderLock {
    file: File,
    path: PathBuf,
}

impl FolderLock {
    /// Locks `dir`, or refuses (bad input) when another process holds it. `what` names the
    /// command-line argument that named the folder, for the message.
    pub fn acquire(dir: &Path, what: &str) -> Result<Self> {
        let path = dir.join(LOCK);
        for _ in 0..100 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .with_context(|| format!("cannot open the lock file {}", path.display()))?;
            match FileExt::try_lock(&file) {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let mut pid = String::new();
                    let _ = file.read_to_string(&mut pid);
                    let pid = match pid.trim() {
                        "" => String::new(),
                        p => format!(" (process id {p})"),
                    };
                    return Err(user(format!(
                        "{what} {}: another truce process{pid} is working on this folder; \
                         wait for it to finish (or stop it), then run this again",
                        dir.display()
                    )));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(
                        anyhow::Error::new(e).context(format!("cannot lock {}", path.display()))
                    );
                }
            }
            if !same_file(&file, &path) {
                // Its holder removed it between our open and our lock: try again with a new file.
                continue;
            }
            file.set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| write!(file, "{}", std::process::id()))
                .with_context(|| format!("cannot write the lock file {}", path.display()))?;
            return Ok(Self { file, path });
        }
        anyhow::bail!(
            "cannot lock {}: its lock file keeps changing",
            path.display()
        )
    }

    /// The folder was renamed (a staging folder committed into place): the lock file moved with it.
    pub fn moved_to(&mut self, dir: &Path) {
        self.path = dir.join(LOCK);
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Removed while still locked, so nobody locks a file that is about to disappear unseen.
        let _ = std::fs::remove_file(&self.path);
        let _ = FileExt::unlock(&self.file);
    }
}

/// Whether `path` still names the open `file`.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_with_the_first_holders_pid() {
        let dir = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(dir.path(), "--resume").unwrap();
        let err = FolderLock::acquire(dir.path(), "--resume").unwrap_err();
        assert_eq!(crate::error::exit_code(&err), 2);
        let pid = std::process::id().to_string();
        assert!(err.to_string().contains(&pid), "{err}");
        drop(first);
        assert!(!dir.path().join(LOCK).exists());
        let again = FolderLock::acquire(dir.path(), "--resume").unwrap();
        drop(again);
    }

    #[test]
    fn a_stale_lock_file_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(LOCK), "999999").unwrap();
        let lock = FolderLock::acquire(dir.path(), "--resume").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(LOCK)).unwrap(),
            std::process::id().to_string()
        );
        drop(lock);
    }
}
