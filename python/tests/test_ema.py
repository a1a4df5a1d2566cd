"""truce.ema and examples/python/ema_air_cover.py: the example runs at a small size and each of its
experiments' outcomes equal those of a direct truce.run of the same experiment."""

import importlib.util
import math
from pathlib import Path

import pytest

pytest.importorskip(
    "ema_workbench",
    reason="ema_workbench is not installed (pip install ema_workbench): the EMA example is not tested",
)

import truce  # noqa: E402
from truce import ema  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "python" / "ema_air_cover.py"


def load_example():
    spec = importlib.util.spec_from_file_location("ema_air_cover", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def test_the_example_runs_and_its_outcomes_equal_direct_runs(tmp_path):
    example = load_example()
    experiments, outcomes = example.main(
        ["--scenarios", "2", "--policies", "2", "--replications", "40", "--seed", "3", "--out", str(tmp_path)]
    )
    assert (tmp_path / "ema_air_cover.png").stat().st_size > 0
    assert len(experiments) == 4
    keys = {**example.UNCERTAINTIES, **example.LEVERS}
    for i, row in experiments.iterrows():
        overrides = {key: row[ema.name_of(key)] for key in keys}
        direct = ema.outcomes(truce.run(example.BASELINE, replications=40, seed=3, overrides=overrides))
        for name in ema.OUTCOMES:
            assert same(float(outcomes[name][i]), direct[name]), (name, overrides)


def test_an_unknown_key_is_refused_before_any_experiment():
    with pytest.raises(truce.ConfigError) as e:
        ema.model(levers={"guarantors.air_cover.levle": ["none", "isr"]})
    assert e.value.problems[0].key == "guarantors.air_cover.levle"
    assert "guarantors.air_cover.level" in e.value.problems[0].message


def test_ranges_become_parameters_of_their_kind():
    from ema_workbench import CategoricalParameter, IntegerParameter, RealParameter

    assert isinstance(ema.parameter("a.b", (0, 3)), IntegerParameter)
    assert isinstance(ema.parameter("a.b", (0.0, 3)), RealParameter)
    p = ema.parameter("a[1].b", ["x", "y"])
    assert isinstance(p, CategoricalParameter) and p.name == "a_1_b" and p.variable_name == ["a[1].b"]
