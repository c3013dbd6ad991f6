#!/usr/bin/env python3
"""patterns_py.py - the pattern counting of cotlog, done the way a
Python script would: json.loads per line, find the reasoning, and for
every pattern re.finditer over it (count, per 1,000 words, first and
last offset, relative positions, the paragraphs holding matches), plus
the family sums; one JSON line out per record.

Usage: patterns_py.py PATTERNS.json < data.jsonl > counts.jsonl
PATTERNS.json is `cotlog patterns --json` output (the same regexes, which
Python's re reads as they are). The benchmark (bench.py) runs it as the
baseline that `cotlog annotate` should beat ten times."""
import bisect
import json
import re
import sys

MARKERS = (("<think>", "</think>"),
           ("<|begin_of_thought|>", "<|end_of_thought|>"))


def split_tags(text):
    for op, cl in MARKERS:
        c = text.find(cl)
        o = text.find(op)
        if c >= 0 and (o < 0 or c < o):
            return text[:c]
        if o >= 0:
            c = text.find(cl, o)
            return text[o + len(op):c if c >= 0 else len(text)]
    return text


def reasoning(rec):
    """The reasoning of the corpus shapes (not every shape cotlog
    reads: enough for the workload)."""
    if not isinstance(rec, dict):
        return []
    if isinstance(rec.get("thinking"), str):
        return [rec["thinking"]]
    for key in ("full_response", "response", "completion", "output"):
        if isinstance(rec.get(key), str):
            return [split_tags(rec[key])]
    if isinstance(rec.get("code"), list) and rec["code"] and \
            isinstance(rec["code"][0], str):
        return [split_tags(rec["code"][0])]
    out = []
    for ch in rec.get("choices") or []:
        msg = ch.get("message") or {}
        r = msg.get("reasoning_content") or msg.get("reasoning")
        if isinstance(r, str):
            out.append(r)
    body = rec.get("result", {}).get("message") if isinstance(
        rec.get("result"), dict) else rec
    blocks = body.get("content") if isinstance(body, dict) else None
    if isinstance(blocks, list):
        th = [b.get("thinking", "") for b in blocks
              if isinstance(b, dict) and b.get("type") == "thinking"]
        if th:
            out.append("\n\n".join(th))
    return out


PARA = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")


def profile(text, pats):
    data = text.encode("utf-8", "surrogatepass")
    nbytes = len(data)
    words = len(text.split())
    starts = [m.start() for m in PARA.finditer(text)]
    res, fams = {}, {}
    for name, family, rx in pats:
        offs = [m.start() for m in rx.finditer(text) if m.end() > m.start()]
        steps = sorted({max(bisect.bisect_right(starts, o) - 1, 0)
                        for o in offs})
        # character offsets, as a script would keep them
        st = {"count": len(offs),
              "per_1k_words": len(offs) * 1000 / words if words else None,
              "first": offs[0] if offs else None,
              "last": offs[-1] if offs else None,
              "first_rel": offs[0] / nbytes if offs else None,
              "last_rel": offs[-1] / nbytes if offs else None,
              "steps": steps}
        res[name] = st
        f = fams.setdefault(family, {"count": 0, "steps": set()})
        f["count"] += len(offs)
        f["steps"].update(steps)
    for f in fams.values():
        f["steps"] = sorted(f["steps"])
    return {"patterns": res, "families": fams}


def main():
    pats = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            pats.append((p["name"], p["family"],
                         re.compile(p["regex"],
                                    re.IGNORECASE | re.MULTILINE)))
    out = sys.stdout
    for line in sys.stdin.buffer:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        out.write(json.dumps([profile(t, pats) for t in reasoning(rec)]))
        out.write("\n")


main()
