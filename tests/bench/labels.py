#!/usr/bin/env python3
"""labels.py - how well cotlog's step functions agree with an annotator.

Reads a labelled development set (default: the Thought Anchors chunk
labels, ../shared/corpus/thought-anchors-step-labels/dev.jsonl relative
to the repository; see its README: one JSON trace per line, `reasoning`
and `chunks[]` with `start_byte`, `end_byte` and `function_tags`), runs
`cotlog steps --field reasoning --by sentence` and `--by paragraph` on
it, and gives every labelled chunk the label of the cotlog unit that
covers most of its bytes (the earlier unit on a tie; "unknown" when no
unit overlaps it). Then, per unit mode, it prints:

    agreement      share of chunks whose label is the annotator's
    kappa          Cohen's kappa over the nine labels
    unknown        share of chunks cotlog labels unknown
    per label      precision, recall and support (annotator's count)
    confusion      rows: the annotator's label, columns: cotlog's
    per rule       when the output names the rule that decided each unit
                   ("rule"): the share of chunks it decides and its
                   precision, the number that `confidence` reports, and
                   the lowest and highest precision over the problems
                   where it decides 5 chunks or more
    per problem    kappa on the traces of each problem (the set has 6
                   problems: a rule that helps on one only is suspect)

and once, how far any labeller that reads a chunk's text alone can
agree with this annotator: over the chunks whose text (spaces and case
folded) occurs in two traces or more, the annotator's agreement and
kappa with itself (every pair of such chunks from different traces,
each pair counted both ways), the same for each chunk against the most
common label of its text (the best a text-only labeller could do, and
a generous bound: the chunk's own label is one of the votes), and
cotlog's kappa on those chunks per mode.

With --json it prints the same numbers as one JSON object instead; with
--dump FILE it also writes one JSON line per chunk (trace, chunk index,
text, the annotator's label, cotlog's label and rule, per mode), to read
what a rule does. It is a measurement, not a test: it asserts nothing.

Usage: tests/bench/labels.py [--cotlog build/tools/cotlog]
                             [--corpus ../shared/corpus] [--set FILE]
                             [--by sentence,paragraph] [--json]
                             [--dump FILE]"""
import argparse
import collections
import itertools
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LABELS = ["problem_setup", "plan_generation", "fact_retrieval",
          "active_computation", "result_consolidation",
          "uncertainty_management", "self_checking",
          "final_answer_emission", "unknown"]
SHORT = ["setup", "plan", "fact", "comp", "cons", "unc", "check", "final",
         "unk"]


def load_set(path):
    traces = []
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                traces.append(json.loads(line))
    return traces


def run_steps(cotlog, path, by):
    """The units of each line of path: {line: [unit, ...]}."""
    p = subprocess.run([cotlog, "steps", "--field", "reasoning", "--by", by,
                        path], capture_output=True)
    if p.returncode != 0:
        sys.exit(f"labels.py: cotlog steps failed ({p.returncode}): "
                 f"{p.stderr.decode(errors='replace')}")
    units = collections.defaultdict(list)
    for line in p.stdout.decode().splitlines():
        u = json.loads(line)
        if u["trace"] == 0:
            units[u["line"]].append(u)
    return units


def align(chunks, units):
    """For each chunk, the unit covering most of its bytes (or None)."""
    out = []
    k = 0
    for c in chunks:
        s, e = c["start_byte"], c["end_byte"]
        while k < len(units) and units[k]["end"] <= s:
            k += 1
        best, cover = None, 0
        j = k
        while j < len(units) and units[j]["start"] < e:
            n = min(e, units[j]["end"]) - max(s, units[j]["start"])
            if n > cover:
                best, cover = units[j], n
            j += 1
        out.append(best)
    return out


def kappa(pairs):
    n = len(pairs)
    if not n:
        return None
    po = sum(g == p for g, p in pairs) / n
    gc = collections.Counter(g for g, _ in pairs)
    pc = collections.Counter(p for _, p in pairs)
    pe = sum(gc[x] * pc[x] for x in LABELS) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def measure(rows):
    """rows: (gold, pred, rule, problem). The numbers of one mode."""
    pairs = [(g, p) for g, p, _, _ in rows]
    n = len(pairs)
    res = {"chunks": n,
           "agreement": sum(g == p for g, p in pairs) / n,
           "kappa": kappa(pairs),
           "unknown": sum(p == "unknown" for _, p in pairs) / n}
    per = {}
    for x in LABELS:
        tp = sum(g == x and p == x for g, p in pairs)
        np_ = sum(p == x for _, p in pairs)
        ng = sum(g == x for g, _ in pairs)
        per[x] = {"precision": tp / np_ if np_ else None,
                  "recall": tp / ng if ng else None,
                  "support": ng, "predicted": np_}
    res["labels"] = per
    conf = {g: {p: 0 for p in LABELS} for g in LABELS}
    for g, p in pairs:
        conf[g][p] += 1
    res["confusion"] = conf
    rules = collections.defaultdict(lambda: [0, 0, None])
    rprob = collections.defaultdict(lambda: collections.defaultdict(
        lambda: [0, 0]))
    for g, p, r, prob in rows:
        if r is None:
            continue
        v = rules[r]
        v[0] += 1
        v[1] += g == p
        v[2] = p if v[2] in (None, p) else "(several)"
        rprob[r][prob][0] += 1
        rprob[r][prob][1] += g == p
    # the precision of a rule on each problem where it decides 5 chunks
    # or more: a rule that holds on some problems only is suspect
    res["rules"] = {r: {"share": v[0] / n, "chunks": v[0],
                        "precision": v[1] / v[0], "label": v[2],
                        "problem_precision": {
                            k: c / t for k, (t, c) in
                            sorted(rprob[r].items()) if t >= 5}}
                    for r, v in sorted(rules.items(),
                                       key=lambda kv: -kv[1][0])}
    byprob = collections.defaultdict(list)
    for g, p, _, prob in rows:
        byprob[prob].append((g, p))
    res["problems"] = {k: {"kappa": kappa(v),
                           "agreement": sum(a == b for a, b in v) / len(v),
                           "chunks": len(v)}
                       for k, v in sorted(byprob.items())}
    return res


def score(pairs):
    return {"agreement": sum(g == p for g, p in pairs) / max(1, len(pairs)),
            "kappa": kappa(pairs)}


def norm(text):
    return " ".join(text.lower().split())


def repeats(traces):
    """The annotator against itself, on the texts in two traces or more:
    (pairs from different traces, [(line, chunk index, modal label)])."""
    seen = collections.defaultdict(list)
    for ln, tr in enumerate(traces, 1):
        for c in tr["chunks"]:
            seen[norm(c["text"])].append((ln, c["idx"],
                                          c["function_tags"][0]))
    pairs, chunks = [], []
    for v in seen.values():
        if len({ln for ln, _, _ in v}) < 2:
            continue
        modal = collections.Counter(g for _, _, g in v).most_common(1)[0][0]
        chunks += [(ln, i, modal) for ln, i, _ in v]
        pairs += [(a[2], b[2]) for a, b in itertools.combinations(v, 2)
                  if a[0] != b[0]]
    return pairs + [(b, a) for a, b in pairs], chunks


def fmt(x):
    return "   -" if x is None else f"{x:.2f}"


def report(by, r):
    print(f"== per {by}: {r['chunks']} chunks")
    print(f"agreement {r['agreement']:.3f}  kappa {r['kappa']:.3f}  "
          f"unknown {r['unknown']:.3f}")
    print(f"\n{'label':<24}{'prec':>6}{'recall':>8}{'support':>9}"
          f"{'predicted':>11}")
    for x in LABELS:
        v = r["labels"][x]
        print(f"{x:<24}{fmt(v['precision']):>6}{fmt(v['recall']):>8}"
              f"{v['support']:>9}{v['predicted']:>11}")
    print("\nconfusion (rows: annotator, columns: cotlog)")
    print(f"{'':<24}" + "".join(f"{s:>6}" for s in SHORT))
    for g in LABELS:
        print(f"{g:<24}" + "".join(f"{r['confusion'][g][p]:>6}"
                                    for p in LABELS))
    if r["rules"]:
        print(f"\n{'rule':<18}{'label':<24}{'share':>7}{'prec':>7}"
              f"   per problem (min-max, where it decides 5+)")
        for name, v in r["rules"].items():
            pp = v["problem_precision"].values()
            span = f"{min(pp):.2f}-{max(pp):.2f} ({len(pp)})" if pp else "-"
            print(f"{name:<18}{v['label']:<24}{v['share']:>7.3f}"
                  f"{v['precision']:>7.2f}   {span}")
    print(f"\n{'problem':<16}{'chunks':>7}{'agree':>7}{'kappa':>7}")
    for k, v in r["problems"].items():
        print(f"{k:<16}{v['chunks']:>7}{v['agreement']:>7.3f}"
              f"{fmt(v['kappa']):>7}")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cotlog", default=os.path.join(ROOT, "build",
                                                     "tools", "cotlog"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared",
                                                     "corpus"))
    ap.add_argument("--set", help="the labelled set (default: CORPUS/"
                    "thought-anchors-step-labels/dev.jsonl)")
    ap.add_argument("--by", default="sentence,paragraph")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--dump")
    a = ap.parse_args()
    path = a.set or os.path.join(a.corpus, "thought-anchors-step-labels",
                                 "dev.jsonl")
    if not os.path.exists(path):
        sys.exit(f"labels.py: no labelled set at {path}")
    traces = load_set(path)
    cot = os.path.abspath(a.cotlog)
    out, dump = {}, collections.defaultdict(dict)
    pairs, rep = repeats(traces)
    modal = {(ln, i): m for ln, i, m in rep}
    labelled = {(ln, c["idx"]): c["function_tags"][0]
                for ln, tr in enumerate(traces, 1) for c in tr["chunks"]}
    twice = [(labelled[k], m) for k, m in modal.items()]
    annot = {"chunks": len(twice), "pairs": len(pairs) // 2,
             "self": score(pairs), "modal": score(twice)}
    for by in a.by.split(","):
        units = run_steps(cot, path, by)
        rows, mine = [], []
        for ln, tr in enumerate(traces, 1):
            chunks = tr["chunks"]
            for c, u in zip(chunks, align(chunks, units.get(ln, []))):
                gold = c["function_tags"][0]
                pred = u["label"] if u else "unknown"
                rule = u.get("rule") if u else None
                rows.append((gold, pred, rule, tr["problem_id"]))
                if (ln, c["idx"]) in modal:
                    mine.append((gold, pred))
                if a.dump:
                    d = dump[(ln, c["idx"])]
                    d.update(trace=tr["trace_id"], chunk=c["idx"],
                             text=c["text"], gold=gold)
                    d[by] = {"label": pred, "rule": rule,
                             "index": u["index"] if u else None}
        out[by] = measure(rows)
        annot[by] = score(mine)
    out["annotator"] = annot
    if a.dump:
        with open(a.dump, "w") as f:
            for k in sorted(dump):
                f.write(json.dumps(dump[k], ensure_ascii=False) + "\n")
    if a.json:
        json.dump(out, sys.stdout, indent=1)
        print()
        return
    print(f"set: {path}\ncotlog: {cot}\n")
    for by in a.by.split(","):
        report(by, out[by])
    print(f"== the annotator against itself: {annot['chunks']} chunks "
          f"whose text is in two traces or more ({annot['pairs']} pairs "
          f"from different traces)")
    print(f"{'':<34}{'agree':>7}{'kappa':>7}")
    print(f"{'a pair of the same text':<34}{annot['self']['agreement']:>7.3f}"
          f"{fmt(annot['self']['kappa']):>7}")
    print(f"{'each against its most common':<34}"
          f"{annot['modal']['agreement']:>7.3f}"
          f"{fmt(annot['modal']['kappa']):>7}")
    for by in a.by.split(","):
        print(f"{'cotlog per ' + by:<34}{annot[by]['agreement']:>7.3f}"
              f"{fmt(annot[by]['kappa']):>7}")


if __name__ == "__main__":
    main()
