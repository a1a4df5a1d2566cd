//! Errors and exit codes.
//!
//! A [`UserError`] anywhere in an error's chain means the input was at fault (exit code 2):
//! its message names the file or flag, the key and the fix.
//! Any other error is internal (exit code 1). Clap's own usage errors exit with 2 before we get here,
//! and an interrupted run exits with 130 from the signal handler ([`crate::output::Staging`]).

use std::fmt;
use std::io::Write;
use std::process::ExitCode;

/// Exit code of a run stopped by Ctrl-C or a termination signal.
pub const INTERRUPTED: i32 = 130;

/// Bad input from the person running truce: a missing or invalid config, a bad flag, an occupied output folder.
#[derive(Debug)]
pub struct UserError(pub String);

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// A [`UserError`] with this message, as an [`anyhow::Error`].
pub fn user(message: impl Into<String>) -> anyhow::Error {
    UserError(message.into()).into()
}

/// The exit code for an error: 2 for bad input, 1 otherwise.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if err.chain().any(|cause| cause.is::<UserError>()) {
        2
    } else {
        1
    }
}

/// Prints an error with its whole chain of causes to standard error.
pub fn print(err: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    // Nothing useful is left to do when standard error itself is gone.
    let _ = writeln!(stderr, "error: {}", message(err));
}

/// The error and its causes, joined by `: `, leaving out a cause that an earlier message already
/// quotes (so that "No space left on device" is said once).
pub fn message(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// Prints an error and returns its exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    print(err);
    ExitCode::from(exit_code(err))
}

/// Writes text to standard output; a closed pipe (`truce ... | head`) is not an error.
pub fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("cannot write to standard output"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn user_errors_exit_with_2_even_under_context() {
        let err = Err::<(), _>(user("x.toml: name: must not be empty"))
            .context("while running")
            .unwrap_err();
        assert_eq!(exit_code(&err), 2);
        assert_eq!(exit_code(&anyhow::anyhow!("disk full")), 1);
    }

    #[test]
    fn a_cause_already_quoted_is_said_once() {
        let io = std::io::Error::from_raw_os_error(28);
        let quoted = format!("cannot write x ({io})");
        let err = anyhow::Error::new(io)
            .context(quoted)
            .context("cannot plot");
        let text = message(&err);
        assert_eq!(text.matches("No space left on device").count(), 1, "{text}");
        assert!(text.starts_with("cannot plot: cannot write x ("), "{text}");
    }
}
