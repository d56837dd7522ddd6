#!/usr/bin/env python3
"""One comparison table from a run of the peers' harness: every adapter's figures from the same results.tsv, each
W1/W2 run paired with the no-replication baseline measured just before it, and ActorSync's ratios to native logical
replication (the issue's goals) below."""
import os
import shlex
import sys

rows = []
for line in open(sys.argv[1]):
    ts, adapter, workload, kv = line.rstrip("\n").split("\t", 3)
    figures = {}
    for token in shlex.split(kv):
        if "=" in token:
            key, value = token.split("=", 1)
            figures[key] = value
    rows.append((adapter, workload, figures))

results, baseline = {}, {}
for adapter, workload, figures in rows:
    if adapter == "none":
        baseline[workload] = figures
        continue
    entry = results.setdefault(adapter, {})
    if workload == "memory" and "memory" in entry:
        # Recorded each time the product stops: keep the peak over the whole run.
        if float(figures.get("rss_peak_mb", 0)) <= float(entry["memory"].get("rss_peak_mb", 0)):
            continue
    entry[workload] = figures
    if workload in ("w1-unthrottled", "w1-throttled") and baseline.get(workload, {}).get("tps"):
        entry[workload + "-ratio"] = float(figures["tps"]) / float(baseline[workload]["tps"])
    if workload == "w2-bulk" and baseline.get("w2-bulk", {}).get("source_insert_s"):
        entry["w2-insert-ratio"] = float(figures["source_insert_s"]) / float(baseline["w2-bulk"]["source_insert_s"])


def get(adapter, workload, key, fmt="%s"):
    value = results.get(adapter, {}).get(workload, {}).get(key) if isinstance(results.get(adapter, {}).get(workload), dict) else None
    return fmt % float(value) if value not in (None, "", "TIMEOUT") else ("TIMEOUT" if value == "TIMEOUT" else "-")


def ratio(adapter, key):
    value = results.get(adapter, {}).get(key)
    return "%.3f" % value if value is not None else "-"


def verified(adapter):
    texts = [f.get("verify", "") for f in results.get(adapter, {}).values() if isinstance(f, dict) and "verify" in f]
    return "-" if not texts else ("OK" if all("DIFF" not in t for t in texts) else "DIFF")


print("| adapter | W1 TPS ratio | W1 age p99 ms (300 TPS) | W1 catch-up s | W2 insert ratio | W2 commit->target s | W2 rows/s | W2 end-to-end s | W3 copy s | peak RSS MB | verify |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for adapter in results:
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        adapter, ratio(adapter, "w1-unthrottled-ratio"), get(adapter, "w1-throttled", "age_p99_ms", "%.0f"),
        get(adapter, "w1-unthrottled", "catchup_s", "%.3f"), ratio(adapter, "w2-insert-ratio"),
        get(adapter, "w2-bulk", "commit_to_target_s", "%.2f"), get(adapter, "w2-bulk", "rows_per_s", "%.0f"),
        get(adapter, "w2-bulk", "end_to_end_s", "%.2f"), get(adapter, "w3-initcopy", "copy_s", "%.2f"),
        get(adapter, "memory", "rss_peak_mb", "%.0f"), verified(adapter)))

if "actorsync" in results and "native" in results:
    a, n = results["actorsync"], results["native"]

    def f(entry, workload, key):
        try:
            return float(entry[workload][key])
        except (KeyError, ValueError, TypeError):
            return None

    print()
    print("| goal (issue 10) | ActorSync | native | ratio | met |")
    print("|---|---|---|---|---|")
    checks = [
        ("W2 commit->target <= 0.67x native", f(a, "w2-bulk", "commit_to_target_s"), f(n, "w2-bulk", "commit_to_target_s"), lambda r: r <= 0.67),
        ("W2 end-to-end <= 1.0x native", f(a, "w2-bulk", "end_to_end_s"), f(n, "w2-bulk", "end_to_end_s"), lambda r: r <= 1.0),
        ("W3 initial copy <= 1.0x native", f(a, "w3-initcopy", "copy_s"), f(n, "w3-initcopy", "copy_s"), lambda r: r <= 1.0),
    ]
    for name, mine, theirs, ok in checks:
        r = mine / theirs if mine is not None and theirs else None
        print("| %s | %s | %s | %s | %s |" % (name, "-" if mine is None else "%.2f s" % mine, "-" if theirs is None else "%.2f s" % theirs,
                                              "-" if r is None else "%.2f" % r, "-" if r is None else ("yes" if ok(r) else "NO")))
    w1 = a.get("w1-unthrottled-ratio")
    print("| W1 TPS with replication >= 0.9x no replication | %s | %s | - | %s |" % (
        "-" if w1 is None else "%.3f" % w1, ratio("native", "w1-unthrottled-ratio"), "-" if w1 is None else ("yes" if w1 >= 0.9 else "NO")))
    age = f(a, "w1-throttled", "age_p99_ms")
    print("| W1 age p99 < 50 ms at 300 TPS | %s | %s | - | %s |" % (
        "-" if age is None else "%.0f ms" % age, get("native", "w1-throttled", "age_p99_ms", "%.0f"), "-" if age is None else ("yes" if age < 50 else "NO")))
    catch = f(a, "w1-unthrottled", "catchup_s")
    print("| W1 catch-up < 1 s | %s | %s | - | %s |" % (
        "-" if catch is None else "%.3f s" % catch, get("native", "w1-unthrottled", "catchup_s", "%.3f"), "-" if catch is None else ("yes" if catch < 1 else "NO")))
    rss = f(a, "memory", "rss_peak_mb")
    print("| resident memory < 200 MB | %s | - | - | %s |" % ("-" if rss is None else "%.0f MB" % rss, "-" if rss is None else ("yes" if rss < 200 else "NO")))

if "actorsync-wal" in results and "native" in results:
    w, n = results["actorsync-wal"], results["native"]

    def g(entry, workload, key):
        try:
            return float(entry[workload][key])
        except (KeyError, ValueError, TypeError):
            return None

    def row(name, mine, theirs, ok, unit=" s"):
        r = mine / theirs if mine is not None and theirs else None
        met = ok(mine, theirs, r) if mine is not None else None
        print("| %s | %s | %s | %s | %s |" % (name, "-" if mine is None else "%.3f%s" % (mine, unit), "-" if theirs is None else "%.3f%s" % (theirs, unit),
                                              "-" if r is None else "%.2f" % r, "-" if met is None else ("yes" if met else "NO")))

    print()
    print("| goal (issue 20, capture-mode = wal) | actorsync-wal | native | ratio | met |")
    print("|---|---|---|---|---|")
    row("W1 source TPS ratio >= native's", w.get("w1-unthrottled-ratio"), n.get("w1-unthrottled-ratio"),
        lambda m, t, r: t is not None and m >= t, unit="")
    row("W1 age p99 < 50 ms at 300 TPS", g(w, "w1-throttled", "age_p99_ms"), g(n, "w1-throttled", "age_p99_ms"), lambda m, t, r: m < 50, unit=" ms")
    row("W2 end-to-end <= 1.0x native", g(w, "w2-bulk", "end_to_end_s"), g(n, "w2-bulk", "end_to_end_s"), lambda m, t, r: r is not None and r <= 1.0)
    row("W2 commit->target <= 0.67x native", g(w, "w2-bulk", "commit_to_target_s"), g(n, "w2-bulk", "commit_to_target_s"),
        lambda m, t, r: r is not None and r <= 0.67)
    row("peak memory < 200 MB", g(w, "memory", "rss_peak_mb"), None, lambda m, t, r: m < 200, unit=" MB")
