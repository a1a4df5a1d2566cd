"""truce.run, truce.trace and truce.validate against the command line: the same records for the
same config and seed, overrides equal to an edited config, and the same problems for bad configs."""

import re
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import truce
from truce import _truce

BAD = sorted(Path("tests/bad_configs").glob("*.toml")) or sorted(
    (Path(__file__).resolve().parents[2] / "tests" / "bad_configs").glob("*.toml")
)


@pytest.mark.parametrize("config", ["configs/baseline.toml", "configs/tripwire_on_the_line.toml"])
def test_run_gives_the_records_of_truce_run(cli, tmp_path, config):
    out = tmp_path / "out"
    cli("run", config, "--replications", 60, "--seed", 11, "--out", out, "--quiet")
    expected = pl.read_parquet(out / "runs.parquet")
    records = truce.run(config, replications=60, seed=11, progress=False)
    assert_frame_equal(records, expected, check_exact=True)


def test_records_do_not_depend_on_threads_text_or_dict():
    text = Path("configs/baseline.toml").read_text()
    one = truce.run("configs/baseline.toml", replications=300, seed=5, threads=1)
    assert one.height == 300
    assert_frame_equal(truce.run(text, replications=300, seed=5, threads=2), one)
    config = {"name": "baseline", "horizon_days": 730.0}
    assert_frame_equal(truce.run(config, replications=40, seed=5), one.head(40))


def test_the_baseline_is_the_default():
    assert_frame_equal(truce.run(replications=20), truce.run("configs/baseline.toml", replications=20))


def test_overrides_equal_an_edited_config(tmp_path):
    text = Path("configs/baseline.toml").read_text()
    edited = re.sub(r'(?m)^level = "on_call"', 'level = "no_fly_zone"', text)
    edited = re.sub(r"(?m)^troops_rear = 15\.0", "troops_rear = 25.0", edited)
    assert edited.count("no_fly_zone") > text.count("no_fly_zone") and "troops_rear = 25.0" in edited
    path = tmp_path / "edited.toml"
    path.write_text(edited)
    overrides = {"guarantors.air_cover.level": "no_fly_zone", "guarantors.reassurance.troops_rear": 25}
    records = truce.run("configs/baseline.toml", replications=200, seed=3, overrides=overrides)
    assert_frame_equal(records, truce.run(path, replications=200, seed=3))
    assert not records.equals(truce.run("configs/baseline.toml", replications=200, seed=3))


def test_an_unknown_override_names_the_nearest_keys():
    with pytest.raises(truce.ConfigError) as e:
        truce.run(overrides={"guarantors.air_cover.levle": "isr"})
    [problem] = e.value.problems
    assert problem.key == "guarantors.air_cover.levle"
    assert '"guarantors.air_cover.level"' in problem.message
    assert str(e.value).startswith("<built-in baseline>: guarantors.air_cover.levle: ")


def test_a_bad_override_value_is_reported_with_its_key():
    problems = truce.validate(None, overrides={"guarantors.air_cover.level": "carrier_group"})
    assert [p.key for p in problems] == ["guarantors.air_cover.level"], problems
    assert truce.validate(None, overrides={"horizon_days": 30}) == []


@pytest.mark.parametrize("bad", BAD, ids=lambda p: p.stem)
def test_every_bad_config_raises_the_problems_the_command_line_prints(cli, tmp_path, bad):
    relative = bad.relative_to(Path.cwd()) if bad.is_absolute() else bad
    done = cli("run", relative, "--out", tmp_path / "out", check=False)
    assert done.returncode == 2, done.stderr
    with pytest.raises(truce.ConfigError) as e:
        truce.run(relative)
    assert done.stderr == f"error: {e.value}\n"
    expected = Path(f"{bad.with_suffix('')}.expected").read_text()
    for line in filter(None, map(str.strip, expected.splitlines())):
        assert line in str(e.value)
    assert e.value.problems and all(isinstance(p, truce.Problem) for p in e.value.problems)
    assert truce.validate(relative) == e.value.problems
    assert not (tmp_path / "out").exists()


def test_a_valid_config_has_no_problems():
    assert truce.validate("configs/baseline.toml") == []
    assert truce.validate("configs/sweeps/air_cover_vs_troops.toml") == []


def test_trace_gives_the_events_of_truce_run_trace(cli, tmp_path):
    out = tmp_path / "out"
    cli("run", "configs/baseline.toml", "-n", 4, "--seed", 2, "--trace", 3, "--out", out, "--quiet")
    expected = pl.read_csv(out / "trace_3.csv", schema_overrides={"sector": pl.UInt64, "time_minutes": pl.UInt64})
    events = truce.trace("configs/baseline.toml", replication=3, seed=2)
    assert events.columns == expected.columns
    assert events.height == expected.height > 0
    assert_frame_equal(events.drop("day"), expected.drop("day"), check_dtypes=False)
    # The CSV holds days to four decimals.
    assert (events["day"] - expected["day"]).abs().max() <= 0.5e-4 + 1e-12


def test_progress_counts_every_replication():
    seen = []
    _truce.run(None, "<built-in baseline>", replications=600, progress=lambda done, total: seen.append((done, total)))
    assert sum(d for d, _ in seen) == 600 and {t for _, t in seen} == {600}


def test_a_sweep_file_is_refused_by_run():
    with pytest.raises(truce.ConfigError, match="truce.sweep"):
        truce.run("configs/sweeps/air_cover_vs_troops.toml")
