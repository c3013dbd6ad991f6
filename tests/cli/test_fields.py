#!/usr/bin/env python3
"""test_fields.py - every field has one value, whichever way it is
asked: in the full profile, with -j 2, alone under --fields, in
filter --where and in stats --fields. Over every field of the registry
(patterns included), on every trace of our fixtures (tests/data) and,
when it is beside the repository, of a slice of the corpus.

The full profile of `annotate` is the reference. For each field F, one
run each of (all of them with --tokenizer tests/data/tokens/tiny.json in
the case _with_tokenizer, so that the fields in tokens have values):
- annotate --fields F: F's value on every trace is the full one;
- filter --per-trace --where COND(F): the traces kept are those whose
  full value meets COND (F > its median for numbers, F for flags,
  F == its most common value for strings, exists(F) where F has no
  value to compare);
- stats --fields F --json: its count, nulls, min, max and sum (numbers),
  true and false (flags) and the count of each value (strings) are
  those of the full values.
Under the sanitizers, one in eight of the patterns.* fields (see
sampled()).
"""
import glob
import json
import math
import os
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import (  # noqa: E402
    CORPUS, DATA, case, have_corpus, main, run, tmpfile)


def fixtures():
    """Our fixtures of record shapes, as one JSON Lines file, each line
    once (kept_traces finds a record by its bytes: a repeated chunk of a
    stream would be found at its first place)."""
    lines, seen = [], set()
    for path in sorted(glob.glob(os.path.join(DATA, "**", "*.jsonl"),
                                 recursive=True)):
        with open(path, "rb") as f:
            for line in f.read().splitlines():
                if line not in seen:
                    seen.add(line)
                    lines.append(line + b"\n")
    return tmpfile("fixtures.jsonl", b"".join(lines))


def corpus_slice(limit=4):
    """Up to limit records from each JSON Lines file of the corpus, so
    that every shape it has is in, at a cost of seconds per run."""
    parts = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "**", "*.jsonl"),
                                 recursive=True)):
        with open(path, "rb") as f:
            for k, line in enumerate(f):
                if k >= limit:
                    break
                parts.append(line if line.endswith(b"\n") else
                             line + b"\n")
    return tmpfile("corpus.jsonl", b"".join(parts))


def registry():
    rc, out, err = run(["fields", "--json"])
    assert rc == 0, err
    return [json.loads(line) for line in out.splitlines()]


def value(profile, name):
    """Field name of a profile: its dotted components walk the nesting."""
    v = profile
    for part in name.split("."):
        if not isinstance(v, dict) or part not in v:
            raise KeyError(name)
        v = v[part]
    return v


KEY = b'"__profiles__":'


def traces(path, args=()):
    """[(record, trace, profile)] from annotate, in order. Only the
    profiles are parsed: annotate adds them as the record's last key, so
    they are the text after that key up to the final '}'."""
    rc, out, err = run(["annotate", "--key", KEY[1:-2].decode()] +
                       list(args) + [path])
    assert rc in (0, 4), err
    found = []
    for r, line in enumerate(out.splitlines()):
        at = line.rfind(KEY)
        if at < 0 or not line.endswith(b"}"):
            continue
        for t, prof in enumerate(json.loads(line[at + len(KEY):-1])):
            found.append((r, t, prof))
    return found


def expr_string(s):
    """s as a string literal of the expression language, or None when it
    holds what the literal would need escapes for."""
    if any(c in s for c in '"\\') or any(ord(c) < 0x20 for c in s):
        return None
    return '"' + s + '"'


def condition(field, values):
    """A --where condition on field, and which values meet it."""
    name, kind = field["name"], field["type"]
    present = [v for v in values if v is not None]
    if kind == "bool":
        return name, lambda v: v is True
    if kind in ("int", "real") and present:
        m = sorted(present)[len(present) // 2]
        lit = repr(float(m)) if kind == "real" else str(int(m))
        if "e" in lit or "inf" in lit or "nan" in lit:
            return "exists(%s)" % name, lambda v: v is not None
        return "%s > %s" % (name, lit), lambda v: v is not None and v > m
    if kind == "string" and present:
        common = max(set(present), key=lambda s: (present.count(s), s))
        lit = expr_string(common)
        if lit is not None:
            return "%s == %s" % (name, lit), lambda v: v == common
    return "exists(%s)" % name, lambda v: v is not None


def kept_traces(path, where, extra=()):
    """(record, trace) pairs that filter --per-trace keeps. Each record
    is written as it came with its trace's index added before the final
    '}', so it is found among the input's lines by its bytes, in order."""
    rc, out, err = run(["filter", "--per-trace", "--key", "__trace__",
                        "--where", where] + list(extra) + [path])
    assert rc in (0, 1, 4), (where, err)
    with open(path, "rb") as f:
        inputs = [line.rstrip()[:-1] for line in f.read().splitlines()]
    kept, at = [], 0
    for line in out.splitlines():
        cut = line.rfind(b'"__trace__":')
        t = int(line[cut + 12:-1])
        rec = line[:cut].rstrip(b",")
        while inputs[at] != rec:
            at += 1
        kept.append((at, t))
    return kept


def check_stats(path, field, values, extra=()):
    name, kind = field["name"], field["type"]
    rc, out, err = run(["stats", "--fields", name, "--json"] + list(extra) +
                       [path])
    assert rc in (0, 4), err
    got = json.loads(out)["fields"][name]
    present = [v for v in values if v is not None]
    assert got["count"] == len(present), (name, got, len(present))
    assert got["null"] == len(values) - len(present), (name, got)
    if kind in ("int", "real") and present:
        assert got["min"] == min(present), (name, got["min"], min(present))
        assert got["max"] == max(present), (name, got["max"], max(present))
        want = math.fsum(present)
        assert math.isclose(got["sum"], want, rel_tol=1e-12,
                            abs_tol=1e-300), (name, got["sum"], want)
    elif kind == "bool":
        assert got["true"] == sum(v is True for v in present), (name, got)
        assert got["false"] == sum(v is False for v in present), (name, got)
    elif kind == "string" and got["values"] is not None:
        want = {}
        for v in present:
            want[v] = want.get(v, 0) + 1
        assert got["values"] == want, (name, got["values"], want)


def every_field(path, extra=(), keep=lambda name: True):
    """Check every field on path (those whose name keep accepts); extra:
    options given to every run."""
    extra = list(extra)
    fields = [f for f in registry() if keep(f["name"])]
    full = traces(path, extra)
    assert full, "no traces"
    # -j 2 writes the same bytes as one worker
    rc1, one, _ = run(["annotate"] + extra + [path])
    rc2, two, _ = run(["annotate", "-j", "2"] + extra + [path])
    assert rc1 == rc2 and one == two, "-j 2 differs from -j 1"
    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        return sum(pool.map(lambda f: check_field(path, f, full, extra),
                            fields))


def check_field(path, field, full, extra=()):
    name = field["name"]
    values = [value(p, name) for _, _, p in full]
    alone = traces(path, list(extra) + ["--fields", name])
    assert len(alone) == len(full), name
    for (r, t, p), (r2, t2, q) in zip(full, alone):
        assert (r, t) == (r2, t2), name
        assert value(q, name) == value(p, name), (
            "%s alone: %r, in the full profile: %r (record %d, trace %d)"
            % (name, value(q, name), value(p, name), r, t))
    if field["type"] == "json":
        return 1
    where, meets = condition(field, values)
    got = kept_traces(path, where, extra)
    want = [(r, t) for (r, t, _), v in zip(full, values) if meets(v)]
    assert got == want, ("filter --where '%s' kept %d traces, the full "
                         "values say %d" % (where, len(got), len(want)))
    check_stats(path, field, values, extra)
    return 1


SANITIZED = bool(os.environ.get("COTLOG_SANITIZED"))


def sampled(name):
    """Under the sanitizers (COTLOG_SANITIZED), where a run costs ten
    times as much, one in eight of the patterns.* fields is asked every
    way: the patterns share one code path, so the sample reaches every
    line the rest would (the default and scalar builds ask them all)."""
    if not SANITIZED or not name.startswith("patterns."):
        return True
    return zlib.crc32(name.encode()) % 8 == 0


@case
def every_field_the_same_every_way_on_fixtures():
    n = every_field(fixtures(), keep=sampled)
    assert n > (200 if SANITIZED else 400), n


TINY = os.path.join(DATA, "tokens", "tiny.json")
TOKEN_FIELDS = ["preamble.tokens", "think.tokens", "answer.tokens",
                "answer_first_at_tokens", "after_answer_tokens",
                "efficiency_tokens", "structure.switches_per_1k_tokens",
                "loop.period_tokens"]


@case
def every_field_the_same_every_way_with_tokenizer():
    """The same with a tokenizer given to every run. The fields in tokens
    must have values (the case is not vacuous: tests/data/tokens has
    records with a preamble, a loop, the reference in the reasoning);
    the other fields are those of the profile without a tokenizer. The
    patterns.* fields (two thirds of the registry, and nothing in them
    reads tokens) are checked in the full profile only, to keep the run
    time near a third of the case without a tokenizer; under the
    sanitizers (COTLOG_SANITIZED) only the fields in tokens are asked
    every way."""
    path = fixtures()
    tok = ["--tokenizer", TINY]
    full = traces(path, tok)
    plain = traces(path)
    assert len(full) == len(plain) > 100
    for f in TOKEN_FIELDS:
        have = sum(value(p, f) is not None for _, _, p in full)
        assert have > 0, f + " is null on every trace"
        assert all(value(p, f) is None for _, _, p in plain), f
    assert all(value(p, "think.tokens") is not None for _, _, p in full)
    names = [f["name"] for f in registry()]
    for (_, _, p), (_, _, q) in zip(full, plain):
        for name in names:
            if name not in TOKEN_FIELDS:
                assert value(p, name) == value(q, name), name
    if SANITIZED:
        # the tokenizer adds these; the others were asked every way
        # without it (the default build asks them with it too)
        n = every_field(path, tok, lambda f: f in TOKEN_FIELDS)
        assert n == len(TOKEN_FIELDS), n
        return
    n = every_field(path, tok, lambda f: not f.startswith("patterns."))
    assert n > 150, n


@case
def every_field_the_same_every_way_on_corpus():
    if not have_corpus():
        return "skip no corpus"
    n = every_field(corpus_slice(), keep=sampled)
    assert n > (200 if SANITIZED else 400), n


if __name__ == "__main__":
    main()
