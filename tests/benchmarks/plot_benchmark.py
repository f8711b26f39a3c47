# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Draw benchmarks.png from benchmarks.json (run_benchmark.py's output).

usage: python plot_benchmark.py BENCHMARKS_JSON OUTPUT_PNG

Runs in its own venv with matplotlib (tests/benchmarks/requirements.txt), made
by the benchmark sessions of noxfile.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys

import matplotlib  # pylint: disable=import-error

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # pylint: disable=import-error,wrong-import-position
from matplotlib.ticker import FuncFormatter, NullFormatter  # pylint: disable=import-error,wrong-import-position

STYLES = {0: "-", 20: "--"}


def series(rows, latency, value):
    points = sorted((row["n"], value(row)) for row in rows if row["latency_ms"] == latency)
    return [p[0] for p in points], [p[1] for p in points]


def main(argv):
    source, target = argv[1], argv[2]
    with open(source) as handle:
        data = json.load(handle)
    rows = data["rows"]
    latencies = sorted(set(row["latency_ms"] for row in rows))
    figure, (left, right) = plt.subplots(1, 2, figsize=(13, 5.2))
    for latency in latencies:
        style = STYLES.get(latency, ":")
        label = " (%g ms)" % latency
        xs, ys = series(rows, latency, lambda r: r["loop"]["per_result_ms"] * r["n"] / 1000.0)
        left.plot(xs, ys, style, marker="o", color="tab:red", label="looped isales_ob_result, projected" + label)
        xs, ys = series(rows, latency, lambda r: r["create"]["seconds"])
        left.plot(xs, ys, style, marker="^", color="tab:green", label="isales_ob_results, create N" + label)
        xs, ys = series(rows, latency, lambda r: r["bulk"]["seconds"])
        left.plot(xs, ys, style, marker="s", color="tab:blue", label="isales_ob_results, no change" + label)
    left.axhline(3.0, color="grey", linewidth=0.8, linestyle=":")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("results on the VDN (N)")
    left.set_ylabel("wall time of the task(s), s")
    left.set_title("Converging N results")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=7)

    latency = latencies[0]
    xs, ys = series(rows, latency, lambda r: r["loop"]["requests_per_result"] * r["n"])
    right.plot(xs, ys, "-", marker="o", color="tab:red", label="looped isales_ob_result: N x (ceil(N/50) + 1)")
    xs, ys = series(rows, latency, lambda r: r["create"]["requests"])
    right.plot(xs, ys, "-", marker="^", color="tab:green", label="isales_ob_results, create: 1 + N")
    xs, ys = series(rows, latency, lambda r: r["bulk"]["requests"])
    right.plot(xs, ys, "-", marker="s", color="tab:blue", label="isales_ob_results, no change: ceil(N/50) + N")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("results on the VDN (N)")
    right.set_ylabel("API requests (counted on the simulator)")
    right.set_title("Requests to converge N results")
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=7)

    plain = FuncFormatter(lambda value, _position: "%g" % value)
    for axes in (left, right):
        axes.xaxis.set_major_formatter(plain)
        axes.yaxis.set_major_formatter(plain)
        axes.yaxis.set_minor_formatter(NullFormatter())

    overhead = data.get("overhead")
    if overhead:
        figure.suptitle("huawei.isales benchmark - per-task overhead vs ansible.builtin.uri: %.2f (%s)"
                        % (overhead["ratio"], data.get("date", "")), fontsize=10)
    figure.tight_layout()
    figure.savefig(target, dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
