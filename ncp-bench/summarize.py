#!/usr/bin/env python3
"""Prints one line per benchmark from a JMH JSON result file: JMH's mean, the median and the best of the
measurement iterations, and the allocation per op when -prof gc was on. On shared cores the median and best are
steadier than the mean, which a burst of other work inflates."""
import json
import statistics
import sys

rows = json.load(open(sys.argv[1]))
print(f"{'benchmark':48} {'body':14} {'mean':>10} {'median':>10} {'best':>10}  unit   {'alloc B/op':>12}")
for r in rows:
    m = r["primaryMetric"]
    if "rawData" in m:
        raw = [x for fork in m["rawData"] for x in fork]
        median, best = statistics.median(raw), min(raw)
    else:  # sample-time mode: the median and fastest of all samples, from JMH's percentiles
        median, best = m["scorePercentiles"]["50.0"], m["scorePercentiles"]["0.0"]
    norm = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    alloc = f"{norm['score']:12,.0f}" if norm else f"{'-':>12}"
    name = r["benchmark"].removeprefix("dev.ncp.bench.")
    params = r.get("params", {})
    body = params.get("body", params.get("engine", ""))
    print(f"{name:48} {body:14} {m['score']:10.1f} {median:10.1f} {best:10.1f}  "
          f"{m['scoreUnit']:6} {alloc}")
