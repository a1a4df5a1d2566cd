"""Type hints of the native module ``truce._truce`` (built from ``crates/truce-py``). Use the functions
of ``truce`` rather than these: they read files and build polars frames.

>>> from truce import _truce
>>> _truce.validate(None, "<built-in baseline>", ".") is None
True
"""

from typing import Any, Callable, Optional, Union

__version__: str
BASELINE: str

#: ``(name, type, values)``: type is ``"u64"``, ``"f64"``, ``"bool"`` or ``"str"``.
Column = tuple[str, str, list[Any]]
#: TOML text, a dict of its keys, or ``None`` for the baseline.
Source = Union[str, dict[str, Any], None]
Progress = Optional[Callable[[int, int], None]]

def run(
    config: Source,
    origin: str,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    overrides: Optional[dict[str, Any]] = None,
    progress: Progress = None,
) -> bytes:
    """The bytes of the ``runs.parquet`` of replications ``0..n`` of point 0.

    >>> len(run(None, "<built-in baseline>", replications=2)) > 0
    True
    """

def validate(
    config: Source, origin: str, dir: str, overrides: Optional[dict[str, Any]] = None
) -> Optional[tuple[str, list[tuple[str, str, Optional[int]]]]]:
    """``None`` when valid, else the command line's report and every ``(key, message, line)``.

    >>> validate({"horizon_days": -1}, "<dict>", ".")[1][0][0]
    'horizon_days'
    """

def trace(
    config: Source,
    origin: str,
    replication: int,
    seed: Optional[int] = None,
    overrides: Optional[dict[str, Any]] = None,
) -> list[Column]:
    """The columns of one replication's event trace.

    >>> [name for name, _, _ in trace(None, "<built-in baseline>", 0)][:2]
    ['time_minutes', 'day']
    """

def sweep(
    config: Source,
    origin: str,
    dir: str,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    yes: bool = False,
    overrides: Optional[dict[str, Any]] = None,
    progress: Progress = None,
) -> tuple[bytes, list[Column]]:
    """The bytes of a sweep's ``runs.parquet`` and the columns of its points.

    >>> data, points = sweep(open("configs/sweeps/air_cover_vs_troops.toml").read(), "s", "configs/sweeps", replications=1)  # doctest: +SKIP
    """

def design(
    config: Source, origin: str, dir: str, seed: Optional[int] = None, yes: bool = False
) -> list[Column]:
    """The columns of a sweep's points.

    >>> design(open("configs/sweeps/air_cover_vs_troops.toml").read(), "s", "configs/sweeps")[0][0]  # doctest: +SKIP
    'point'
    """
