#!/usr/bin/env python3
"""labels_model.py - would a model learned from the labelled set beat the rules?

The step-function rules (README "Step functions") are written by hand.
This measures the alternative: an averaged perceptron (Collins 2002)
over each labelled chunk's features, learned from the chunks of five of
the set's six problems and scored on the sixth, each in turn, so that
no score is of chunks the model learned from. It prints Cohen's kappa
and agreement per problem left out, pooled, and on the chunks learned
from (how much of the score is memory).

The features of a chunk (its text lower-cased, cut into words, numbers
and single math characters): its first four words and first word pair,
every word and every word pair, its share of math characters (tenths,
up to 5), its length (five-word steps, up to 6), its place in the trace
(fifths), whether it is the first, whether it holds a '?', and the
first word of the chunk before and whether that one holds a '?'.

With --context it adds what a pass over the whole trace could know,
which the rules do not use: whether all, some or none of the chunk's
numbers were seen in earlier chunks (or it has none), the same for the
problem's text; whether it repeats an equation (the text around an '=')
of an earlier chunk; whether the final answer (the last \\boxed{} after
</think>) was stated in an earlier chunk, and whether this chunk states
it; the first word of the chunk after.

It compares with the annotator's labels only, not with cotlog: run
labels.py for the rules' figures on the same set. Standard library
only; a measurement, not a test: it asserts nothing.

Usage: tests/bench/labels_model.py [--set FILE] [--epochs 10] [--context]"""
import argparse
import collections
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LABELS = ["problem_setup", "plan_generation", "fact_retrieval",
          "active_computation", "result_consolidation",
          "uncertainty_management", "self_checking",
          "final_answer_emission"]
TOKEN = re.compile(r"[a-z]+|\d+|[=+\-*/^\\{}()]")
MATH = set("0123456789=+-*/^")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
EQUATION = re.compile(r"[^=,;:]{1,40}=[^=,;:]{1,40}")
BOXED = re.compile(r"\\boxed\{([^{}]*)\}")


def numbers(s):
    return {x.replace(",", "") for x in NUMBER.findall(s)}


def context(t):
    """Per chunk of trace t, what the trace before (and the problem, the
    answer and the chunk after) tells of it."""
    given = numbers(t["problem"]["problem"])
    boxed = BOXED.findall(t["reasoning"][t["think_end_byte"]:])
    answer = boxed[-1].strip() if boxed else None
    seen, eqs, stated, out = set(), set(), False, []
    cs = t["chunks"]
    for i, c in enumerate(cs):
        x = c["text"]
        ns = numbers(x)
        e = {re.sub(r"\s", "", m) for m in EQUATION.findall(x)}
        says = bool(answer) and answer in x
        nxt = TOKEN.findall(cs[i + 1]["text"].lower()) if i + 1 < len(cs) \
            else []
        out.append({"seen": part(ns, seen), "given": part(ns, given),
                    "eq_again": bool(e & eqs), "stated": stated,
                    "says": says, "next": nxt[0] if nxt else None})
        seen |= ns
        eqs |= e
        stated = stated or says
    return out


def part(xs, of):
    if not xs:
        return "none"
    k = len(xs & of)
    return "all" if k == len(xs) else "some" if k else "new"


def chunks_of(path, with_context):
    """One dict per labelled chunk, in trace order."""
    out = []
    with open(path, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            t = json.loads(line)
            n = len(t["chunks"])
            prev = None
            ctx = context(t) if with_context else [None] * n
            for i, c in enumerate(t["chunks"]):
                out.append({"text": c["text"], "prev": prev, "i": i,
                            "pos": i / max(1, n - 1),
                            "problem": t["problem_id"], "ctx": ctx[i],
                            "y": LABELS.index(c["function_tags"][0])})
                prev = c["text"]
    return out


def features(c):
    t = c["text"].lower()
    w = TOKEN.findall(t)
    f = {"bias"}
    f.update(f"o{k}:{x}" for k, x in enumerate(w[:4]))
    if len(w) >= 2:
        f.add(f"ob:{w[0]}_{w[1]}")
    f.update("w:" + x for x in w)
    f.update(f"b:{a}_{b}" for a, b in zip(w, w[1:]))
    math = sum(ch in MATH for ch in t)
    f.add(f"math:{min(5, 10 * math // max(1, len(t)))}")
    f.add(f"len:{min(6, len(w) // 5)}")
    f.add(f"pos:{int(c['pos'] * 5)}")
    if c["i"] == 0:
        f.add("first")
    if "?" in t:
        f.add("asks")
    if c["prev"]:
        pw = TOKEN.findall(c["prev"].lower())
        if pw:
            f.add("p0:" + pw[0])
        if "?" in c["prev"]:
            f.add("prev_asks")
    x = c["ctx"]
    if x:
        f.add("seen:" + x["seen"])
        f.add("given:" + x["given"])
        f.update(k for k in ("eq_again", "stated", "says") if x[k])
        if x["next"]:
            f.add("n0:" + x["next"])
    return f


def train(xs, ys, epochs, seed):
    """Averaged perceptron weights: feature -> one weight per label."""
    k = len(LABELS)
    w = collections.defaultdict(lambda: [0.0] * k)
    acc = collections.defaultdict(lambda: [0.0] * k)
    order = list(range(len(xs)))
    rnd = random.Random(seed)
    step = 1
    for _ in range(epochs):
        rnd.shuffle(order)
        for i in order:
            p = predict(w, xs[i])
            if p != ys[i]:
                for f in xs[i]:
                    w[f][ys[i]] += 1
                    w[f][p] -= 1
                    acc[f][ys[i]] += step
                    acc[f][p] -= step
            step += 1
    return {f: [w[f][j] - acc[f][j] / step for j in range(k)] for f in w}


def predict(w, x):
    s = [0.0] * len(LABELS)
    for f in x:
        v = w.get(f)
        if v:
            for j in range(len(s)):
                s[j] += v[j]
    return max(range(len(s)), key=lambda j: s[j])


def kappa(ys, ps):
    n = len(ys)
    po = sum(a == b for a, b in zip(ys, ps)) / n
    cy, cp = collections.Counter(ys), collections.Counter(ps)
    pe = sum(cy[j] * cp[j] for j in cy) / (n * n)
    return po, (po - pe) / (1 - pe) if pe < 1 else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default=os.path.join(
        ROOT, "..", "shared", "corpus", "thought-anchors-step-labels",
        "dev.jsonl"))
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--context", action="store_true")
    args = ap.parse_args()
    cs = chunks_of(args.set, args.context)
    xs = [features(c) for c in cs]
    ys = [c["y"] for c in cs]
    print(f"set: {args.set}: {len(cs)} chunks")
    print(f"{'problem left out':20}{'chunks':>8}{'agree':>8}{'kappa':>8}")
    all_y, all_p = [], []
    for prob in sorted({c["problem"] for c in cs}):
        learn = [i for i, c in enumerate(cs) if c["problem"] != prob]
        test = [i for i, c in enumerate(cs) if c["problem"] == prob]
        w = train([xs[i] for i in learn], [ys[i] for i in learn],
                  args.epochs, 1)
        y = [ys[i] for i in test]
        p = [predict(w, xs[i]) for i in test]
        all_y += y
        all_p += p
        a, k = kappa(y, p)
        print(f"{prob:20}{len(test):8}{a:8.3f}{k:8.3f}")
    a, k = kappa(all_y, all_p)
    print(f"{'pooled':20}{len(all_y):8}{a:8.3f}{k:8.3f}")
    w = train(xs, ys, args.epochs, 1)
    a, k = kappa(ys, [predict(w, x) for x in xs])
    print(f"{'on its own chunks':20}{len(ys):8}{a:8.3f}{k:8.3f}")


if __name__ == "__main__":
    main()
