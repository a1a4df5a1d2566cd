"""truce.ema: a truce scenario as an EMA Workbench model, its uncertainties and levers named by the
scenario's dotted keys.

Each experiment runs ``replications`` replications of the scenario with the experiment's values
set as overrides (same seed for every experiment: common random numbers) and reports
:data:`OUTCOMES`. Needs ``ema_workbench`` (``pip install "truce[ema]"``).

>>> from truce import ema
>>> model = ema.model("configs/baseline.toml",
...                   uncertainties={"guarantors.reassurance.p_tripwire": (0.1, 0.9)},
...                   levers={"guarantors.air_cover.level": ["none", "no_fly_zone"]},
...                   replications=100)
>>> [u.name for u in model.uncertainties]
['guarantors_reassurance_p_tripwire']
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, Optional, Sequence, Union

import polars as pl

import truce

from ema_workbench import (
    CategoricalParameter,
    IntegerParameter,
    Model,
    RealParameter,
    ScalarOutcome,
)
from ema_workbench.em_framework.parameters import Parameter

__all__ = ["OUTCOMES", "Experiment", "model", "name_of", "outcomes", "parameter"]

#: The outcomes of an experiment, from its records:
#: ``p_collapse`` (share of replications whose ceasefire collapsed within the horizon),
#: ``p_serious_violation`` (share with a serious violation: a land grab, a deep strike or an offensive),
#: ``median_first_violation_day`` (median day of the first serious violation, counting replications
#: without one as later than any day; NaN when fewer than half have one).
OUTCOMES = ("p_collapse", "p_serious_violation", "median_first_violation_day")

#: A range: ``(low, high)`` of ints (an integer parameter) or of floats (a real one), a list of
#: values (a categorical one), or an EMA parameter as it is.
Range = Union[tuple, Sequence[Any], Parameter]


def outcomes(records: pl.DataFrame) -> dict[str, float]:
    """The :data:`OUTCOMES` of the records of one experiment.

    >>> outcomes(truce.run(replications=50, seed=1))["p_collapse"]  # doctest: +SKIP
    0.04
    """
    median = records["first_violation_day"].fill_null(math.inf).median()
    return {
        "p_collapse": float(records["collapsed"].mean()),
        "p_serious_violation": float(records["violated"].mean()),
        "median_first_violation_day": math.nan if median is None or math.isinf(median) else float(median),
    }


def name_of(key: str) -> str:
    """An EMA name (a Python identifier) for a dotted key: ``sectors[0].value`` becomes ``sectors_0_value``.

    >>> name_of("guarantors.air_cover.level")
    'guarantors_air_cover_level'
    """
    return re.sub(r"_+", "_", re.sub(r"[^0-9A-Za-z_]", "_", key)).strip("_")


def parameter(key: str, values: Range) -> Parameter:
    """The EMA parameter for ``key``, named :func:`name_of` ``key``, passed to the model as ``key``.

    >>> parameter("guarantors.reassurance.troops_rear", (0, 30))
    IntegerParameter('guarantors_reassurance_troops_rear', 0, 30, resolution=None, default=None, variable_name=['guarantors.reassurance.troops_rear'], pff=False)
    """
    if isinstance(values, Parameter):
        return values
    name = name_of(key)
    if isinstance(values, tuple) and len(values) == 2 and not any(isinstance(v, (bool, str)) for v in values):
        low, high = values
        if isinstance(low, int) and isinstance(high, int):
            return IntegerParameter(name, low, high, variable_name=key)
        return RealParameter(name, float(low), float(high), variable_name=key)
    if isinstance(values, (list, tuple)) and values:
        return CategoricalParameter(name, list(values), variable_name=key)
    raise ValueError(
        f"{key}: give (low, high) for a numeric range or a list of values, not {values!r}"
    )


class Experiment:
    """The model's function: runs one experiment's replications and returns its outcomes.
    Picklable, so EMA's multiprocessing evaluator can use it.

    >>> Experiment(None, replications=20, seed=1)(**{"guarantors.air_cover.level": "none"})["p_collapse"]  # doctest: +SKIP
    """

    def __init__(
        self,
        config: truce.Config,
        replications: Optional[int] = None,
        seed: Optional[int] = None,
        threads: Optional[int] = None,
        overrides: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self.config = config
        self.replications = replications
        self.seed = seed
        self.threads = threads
        self.overrides = dict(overrides or {})

    def records(self, **experiment: Any) -> pl.DataFrame:
        """The records of one experiment."""
        return truce.run(
            self.config,
            replications=self.replications,
            seed=self.seed,
            threads=self.threads,
            overrides={**self.overrides, **experiment},
            progress=False,
        )

    def __call__(self, **experiment: Any) -> dict[str, float]:
        return outcomes(self.records(**experiment))


def model(
    config: truce.Config = None,
    uncertainties: Optional[Mapping[str, Range]] = None,
    levers: Optional[Mapping[str, Range]] = None,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    name: str = "truce",
) -> Model:
    """An EMA Workbench ``Model`` of a scenario. ``uncertainties`` and ``levers`` map dotted keys to
    ranges (see :data:`Range`); every key is checked against the scenario first, and a bad one
    raises :class:`truce.ConfigError`. ``replications``, ``seed`` and ``overrides`` apply to every
    experiment. Outcomes: :data:`OUTCOMES`.

    >>> m = model(levers={"guarantors.reassurance.troops_rear": (0, 30)}, replications=50)
    >>> [o.name for o in m.outcomes]
    ['p_collapse', 'p_serious_violation', 'median_first_violation_day']
    """
    uncertainties = dict(uncertainties or {})
    levers = dict(levers or {})
    _check_keys(config, [*uncertainties, *levers], overrides)
    function = Experiment(config, replications, seed, threads, overrides)
    m = Model(name, function=function)
    m.uncertainties = [parameter(k, v) for k, v in uncertainties.items()]
    m.levers = [parameter(k, v) for k, v in levers.items()]
    m.outcomes = [ScalarOutcome(o) for o in OUTCOMES]
    return m


def _check_keys(config: truce.Config, keys: list[str], overrides: Optional[Mapping[str, Any]]) -> None:
    """Refuses a bad config, bad overrides, and keys the scenario does not have (with the nearest
    keys suggested), before any experiment runs."""
    source, origin, folder = truce._source(config)
    base = truce._plain(overrides) if overrides else {}
    found = truce._truce.validate(source, origin, folder, overrides=base or None)
    if found is not None:
        raise truce.ConfigError(*found)
    problems = []
    for key in keys:
        # A value no key accepts: of the problems it makes, only an unknown key's matters here.
        found = truce._truce.validate(source, origin, folder, overrides={**base, key: "\u0000"})
        problems += [p for p in (found or ("", []))[1] if "is not a key of the scenario" in p[1]]
    if problems:
        report = "\n".join(f"{origin}: {k}: {m}" for k, m, _ in problems)
        if len(problems) > 1:
            report = f"{origin}: {len(problems)} problems\n{report}"
        raise truce.ConfigError(report, problems)
