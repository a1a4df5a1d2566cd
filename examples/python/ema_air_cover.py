"""Exploratory modelling of air cover with the EMA Workbench: which posture of air cover and how many
foreign troops in the rear keep a ceasefire alive, when A's resolve and the coalition's will to fight
after a tripwire are deeply uncertain?

Levers: the air-cover posture (none to a no-fly zone) and the troops in the rear (0 to 30 thousand).
Uncertainties: the spread of A's resolve (``aggressor.resolve_sigma``) and the probability that
the coalition fights once its troops are hit (``guarantors.reassurance.p_tripwire``).
Every experiment runs the same replications of the baseline scenario (common random numbers).

    pip install "./python[ema]"
    python examples/python/ema_air_cover.py --scenarios 20 --policies 10 --replications 500

writes ``ema_air_cover.png`` (EMA's pairs scatter of the outcomes, by policy) into ``--out``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from ema_workbench import perform_experiments
from ema_workbench.analysis import pairs_plotting

from truce import ema

BASELINE = Path(__file__).resolve().parents[2] / "configs" / "baseline.toml"

UNCERTAINTIES = {
    "aggressor.resolve_sigma": (0.2, 1.0),
    "guarantors.reassurance.p_tripwire": (0.1, 0.9),
}
LEVERS = {
    "guarantors.air_cover.level": ["none", "isr", "air_defence", "on_call", "no_fly_zone"],
    "guarantors.reassurance.troops_rear": (0, 30),
}


def build(replications: int, seed: int):
    """The EMA model of the baseline scenario with these uncertainties and levers."""
    return ema.model(
        BASELINE,
        uncertainties=UNCERTAINTIES,
        levers=LEVERS,
        replications=replications,
        seed=seed,
    )


def main(argv: list[str] | None = None):
    """Runs the experiments, draws the chart and returns EMA's ``(experiments, outcomes)``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=20, help="samples of the uncertainties")
    parser.add_argument("--policies", type=int, default=10, help="samples of the levers")
    parser.add_argument("--replications", type=int, default=500, help="replications per experiment")
    parser.add_argument("--seed", type=int, default=20251126, help="base seed of every experiment")
    parser.add_argument("--out", type=Path, default=Path("results"), help="folder for the chart")
    args = parser.parse_args(argv)

    model = build(args.replications, args.seed)
    experiments, outcomes = perform_experiments(model, scenarios=args.scenarios, policies=args.policies)

    fig, _ = pairs_plotting.pairs_scatter(experiments, outcomes, group_by="policy", legend=False)
    fig.set_size_inches(9, 9)
    args.out.mkdir(parents=True, exist_ok=True)
    chart = args.out / "ema_air_cover.png"
    fig.savefig(chart, dpi=100)
    print(f"{len(experiments)} experiments of {args.replications} replications; chart: {chart}")
    return experiments, outcomes


if __name__ == "__main__":
    main()
