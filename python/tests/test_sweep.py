"""truce.sweep and truce.design against `truce sweep` and `truce design`."""

import pathlib

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import truce

SWEEP = "configs/sweeps/air_cover_vs_troops.toml"


def test_sweep_gives_the_records_of_truce_sweep(cli, tmp_path):
    out = tmp_path / "out"
    cli("sweep", SWEEP, "--replications", 6, "--seed", 4, "--out", out, "--quiet", "--yes")
    expected = pl.read_parquet(out / "runs.parquet")
    points = pl.read_parquet(out / "points.parquet")
    records = truce.sweep(SWEEP, replications=6, seed=4, progress=False)
    parameters = ["guarantors.air_cover.level", "guarantors.reassurance.troops_rear"]
    assert records.columns[:4] == ["point", "replication", *parameters]
    assert_frame_equal(records.drop(parameters), expected, check_exact=True)
    joined = expected.select("point").join(points, on="point", how="left", maintain_order="left")
    assert_frame_equal(records.select(parameters), joined.select(parameters))


PRECISION = """
name = "precision_small"
horizon_days = 120.0
[sweep]
base = "{base}"
design = "grid"
chunk_replications = 20
[sweep.precision]
outcome = "violated"
half_width = 0.12
min_replications = 20
max_replications = 200
[[sweep.parameters]]
key = "guarantors.air_cover.level"
values = ["none", "on_call", "no_fly_zone"]
"""


def test_a_precision_sweep_stops_where_truce_sweep_stops(cli, tmp_path):
    path = tmp_path / "precision.toml"
    path.write_text(PRECISION.format(base=(pathlib.Path.cwd() / "configs/baseline.toml").as_posix()))
    out = tmp_path / "out"
    cli("sweep", path, "--seed", 9, "--out", out, "--quiet", "--yes")
    expected = pl.read_parquet(out / "runs.parquet")
    records = truce.sweep(path, seed=9)
    counts = records.group_by("point").len()["len"]
    assert counts.min() >= 20 and records.height < 3 * 200
    assert_frame_equal(records.select(expected.columns), expected, check_exact=True)


@pytest.mark.parametrize("sweep", [SWEEP, "configs/sweeps/morris_screening.toml", "configs/sweeps/sobol_screening.toml"])
def test_design_gives_the_points_of_truce_design(cli, tmp_path, sweep):
    out = tmp_path / "points.parquet"
    cli("design", sweep, "--out", out, "--yes")
    assert_frame_equal(truce.design(sweep, yes=True), pl.read_parquet(out), check_exact=True)


def test_a_bad_sweep_raises_every_problem():
    bad = {
        "name": "bad",
        "sweep": {
            "design": "grid",
            "parameters": [{"key": "guarantors.air_cover.levle", "values": ["isr"]}],
        },
    }
    with pytest.raises(truce.ConfigError) as e:
        truce.sweep(bad)
    assert e.value.problems[0].key.startswith("sweep.parameters[0]")
    assert "guarantors.air_cover.level" in e.value.problems[0].message
