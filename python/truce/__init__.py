"""truce from Python: run ceasefire-deterrence scenarios and sweeps and get their records as polars frames.

The records are those ``truce run`` and ``truce sweep`` write to ``runs.parquet``, value for value:
the same engine, the same seeds and the same Parquet writer. Configs are checked as the command
line checks them; bad ones raise :class:`ConfigError` with every problem and its key path.

>>> import truce
>>> runs = truce.run("configs/baseline.toml", replications=200, seed=7)
>>> runs["collapsed"].mean()  # doctest: +SKIP
"""

from __future__ import annotations

import builtins
import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple, Optional, Union

import polars as pl

from . import _truce

__all__ = [
    "BASELINE",
    "Config",
    "ConfigError",
    "Problem",
    "__version__",
    "design",
    "run",
    "sweep",
    "trace",
    "validate",
]

__version__: str = _truce.__version__

#: The text of the built-in baseline scenario (``configs/baseline.toml``), used when no config is given.
BASELINE: str = _truce.BASELINE

#: A config: a path to a TOML file, TOML text, a dict of the same keys, or ``None`` for the baseline.
Config = Union[str, "os.PathLike[str]", Mapping[str, Any], None]


class Problem(NamedTuple):
    """One problem with a config: its dotted key path (empty for the whole file), what is wrong, and
    the line in the file when known.

    >>> str(Problem("horizon_days", "must be > 0 (got -1)"))
    'horizon_days: must be > 0 (got -1)'
    """

    key: str
    message: str
    line: Optional[int] = None

    def __str__(self) -> str:
        return f"{self.key}: {self.message}" if self.key else self.message


class ConfigError(ValueError):
    """A config that cannot be run. ``problems`` holds every :class:`Problem`; ``str(error)`` is the
    message ``truce`` prints after ``error:`` for the same config.

    >>> try:
    ...     truce.run({"horizon_days": -1})
    ... except truce.ConfigError as e:
    ...     print(e.problems[0].key)  # doctest: +SKIP
    horizon_days
    """

    def __init__(self, report: str, problems: list[tuple[str, str, Optional[int]]]) -> None:
        super().__init__(report)
        self.report = report
        self.problems = [Problem(*p) for p in problems]


def _plain(value: Any) -> Any:
    """Mappings as dicts and tuples as lists, all the way down."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _source(config: Config) -> tuple[Union[str, dict, None], str, str]:
    """The config's text or table, how errors name it, and the folder its ``sweep.base`` is relative to.

    A string holding a newline or ``=`` is TOML text; any other string, and any path, names a file.
    """
    here = os.getcwd()
    if config is None:
        return None, "<built-in baseline>", here
    if isinstance(config, Mapping):
        return _plain(config), "<dict>", here
    if isinstance(config, str) and ("\n" in config or "=" in config):
        return config, "<string>", here
    if isinstance(config, (str, os.PathLike)):
        path = Path(config)
        return path.read_text(encoding="utf-8"), os.fspath(config), str(path.parent)
    raise TypeError(
        f"config: give a path, TOML text, a dict or None, not a {type(config).__name__}"
    )


def _interactive() -> bool:
    """Whether a person is watching: a terminal, an interactive interpreter or a notebook."""
    return (
        sys.stderr.isatty() or hasattr(sys, "ps1") or hasattr(builtins, "__IPYTHON__")
    )


class _Progress:
    """A tqdm bar, made at the first report (when the total is known), or nothing."""

    def __init__(self, wanted: Optional[bool], what: str) -> None:
        self.bar = None
        self.tqdm = None
        self.what = what
        if wanted is False or (wanted is None and not _interactive()):
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return
        self.tqdm = tqdm

    def callback(self):
        return self if self.tqdm is not None else None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = self.tqdm(total=total, desc=self.what, unit="rep", leave=False)
        self.bar.update(done)

    def __enter__(self) -> "_Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


_TYPES = {"u64": pl.UInt64, "f64": pl.Float64, "bool": pl.Boolean, "str": pl.String}


def _frame(columns: list[tuple[str, str, list]]) -> pl.DataFrame:
    return pl.DataFrame([pl.Series(name, values, dtype=_TYPES[kind]) for name, kind, values in columns])


def _records(data: bytes) -> pl.DataFrame:
    return pl.read_parquet(io.BytesIO(data))


def run(
    config: Config = None,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    progress: Optional[bool] = None,
) -> pl.DataFrame:
    """Runs replications ``0..n`` of a scenario and returns their records, one row per replication:
    the rows and columns ``truce run CONFIG --replications N --seed S`` writes to ``runs.parquet``.

    ``config`` is a path, TOML text, a dict or ``None`` (the baseline). ``replications`` and ``seed``
    replace the config's. ``overrides`` sets dotted keys (``"guarantors.air_cover.level"``,
    ``"sectors[0].value"``), each checked against the scenario's keys. ``threads`` defaults to one
    per core. The interpreter lock is released while replications run; a tqdm bar shows progress
    when tqdm is installed and the session is interactive (``progress=False`` hides it).
    Raises :class:`ConfigError` for a bad config.

    >>> runs = truce.run("configs/baseline.toml", replications=100, seed=1,
    ...                  overrides={"guarantors.air_cover.level": "no_fly_zone"})
    >>> runs.height
    100
    """
    source, origin, _ = _source(config)
    with _Progress(progress, "replications") as bar:
        data = _truce.run(
            source,
            origin,
            replications=replications,
            seed=seed,
            threads=threads,
            overrides=_plain(overrides) if overrides else None,
            progress=bar.callback(),
        )
    return _records(data)


def sweep(
    config: Config,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    yes: bool = False,
    progress: Optional[bool] = None,
) -> pl.DataFrame:
    """Runs a sweep (a scenario with a ``[sweep]`` table) as ``truce sweep`` does and returns its
    records in the order of its ``runs.parquet``, with each point's parameter values as columns
    named by their keys, after ``point`` and ``replication``.

    ``replications`` replaces ``sweep.replications`` (not with a precision target); ``seed`` the
    base seed; ``overrides`` sets keys of the base scenario; ``yes=True`` runs a design larger than
    ``sweep.max_points``. ``sweep.base`` is relative to the sweep file (to the working folder for
    a dict or a string). Raises :class:`ConfigError` for a bad sweep.

    >>> runs = truce.sweep("configs/sweeps/air_cover_grid.toml", replications=20)  # doctest: +SKIP
    >>> runs.group_by("guarantors.air_cover.level").agg(pl.col("collapsed").mean())  # doctest: +SKIP
    """
    source, origin, folder = _source(config)
    with _Progress(progress, "sweep") as bar:
        data, points = _truce.sweep(
            source,
            origin,
            folder,
            replications=replications,
            seed=seed,
            threads=threads,
            yes=yes,
            overrides=_plain(overrides) if overrides else None,
            progress=bar.callback(),
        )
    records = _records(data)
    names = [name for name, _, _ in points]
    parameters = names[1 : names.index("role")]
    table = _frame(points).select(["point", *parameters])
    rest = [c for c in records.columns if c not in ("point", "replication")]
    return records.join(table, on="point", how="left", maintain_order="left").select(
        ["point", "replication", *parameters, *rest]
    )


def design(config: Config, seed: Optional[int] = None, yes: bool = False) -> pl.DataFrame:
    """The points of a sweep's design, checked as ``truce sweep`` checks them, running nothing:
    the columns of ``truce design SWEEP --out points.parquet`` (``point``, one column per
    parameter, ``role``, ``unit_<i>``, and the Saltelli or Morris columns). ``config`` is a sweep
    file or dict; a design-only file (a ``[design]`` table alone) is read by ``truce design``, not here.

    >>> points = truce.design("configs/sweeps/sobol_screening.toml")  # doctest: +SKIP
    >>> points.columns[:2]  # doctest: +SKIP
    ['point', 'guarantors.air_cover.auth_median_hours']
    """
    source, origin, folder = _source(config)
    return _frame(_truce.design(source, origin, folder, seed=seed, yes=yes))


def validate(config: Config, overrides: Optional[Mapping[str, Any]] = None) -> list[Problem]:
    """Every problem of a config (a scenario, or a sweep and every point of it), as ``truce
    validate`` finds them; an empty list when it is valid. Raises nothing for a bad config.

    >>> truce.validate({"horizon_days": -1})[0].key  # doctest: +SKIP
    'horizon_days'
    >>> truce.validate(None)
    []
    """
    source, origin, folder = _source(config)
    found = _truce.validate(source, origin, folder, overrides=_plain(overrides) if overrides else None)
    return [] if found is None else [Problem(*p) for p in found[1]]


def trace(
    config: Config,
    replication: int,
    seed: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
) -> pl.DataFrame:
    """The events of one replication, one row per event: ``time_minutes``, ``day``, ``event``,
    ``actor``, ``sector``, ``class``, ``outcome``, ``count``, ``covers_day``, ``mean`` and
    ``recommitment`` (the columns of ``truce run --trace REP``).

    >>> events = truce.trace("configs/baseline.toml", replication=17, seed=1)  # doctest: +SKIP
    >>> events.filter(pl.col("actor") == "aggressor").head()  # doctest: +SKIP
    """
    source, origin, _ = _source(config)
    return _frame(
        _truce.trace(
            source,
            origin,
            replication,
            seed=seed,
            overrides=_plain(overrides) if overrides else None,
        )
    )
