#!/usr/bin/env python3
"""agreement.py - how often cotlog's `correct` agrees with the corpus labels.

Usage: tests/cli/agreement.py [--cotlog build/tools/cotlog]
                              [--corpus ../shared/corpus] [--list] [--json]

Runs `cotlog annotate` over the corpus files whose records carry their
authors' correctness label (the core field `label`: SkyThought `score`
in skythought-qwen25math-eval, `correctness` in skythought-evals-json,
`is_correct` in trace-topology-r1-api-and-distill) and counts, per source
and per file, the traces where both `label` and `correct` give a verdict
and how often they agree. --list prints every disagreement (file, record,
reference, final answer, both normalised forms, the label). --json prints
the figures as one JSON object. A study tool, not a test: test_answers.py
asserts the floor."""
import argparse
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SOURCES = ("skythought-qwen25math-eval", "skythought-evals-json",
           "trace-topology-r1-api-and-distill")


def profiles(cotlog, path):
    """(record number, profile) for every trace of the file."""
    out = subprocess.run([cotlog, "annotate", "--key", "__cot", path],
                         capture_output=True, check=True).stdout
    text = out.decode("utf-8")
    if path.endswith(".json"):
        # one document: an object of problems, each with its profiles
        doc = json.loads(text)
        recs = [v for v in doc.values() if isinstance(v, dict)] \
            if "__cot" not in doc else [doc]
    else:
        recs = [json.loads(line) for line in text.splitlines() if line]
    for i, rec in enumerate(recs):
        for prof in rec.get("__cot", []):
            # an eval dump keyed by problem is one record: number its
            # problems by trace index
            yield (prof["index"] if path.endswith(".json") else i), prof


def measure(cotlog, corpus, sources=SOURCES):
    """The agreement over the files of the folders sources below corpus
    (test_answers.py passes the fixtures' folders for tests/data)."""
    result = {"sources": {}, "disagreements": []}
    for src in sources:
        files = sorted(glob.glob(os.path.join(corpus, src, "*.json*")))
        tot = {"labelled": 0, "verdicts": 0, "agree": 0, "files": {}}
        for path in files:
            name = os.path.basename(path)
            f = {"labelled": 0, "verdicts": 0, "agree": 0}
            for i, p in profiles(cotlog, path):
                if p.get("label") is None:
                    continue
                f["labelled"] += 1
                if p.get("correct") is None:
                    continue
                f["verdicts"] += 1
                if p["correct"] == p["label"]:
                    f["agree"] += 1
                    continue
                result["disagreements"].append({
                    "file": f"{src}/{name}", "record": i,
                    "label": p["label"], "correct": p["correct"],
                    "ref": p.get("ref"), "final_answer":
                    p.get("final_answer"), "rule":
                    p.get("final_answer_rule"), "from":
                    p.get("final_answer_from"), "answer_normalized":
                    p.get("answer_normalized"), "ref_normalized":
                    p.get("ref_normalized")})
            if f["labelled"]:
                tot["files"][name] = f
                for k in ("labelled", "verdicts", "agree"):
                    tot[k] += f[k]
        result["sources"][src] = tot
    all_v = sum(s["verdicts"] for s in result["sources"].values())
    all_a = sum(s["agree"] for s in result["sources"].values())
    result["verdicts"] = all_v
    result["agree"] = all_a
    return result


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "    -"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cotlog", default=os.path.join(ROOT, "build", "tools",
                                                     "cotlog"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared",
                                                     "corpus"))
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    r = measure(a.cotlog, a.corpus)
    if a.json:
        json.dump(r, sys.stdout, indent=1)
        print()
        return
    print(f"{'source / file':58} {'labelled':>8} {'verdicts':>8} "
          f"{'agree':>6} {'rate':>6}")
    for src, s in r["sources"].items():
        print(f"{src:58} {s['labelled']:8} {s['verdicts']:8} "
              f"{s['agree']:6} {pct(s['agree'], s['verdicts'])}")
        for name, f in s["files"].items():
            print(f"  {name[:56]:56} {f['labelled']:8} {f['verdicts']:8} "
                  f"{f['agree']:6} {pct(f['agree'], f['verdicts'])}")
    print(f"{'all':58} {'':8} {r['verdicts']:8} {r['agree']:6} "
          f"{pct(r['agree'], r['verdicts'])}")
    if a.list:
        for d in r["disagreements"]:
            print(json.dumps(d, ensure_ascii=False))


if __name__ == "__main__":
    main()
