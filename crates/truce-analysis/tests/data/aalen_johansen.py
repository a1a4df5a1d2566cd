"""Cumulative incidences of a small competing-risks table by lifelines' AalenJohansenFitter.

Writes aalen_johansen_input.csv (the table) and aalen_johansen_lifelines.csv (the incidence of
each kind at every time of lifelines' event table, with its variance and 95% band), which
crates/truce-analysis/tests/analysis/incidence.rs reads. Run it again only to change the table:

    python3 -m venv venv && venv/bin/pip install lifelines==0.30.3
    venv/bin/python aalen_johansen.py

Kinds: 0 censored, 1 offensive, 2 clash, 3 settlement. Event times are distinct, so lifelines
does not jitter them.
"""

import csv
import math

import lifelines
from lifelines import AalenJohansenFitter

# (time in days, kind)
TABLE = [
    (3.5, 1), (7.0, 1), (9.25, 0), (12.0, 2), (15.5, 1), (20.0, 3), (22.0, 0), (25.0, 2),
    (31.0, 1), (33.5, 3), (40.0, 0), (41.0, 2), (47.0, 3), (52.5, 1), (60.0, 0), (61.0, 3),
    (70.0, 2), (75.5, 0), (80.0, 3), (88.0, 1), (90.0, 0), (95.0, 3), (101.0, 2), (110.0, 0),
    (120.0, 0), (130.0, 0),
]

durations = [t for t, _ in TABLE]
kinds = [k for _, k in TABLE]

with open("aalen_johansen_input.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["time", "kind"])
    w.writerows(TABLE)

with open("aalen_johansen_lifelines.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["kind", "time", "incidence", "variance", "lower", "upper"])
    for kind in (1, 2, 3):
        aj = AalenJohansenFitter(calculate_variance=True)
        aj.fit(durations, kinds, event_of_interest=kind)
        cif = aj.cumulative_density_.iloc[:, 0]
        band = aj.confidence_interval_
        for i, t in enumerate(cif.index):
            a, b = band.iloc[i, 0], band.iloc[i, 1]
            lo, hi = (float(min(a, b)), float(max(a, b))) if not (math.isnan(a) or math.isnan(b)) else ("", "")
            w.writerow([kind, repr(float(t)), repr(float(cif.iloc[i])),
                        repr(float(aj.variance_.iloc[i])), repr(lo) if lo != "" else "",
                        repr(hi) if hi != "" else ""])

print("lifelines", lifelines.__version__)
