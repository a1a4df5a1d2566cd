"""Shared fixtures of the Python package's tests: the repository root as working folder, and the
`truce` binary to compare with (``$CARGO_TARGET_DIR/release/truce``, ``target/release/truce`` or on PATH)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    """Paths in the tests, and in the command line's messages, are relative to the repository."""
    monkeypatch.chdir(ROOT)


def _binary():
    candidates = []
    if os.environ.get("TRUCE_BIN"):
        candidates.append(Path(os.environ["TRUCE_BIN"]))
    if os.environ.get("CARGO_TARGET_DIR"):
        candidates.append(Path(os.environ["CARGO_TARGET_DIR"]) / "release" / "truce")
    candidates.append(ROOT / "target" / "release" / "truce")
    for c in candidates:
        if c.is_file():
            return str(c)
    return shutil.which("truce")


@pytest.fixture(scope="session")
def cli():
    """Runs the truce binary from the repository root; returns the completed process."""
    binary = _binary()
    if binary is None:
        pytest.fail(
            "no truce binary: build it with `cargo build --release` (or set TRUCE_BIN) to compare with the command line"
        )

    def call(*args, check=True):
        done = subprocess.run([binary, *map(str, args)], cwd=ROOT, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"truce {' '.join(map(str, args))} failed:\n{done.stderr}")
        return done

    return call
