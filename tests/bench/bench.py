#!/usr/bin/env python3
"""bench.py - throughput and peak memory of cotlog against the floor.

Builds a workload of at least --mb megabytes (default 200) by repeating
the JSONL files of ../shared/corpus, and a gzip copy of it, then runs
each job --runs times (default 5) on one core and prints, side by side,
the median wall time, throughput in MB/s of input (uncompressed bytes)
and peak resident memory:

    cat, zcat                the floor: reading the bytes
    python json.loads        what a Python script pays just to parse
    cotlog annotate          plain and gzip input; every field, so every
                             analysis (steps, health, answers)
    annotate (steps only)    --fields: the core fields and those of the
                             steps pass (segmentation, step functions,
                             structure, the built-in patterns), so only
                             their passes run
    cotlog annotate --no-builtin-patterns
                             the same without the patterns: their cost
    python re patterns       patterns_py.py: the same pattern counting
                             with json.loads and re.finditer, the
                             baseline annotate should beat ten times
    cotlog stats             the full analysis, summarized
    cotlog report            the HTML page: what it draws, and its traces
    cotlog filter            a length predicate, and a select on a field
                             of the record, side by side with jq and a
                             Python json.loads loop doing the same
    -j 2                     annotate and stats on both cores (not
                             pinned): the speed-up of the workers

Usage: tests/bench/bench.py [--cotlog build/tools/cotlog] [--mb 200]
                            [--runs 5] [--corpus ../shared/corpus]
                            [--jobs NAME,NAME]
This is a benchmark to run and read, not a test: it asserts nothing."""
import argparse
import glob
import os
import shlex
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def build_workload(corpus, mb, work):
    os.makedirs(work, exist_ok=True)
    plain = os.path.join(work, f"workload-{mb}.jsonl")
    gz = plain + ".gz"
    if not os.path.exists(plain):
        files = sorted(glob.glob(os.path.join(corpus, "**", "*.jsonl"),
                                 recursive=True))
        if not files:
            sys.exit(f"bench.py: no JSONL files under {corpus}")
        data = b"".join(open(f, "rb").read() for f in files)
        with open(plain + ".tmp", "wb") as out:
            size = 0
            while size < mb * 1000 * 1000:
                out.write(data)
                size += len(data)
        os.rename(plain + ".tmp", plain)
    if not os.path.exists(gz):
        with open(gz + ".tmp", "wb") as out:
            subprocess.run(["gzip", "-6", "-c", plain], stdout=out,
                           check=True)
        os.rename(gz + ".tmp", gz)
    return plain, gz


def measure(cmd, runs, pin=True):
    """Median wall seconds and max peak RSS (KiB) of a shell command,
    pinned to one core, output to /dev/null. GNU time reads the peak RSS:
    a child forked from this Python process would start with Python's."""
    times, peaks = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run((["taskset", "-c", "0"] if pin else []) +
                           ["/usr/bin/time", "-f",
                            "%x %M", "sh", "-c", cmd],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t0)
        status, peak = p.stderr.decode().split("\n")[-2].split()
        peaks.append(int(peak))
        if int(status) not in (0, 1, 4):
            sys.exit(f"bench.py: failed ({status}): {cmd}")
    return statistics.median(times), max(peaks)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cotlog", default=os.path.join(ROOT, "build",
                                                     "tools", "cotlog"))
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared",
                                                     "corpus"))
    ap.add_argument("--work", default=os.path.join(HERE, "scratch"))
    ap.add_argument("--jobs", default="",
                    help="comma-separated job names to run (default all)")
    a = ap.parse_args()
    plain, gz = build_workload(a.corpus, a.mb, a.work)
    size = os.path.getsize(plain)
    q = shlex.quote
    cot = q(os.path.abspath(a.cotlog))
    py = ("python3 -c 'import sys, json\n"
          "for l in sys.stdin.buffer:\n"
          "    json.loads(l)' < ")
    pats = os.path.join(a.work, "patterns.json")
    with open(pats, "wb") as f:
        subprocess.run([os.path.abspath(a.cotlog), "patterns", "--json"],
                       stdout=f, check=True)
    pyfilter = ("python3 -c 'import sys, json\n"
                "w = sys.stdout.buffer.write\n"
                "for l in sys.stdin.buffer:\n"
                "    if json.loads(l).get(\"model\") == \"qwen3:8b\": w(l)' < ")
    # the fields of the core pass (those before the first of the steps
    # pass) and every field of the steps pass: annotate with its analysis
    # only
    names = subprocess.run([os.path.abspath(a.cotlog), "fields"],
                           capture_output=True, check=True).stdout
    names = [l.split()[0] for l in names.decode().splitlines()]
    core = names[:next(i for i, n in enumerate(names)
                       if n.startswith("functions."))]
    steps = ",".join(core + ["functions.*", "structure.*", "patterns.*",
                              "families.*"])
    # one core: -j 1 (the default is one worker per core)
    jobs = [
        ("cat", f"cat {q(plain)}"),
        ("zcat", f"zcat {q(gz)}"),
        ("python json.loads", py + q(plain)),
        ("cotlog annotate", f"{cot} annotate -j 1 {q(plain)}"),
        ("cotlog annotate (gzip)", f"{cot} annotate -j 1 {q(gz)}"),
        ("annotate (steps only)",
         f"{cot} annotate -j 1 --fields {q(steps)} {q(plain)}"),
        ("annotate (no patterns)",
         f"{cot} annotate -j 1 --no-builtin-patterns {q(plain)}"),
        ("python re patterns",
         f"python3 {q(os.path.join(HERE, 'patterns_py.py'))} {q(pats)} < "
         f"{q(plain)}"),
        ("cotlog stats", f"{cot} stats -j 1 {q(plain)}"),
        ("cotlog report", f"{cot} report -j 1 -o /dev/null {q(plain)}"),
        ("filter think.words", f"{cot} filter -j 1 --where "
         f"'think.words < 2000' {q(plain)}"),
        ("filter rec.model", f"{cot} filter -j 1 --where "
         f"'rec.model == \"qwen3:8b\"' {q(plain)}"),
        ("jq select rec.model",
         f"jq -c 'select(.model == \"qwen3:8b\")' {q(plain)}"),
        ("python select rec.model", pyfilter + q(plain)),
        # both cores: the -j 2 speed-up (not pinned)
        ("annotate -j 2", f"{cot} annotate -j 2 {q(plain)}", False),
        ("stats -j 2", f"{cot} stats -j 2 {q(plain)}", False),
    ]
    print(f"workload: {size / 1e6:.1f} MB plain, "
          f"{os.path.getsize(gz) / 1e6:.1f} MB gzip; "
          f"{a.runs} runs each, median, one core (taskset -c 0)")
    print(f"{'job':<26}{'seconds':>9}{'MB/s':>9}{'peak MiB':>10}")
    if a.jobs:
        jobs = [j for j in jobs if j[0] in a.jobs.split(",")]
    rows = {}
    for name, cmd, *pin in jobs:
        secs, peak = measure(cmd, a.runs, pin[0] if pin else True)
        rows[name] = secs
        print(f"{name:<26}{secs:>9.3f}{size / 1e6 / secs:>9.1f}"
              f"{peak / 1024:>10.1f}", flush=True)

    def ratio(x, y):
        return f"{rows[x] / rows[y]:.2f}x" if x in rows and y in rows \
            else "-"
    print(f"annotate / cat:  {ratio('cotlog annotate', 'cat')}"
          f" the time;  annotate (gzip) / zcat: "
          f"{ratio('cotlog annotate (gzip)', 'zcat')};  "
          f"python json.loads / annotate: "
          f"{ratio('python json.loads', 'cotlog annotate')};  "
          f"python re patterns / annotate: "
          f"{ratio('python re patterns', 'cotlog annotate')}")
    print(f"-j 2 speed-up: annotate {ratio('cotlog annotate', 'annotate -j 2')}"
          f", stats {ratio('cotlog stats', 'stats -j 2')};  filter "
          f"rec.model vs jq: {ratio('jq select rec.model', 'filter rec.model')}"
          f" faster, vs python: "
          f"{ratio('python select rec.model', 'filter rec.model')} faster")


main()
