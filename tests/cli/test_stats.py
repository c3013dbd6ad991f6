#!/usr/bin/env python3
"""test_stats.py - end-to-end tests of cotlog stats (TAP output).

Usage: test_stats.py COTLOG SRCDIR. Checks the summary against an
independent computation in Python over the profiles `cotlog annotate`
writes (exact counts, sums, min, max, mean, std; quantiles within the
sketch's documented bound), and that merging partials gives exactly what
one run gives, byte for byte: under GNU parallel --pipepart, across
files, across --by groups, in two levels, from stdin. The corpus cases
read ../shared/corpus (COTLOG_CORPUS) and skip when it is absent; each
has a twin on our fixtures (tests/data). Under the sanitizers
(COTLOG_SANITIZED), where each run costs ten times as much, the merge
cases try one grouping each rather than three: the others run the same
code on other keys, and the default and scalar builds try them all."""
import fnmatch
import glob
import gzip
import json
import math
import os
import re
import shutil
import subprocess

ALPHA = 1 / 129         # the sketch's relative error bound (README)
SANITIZED = bool(os.environ.get("COTLOG_SANITIZED"))

from tap import (  # noqa: E402
    COTLOG, DATA, SAMPLE, TMP, case, corpus_case, main, run, tmpfile)


def sh(cmd):
    p = subprocess.run(cmd, shell=True, capture_output=True, timeout=900)
    assert p.returncode == 0, (cmd, p.returncode, p.stderr[-500:])
    return p.stdout


def corpus_jsonl(root):
    """Every JSONL file below root (the corpus or the fixtures)."""
    return sorted(glob.glob(os.path.join(root, "**", "*.jsonl"),
                            recursive=True))


_big = {}
_objects = None


def objects_sample():
    """The lines of the sample that are one object: annotate shows the
    profile of each of their traces (not of a string record's)."""
    global _objects
    if _objects is None:
        keep = [l for l in open(SAMPLE, "rb").read().splitlines(True)
                if l.strip() and isinstance(json.loads(l), dict)]
        _objects = tmpfile("objects.jsonl", b"".join(keep))
    return _objects


def corpus_file(root):
    """Every JSONL file below root in one file (the corpus: about 15 MB;
    the fixtures: about 200 kB), made once."""
    if root not in _big:
        _big[root] = os.path.join(
            TMP, "fixtures.jsonl" if root == DATA else "corpus.jsonl")
        with open(_big[root], "wb") as out:
            for path in corpus_jsonl(root):
                data = open(path, "rb").read()
                out.write(data if data.endswith(b"\n") else data + b"\n")
    return _big[root]


def profiles(path, args=()):
    """The profiles annotate writes, per record (None: not an object)."""
    rc, out, err = run(["annotate", "-q", *args, path])
    assert rc in (0, 4), err
    recs = []
    for line in out.decode().splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and "cot" in rec:
            recs.append(rec)
    return recs


def get(prof, name):
    for part in name.split("."):
        if not isinstance(prof, dict) or part not in prof:
            return None
        prof = prof[part]
    return prof


def close(a, b, rel):
    return abs(a - b) <= rel * abs(b) + rel


def check_fields(fields, profs):
    """The JSON of stats against the profiles, field by field."""
    for name, st in fields.items():
        vals = [get(p, name) for p in profs]
        vals = [v for v in vals if v is not None]
        assert st["count"] == len(vals), (name, st["count"], len(vals))
        assert st["null"] == len(profs) - len(vals), name
        if st["type"] in ("int", "real"):
            if not vals:
                assert st["mean"] is None and st["p50"] is None
                continue
            vals.sort()
            n = len(vals)
            mean = math.fsum(vals) / n
            # annotate writes reals with 6 digits ("%.6g"): compare them
            # within that rounding; ints exactly (the unit tests check
            # reals exactly, from the library's doubles)
            r = 1e-12 if st["type"] == "int" else 1e-5
            assert close(st["min"], vals[0], r), name
            assert close(st["max"], vals[-1], r), name
            if st["type"] == "int":
                assert st["nonzero"] == sum(1 for v in vals if v != 0)
                assert st["sum"] == sum(vals), name
            assert close(st["mean"], mean, r), (name, st["mean"], mean)
            if n > 1:
                sd = math.sqrt(math.fsum((v - mean) ** 2 for v in vals) /
                               (n - 1))
                assert close(st["std"], sd, r * 100), (name, st["std"], sd)
            for q, key in ((0.5, "p50"), (0.9, "p90"), (0.99, "p99")):
                exact = vals[int(q * (n - 1))]
                got = st[key]
                assert abs(got - exact) <= (ALPHA * (1 + 1e-12) + r) * \
                    abs(exact) + r, (name, key, got, exact)
        elif st["type"] == "bool":
            assert st["true"] == sum(1 for v in vals if v is True)
            assert st["false"] == sum(1 for v in vals if v is False)
        elif st["type"] == "string":
            counts = {}
            for v in vals:
                counts[v] = counts.get(v, 0) + 1
            if st["values"] is None:
                assert len(counts) > 64 or any(
                    len(v.encode()) > 256 for v in counts), name
            else:
                assert st["values"] == counts, name


# ---- the command --------------------------------------------------------

@case
def help_documents_every_option():
    rc, out, _ = run(["stats", "--help"])
    assert rc == 0
    for opt in (b"--by EXPR", b"--fields LIST", b"--json", b"--tsv",
                b"--partial", b"--merge", b"--max-groups", b"Exit status",
                b"--field PATH"):
        assert opt in out, opt
    rc, out, _ = run(["--help"])
    assert b"stats" in out


@case
def usage_errors_exit_2():
    for args, msg in ((["stats", "--bogus"], b"unknown option"),
                      (["stats", "--json", "--tsv"], b"exclude"),
                      (["stats", "--partial", "--json"], b"--partial"),
                      (["stats", "--merge", "--by", "format"], b"--by"),
                      (["stats", "--fields", "no.such", SAMPLE],
                       b"no field 'no.such'"),
                      (["stats", "--max-groups", "0", SAMPLE],
                       b"--max-groups"),
                      (["stats", os.path.join(TMP, "missing.jsonl")],
                       b"missing.jsonl")):
        rc, out, err = run(args)
        assert rc == 2, (args, rc, err)
        assert msg in err, (args, err)


@case
def table_shows_counts_lengths_rates_shares():
    rc, out, err = run(["stats", SAMPLE])
    assert rc == 0, err
    text = out.decode()
    assert text.startswith("14 records, 14 traces (1 with no trace")
    for want in ("lengths", "think.words", "count", "p99",
                 "distribution", "rates", "closed"):
        assert want in text, want
    # sparklines are drawn with block characters
    assert any(c in text for c in "\u2581\u2582\u2584\u2588")
    assert all(len(line) <= 100 for line in text.splitlines())


@case
def json_matches_independent_computation():
    sample = objects_sample()
    rc, out, err = run(["stats", "--json", sample])
    assert rc == 0, err
    assert out.endswith(b"\n") and out.count(b"\n") == 1
    st = json.loads(out)
    recs = profiles(sample)
    profs = [p for r in recs for p in r["cot"]]
    assert st["records"] == len(recs) > 5
    assert st["traces"] == len(profs)
    assert st["no_trace"] == sum(1 for r in recs if not r["cot"])
    assert st["malformed"] == 0 and st["by"] is None
    assert abs(st["quantile_relative_error"] - ALPHA) < 1e-15
    check_fields(st["fields"], profs)


@case
def tool_only_records_are_counted_apart():
    """A record whose only turns were tool calls is no trace, counted as
    tool_only, not no_trace: in the table, JSON, TSV, per group, through
    a partial and a merge, with -j 2, and by annotate --stats."""
    tool = {"type": "message", "role": "assistant", "model": "m",
            "content": [{"type": "tool_use", "id": "t", "name": "ls",
                         "input": {}}]}
    calls = {"model": "m", "choices": [{"message": {
        "role": "assistant", "content": None,
        "tool_calls": [{"id": "c"}]}}]}
    trace = {"model": "m", "response": "<think>a b</think>c"}
    empty = {"model": "m", "other": 1}
    recs = [tool, trace, calls, empty, trace, tool]
    path = tmpfile("tools.jsonl", "".join(json.dumps(r) + "\n"
                                           for r in recs))
    want = {"records": 6, "traces": 2, "no_trace": 1, "tool_only": 3}
    for args in ([], ["-j", "2"]):
        rc, out, err = run(["stats", "--json", "--by", "rec.model"] +
                           args + [path])
        assert rc == 0, err
        st = json.loads(out)
        assert {k: st[k] for k in want} == want, st
        g = st["groups"][0]
        assert {k: g[k] for k in want} == want, g
    rc, out, _ = run(["stats", "--tsv", path])
    assert b"(all)\t\ttool_only\t3\n" in out, out
    rc, out, _ = run(["stats", "--by", "rec.model", path])
    assert b"3 of tool calls only" in out and b"tool calls only" in \
        out.split(b"counts")[-1], out
    rc, part, err = run(["stats", "--partial", "--by", "rec.model", path])
    assert rc == 0, err
    p2 = tmpfile("tools.partial", part + part)
    rc, out, err = run(["stats", "--merge", "--json", p2])
    assert rc == 0, err
    st = json.loads(out)
    assert st["tool_only"] == 6 and st["no_trace"] == 2, st
    assert st["groups"][0]["tool_only"] == 6
    rc, _, err = run(["annotate", "--stats", path])
    assert b"no_trace 1, tool_only 3," in err, err


@case
def tsv_is_group_field_stat_value():
    rc, out, _ = run(["stats", "--tsv", SAMPLE])
    assert rc == 0
    lines = out.decode().splitlines()
    assert lines[0] == "group\tfield\tstat\tvalue"
    rows = [l.split("\t") for l in lines[1:]]
    assert all(len(r) == 4 for r in rows)
    d = {(r[0], r[1], r[2]): r[3] for r in rows}
    js = json.loads(run(["stats", "--json", SAMPLE])[1])
    assert d[("(all)", "", "records")] == "14"
    assert int(d[("(all)", "think.words", "sum")]) == \
        js["fields"]["think.words"]["sum"]
    assert float(d[("(all)", "think.words", "p90")]) == \
        js["fields"]["think.words"]["p90"]


@case
def fields_chooses_what_is_summarized():
    rc, out, _ = run(["stats", "--json", "--fields", "think.*,closed",
                      SAMPLE])
    assert rc == 0
    names = list(json.loads(out)["fields"])
    assert names == ["closed", "think.bytes", "think.chars",
                     "think.words", "think.tokens"], names
    rc, out, _ = run(["stats", "--fields", "format", SAMPLE])
    assert rc == 0 and b"shares" in out and b"openai-chat" in out
    # shell patterns, as fnmatch reads them ('*' crosses dots)
    rc, out, _ = run(["stats", "--json", "--fields", "*.words", SAMPLE])
    assert rc == 0
    names = list(json.loads(out)["fields"])
    rc, reg, _ = run(["fields", "--json"])
    want = [r["name"] for r in map(json.loads, reg.splitlines())
            if fnmatch.fnmatchcase(r["name"], "*.words")
            and r["type"] != "json"]
    assert names == want and "think.words" in names, (names, want)


@case
def by_expression_groups_traces():
    sample = objects_sample()
    rc, out, err = run(["stats", "--json", "--by", "rec.model", sample])
    assert rc == 0, err
    st = json.loads(out)
    assert st["by"] == "rec.model"
    recs = profiles(sample)
    want = {}
    for r in recs:
        key = r.get("model") if isinstance(r.get("model"), str) else None
        g = want.setdefault(key, {"records": 0, "traces": 0})
        g["records"] += 1
        g["traces"] += len(r["cot"])
    got = {g["key"]: {"records": g["records"], "traces": g["traces"]}
           for g in st["groups"]}
    assert got == want, (got, want)
    assert st["groups"][0]["key"] is None    # null sorts first
    keys = [g["key"] for g in st["groups"][1:]]
    assert keys == sorted(keys)
    # the table puts the groups side by side
    rc, out, _ = run(["stats", "--by", "rec.model", SAMPLE])
    assert rc == 0 and b"(all)" in out and b"deepseek-reasoner" in out


@case
def by_errors_exit_3_with_caret():
    rc, out, err = run(["stats", "--by", "think.words +", SAMPLE])
    assert rc == 3 and out == b""
    assert b"--by" in err and b"^" in err
    # a value of the wrong type at run time: reported, counted, exit 3
    data = tmpfile("types.jsonl",
                   b'{"x":"a","response":"<think>a</think>b"}\n'
                   b'{"x":2,"response":"<think>a</think>b"}\n')
    rc, out, err = run(["stats", "--json", "--by", "rec.x * 2", data])
    assert rc == 3, (rc, err)
    assert b"types.jsonl:1: --by" in err
    st = json.loads(out)
    assert st["traces"] == 2 and st["by_errors"] == 1
    assert [g["key"] for g in st["groups"]] == [4]


@case
def too_many_groups_exit_2():
    rc, _, err = run(["stats", "--by", "think.bytes", "--max-groups", "3",
                      SAMPLE])
    assert rc == 2 and b"more than 3 groups" in err


@case
def merge_keeps_to_max_groups():
    """--max-groups holds for --merge too: past it in one partial or in
    their merge, exit 2; a partial of more groups than the default is
    merged when --max-groups allows it."""
    lines = "".join('{"response": "<think>%s</think>y"}\n' % ("w " * k)
                    for k in range(1, 1201))
    many = tmpfile("many.jsonl", lines)
    rc, part, err = run(["stats", "--by", "think.words", "--max-groups",
                         "2000", "--fields", "think.words", "--partial",
                         many])
    assert rc == 0, err
    p = tmpfile("many.partial", part)
    rc, out, err = run(["stats", "--merge", "--json", "--max-groups",
                        "2000", p])
    assert rc == 0, err
    assert len(json.loads(out)["groups"]) == 1200
    rc, _, err = run(["stats", "--merge", "--json", p])
    assert rc == 2 and b"more than 1000 groups" in err, err
    rc, part, err = run(["stats", "--by", "think.bytes", "--partial",
                         SAMPLE])
    assert rc == 0, err
    two = tmpfile("sample.partial", part)
    rc, _, err = run(["stats", "--merge", "--max-groups", "2", two])
    assert rc == 2 and b"more than 2 groups" in err, err


@case
def malformed_lines_counted_per_file():
    a = tmpfile("a.jsonl", b'{"response":"<think>x</think>y"}\n{bad\n')
    b = tmpfile("b.jsonl", b'nope\n[1,\n{"response":"<think>z</think>"}\n')
    rc, out, err = run(["stats", "--json", "--by", "file", a, b])
    assert rc == 4, err
    st = json.loads(out)
    assert st["malformed"] == 3 and st["records"] == 2
    got = {g["key"]: g["malformed"] for g in st["groups"]}
    assert got == {a: 1, b: 2}, got
    # a broken pretty-printed document is one malformed, of its file
    c = tmpfile("c.json", b'[\n {"response":"<think>q</think>"},\n'
                b' {"response": nope}\n]\n')
    rc, out, err = run(["stats", "--json", "--by", "file", a, c])
    assert rc == 4, err
    got = {g["key"]: g["malformed"] for g in json.loads(out)["groups"]}
    assert got == {a: 1, c: 1}, got


@case
def odd_keys_stay_valid_json():
    # a file name that is not UTF-8, and list keys spaced differently
    path = os.fsencode(TMP) + b"/bad\xff.jsonl"
    with open(path, "wb") as f:
        f.write(b'{"k":[1, 2],"response":"<think>a</think>b"}\n'
                b'{"k":[1,2],"response":"<think>a b</think>c"}\n')
    for by in ("file", "rec.k"):
        rc, out, err = run(["stats", "--json", "--by", by, path])
        assert rc == 0, err
        st = json.loads(out.decode("utf-8"))
        keys = [g["key"] for g in st["groups"]]
        assert keys == ([os.fsdecode(path).replace("\udcff", "\ufffd")]
                        if by == "file" else [[1, 2]]), keys
        rc, part, _ = run(["stats", "--partial", "--by", by, path])
        rc, merged, err = run(["stats", "--merge", "--json"], stdin=part)
        assert rc == 0 and merged == out, err


@case
def empty_input_and_empty_merge_agree():
    empty = tmpfile("empty.jsonl", b"")
    rc, single, _ = run(["stats", "--json", empty])
    assert rc == 0
    st = json.loads(single)
    assert st["records"] == 0 and st["fields"]["think.words"]["p50"] is None
    rc, merged, _ = run(["stats", "--merge", "--json", "-"], stdin=b"")
    assert rc == 0 and merged == single
    rc, part, _ = run(["stats", "--partial", empty])
    rc, merged, _ = run(["stats", "--merge", "--json"], stdin=part)
    assert rc == 0 and merged == single


@case
def damaged_partials_are_reported():
    rc, part, _ = run(["stats", "--partial", SAMPLE])
    assert rc == 0 and part.count(b"\n") == 1
    bad = part + b"{\"not\": \"a partial\"}\n" + part[:50] + b"\n" + part
    path = tmpfile("bad.partial", bad)
    rc, out, err = run(["stats", "--merge", "--json", path])
    assert rc == 4, err
    assert b"bad.partial:2:" in err and b"bad.partial:3:" in err
    rc, twice, _ = run(["stats", "--json", SAMPLE, SAMPLE])
    assert out == twice
    # partials grouped differently do not merge
    rc, other, _ = run(["stats", "--partial", "--by", "format", SAMPLE])
    rc, out, err = run(["stats", "--merge", "-"], stdin=part + other)
    assert rc == 2 and b"grouped differently" in err
    # nor partials of other fields
    rc, other, _ = run(["stats", "--partial", "--fields", "steps", SAMPLE])
    rc, out, err = run(["stats", "--merge", "-"], stdin=part + other)
    assert rc == 2 and b"other fields" in err


# ---- merging is exact ---------------------------------------------------

FORMATS = (["--json"], ["--tsv"], [])


def same_in_every_format(single_args, partial_cmd, extra=()):
    """The merge of the partials partial_cmd writes equals the single run
    of single_args, in JSON, TSV and the table."""
    part = sh(partial_cmd)
    assert part.count(b"\n") >= 1
    path = tmpfile("parts.jsonl", part)
    for fmt in FORMATS:
        rc, one, err = run(["stats", "-q", *fmt, *extra, *single_args])
        assert rc in (0, 4), err
        rc, merged, err = run(["stats", "--merge", *fmt, *extra, path])
        assert rc == 0, err
        assert merged == one, (fmt, len(merged), len(one))
    return part


@corpus_case
def gnu_parallel_pipepart_merge_is_byte_identical(root, fixtures):
    if not shutil.which("parallel"):
        return "skip no GNU parallel"
    big = corpus_file(root)
    q = f"'{COTLOG}'"
    block = "2k" if fixtures else "200k"
    bys = ([], ["--by", "format"], ["--by", "rec.model"])
    for by in bys[2:] if SANITIZED else bys:
        b = " ".join(f"'{x}'" for x in by)
        part = same_in_every_format(
            [*by, big],
            f"parallel --pipepart --block {block} -a '{big}' {q} stats -q "
            f"--partial {b}")
        n = part.count(b"\n")
        assert n >= (20 if fixtures else 40), n     # really many pieces
    # and the independent check of the single run
    rc, out, _ = run(["stats", "--json", "-q", big])
    profs = [p for r in profiles(big) for p in r["cot"]]
    check_fields(json.loads(out)["fields"], profs)


@corpus_case
def partials_of_different_files_merge(root, fixtures):
    files = corpus_jsonl(root)
    assert len(files) >= 20, files
    q = f"'{COTLOG}'"
    names = " ".join(f"'{f}'" for f in files)
    # one partial per file, in reverse order; groups differ by file
    bys = (["--by", "file"], ["--by", "rec.model"], [])
    for by in bys[:1] if SANITIZED else bys:
        b = " ".join(f"'{x}'" for x in by)
        part = same_in_every_format(
            [*by, *files],
            f"for f in {names}; do {q} stats -q --partial {b} \"$f\"; done"
            f" | tac")
        assert part.count(b"\n") == len(files)


@corpus_case
def merge_in_two_levels_and_from_stdin(root, fixtures):
    files = corpus_jsonl(root)
    assert len(files) >= 20, files
    parts = [run(["stats", "-q", "--partial", "--by", "rec.model", f])[1]
             for f in files]
    half = len(parts) // 2
    # a combiner: merge each half into a partial, then merge those
    rc, a, _ = run(["stats", "--merge", "--partial", "-"],
                   stdin=b"".join(parts[:half]))
    rc, b, _ = run(["stats", "--merge", "--partial", "-"],
                   stdin=b"".join(parts[half:]))
    assert a.count(b"\n") == 1 and b.count(b"\n") == 1
    rc, two, _ = run(["stats", "--merge", "--json", "-"], stdin=a + b)
    rc, one, _ = run(["stats", "-q", "--json", "--by", "rec.model",
                      *files])
    assert two == one
    # Hadoop Streaming hands key-only lines to the reducer with a tab
    hadoop = b"".join(p.rstrip(b"\n") + b"\t\n" for p in parts)
    rc, out, err = run(["stats", "--merge", "--json", "-"], stdin=hadoop)
    assert rc == 0 and out == one, err


# ---- TSV numbers and --merge of records --------------------------------------

@case
def tsv_values_are_the_json_text():
    """Each value of --tsv is the text --json writes for it (null: an
    empty cell): counts and the min, max and sum of integer fields as
    integers, reals the shortest way that reads back."""
    for args in ([SAMPLE], ["--by", "format", SAMPLE]):
        rc, js, err = run(["stats", "--json", *args])
        assert rc == 0, err
        st = json.loads(js, parse_int=str, parse_float=str)
        rc, tsv, err = run(["stats", "--tsv", *args])
        assert rc == 0, err
        order, rows = [], {}
        for line in tsv.decode().splitlines()[1:]:
            # cells escape tabs, line breaks and backslashes (README)
            g, f, stat, v = [re.sub(r"\\(.)", lambda m: {
                "t": "\t", "n": "\n"}.get(m.group(1), m.group(1)), c)
                for c in line.split("\t")]
            if g not in rows:
                order.append(g)
                rows[g] = {}
            rows[g][(f, stat)] = v
        groups = [st] + (st.get("groups") or [])
        assert len(order) == len(groups) and order[0] == "(all)"
        checked = 0
        for gname, jg in zip(order, groups):
            r = rows[gname]
            for k in ("records", "traces", "no_trace", "malformed"):
                assert r[("", k)] == jg[k], (gname, k)
            for name, fj in jg["fields"].items():
                for stat, val in fj.items():
                    if stat in ("type", "unit"):
                        continue
                    if stat == "values":
                        for v, c in (val or {}).items():
                            assert r[(name, "count=" + v)] == c
                        continue
                    want = "" if val is None else val
                    assert r[(name, stat)] == want, \
                        (gname, name, stat, r[(name, stat)], want)
                    checked += 1
        assert checked > 1000, checked


@case
def merge_reads_gzip_partials():
    """--merge reads partials through the library's reader: gzip ones
    (two streams concatenated, as `cat a.gz b.gz` makes) merge as the
    plain ones do, and a truncated one is reported with the partials
    before it still merged."""
    rc, part, _ = run(["stats", "--partial", SAMPLE])
    assert rc == 0
    plain = tmpfile("two.partial", part + part)
    packed = tmpfile("two.partial.gz", gzip.compress(part) +
                     gzip.compress(part))
    rc, want, err = run(["stats", "--merge", "--json", plain])
    assert rc == 0, err
    rc, got, err = run(["stats", "--merge", "--json", packed])
    assert rc == 0 and got == want, err
    whole = gzip.compress(part + part)
    cut = tmpfile("cut.partial.gz", whole[:len(whole) - 12])
    rc, got, err = run(["stats", "--merge", "--json", cut])
    assert rc == 2 and b"truncated" in err, err
    assert json.loads(got)["records"] == json.loads(part)["total"][
        "records"], got


@case
def merge_of_records_is_refused_once():
    """Records given to --merge: one message naming the file, exit 2 as
    for an unreadable input; the partials beside it are still merged."""
    rc, part, _ = run(["stats", "--partial", SAMPLE])
    assert rc == 0
    path = tmpfile("part.partial", part)
    rc, out, err = run(["stats", "--merge", "--json", SAMPLE, path])
    assert rc == 2, err
    lines = err.decode().splitlines()
    assert lines == [f"cotlog: {SAMPLE}: not a stats partial (what "
                     "'cotlog stats --partial' writes); to summarize "
                     "records, leave out --merge"], lines
    assert out == run(["stats", "--json", SAMPLE])[1]
    rc, out, err = run(["stats", "--merge", "-"],
                       stdin=open(SAMPLE, "rb").read())
    assert rc == 2 and err.count(b"\n") == 1, err
    assert b"<stdin>: not a stats partial" in err
    # a partial that is only damaged is still reported line by line
    rc, out, err = run(["stats", "--merge", "-"], stdin=part[:60] + b"\n")
    assert rc == 4 and b"<stdin>:1: " in err, err


# ---- several keys -------------------------------------------------------

TIMES = "\u00d7"


def rank_key(v):
    """The order of group keys (README): null, false, true, numbers,
    strings, lists and objects."""
    if v is None:
        return (0, 0, "")
    if v is False:
        return (1, 0, "")
    if v is True:
        return (2, 0, "")
    if isinstance(v, (int, float)):
        return (3, v, "")
    if isinstance(v, str):
        return (4, 0, json.dumps(v, ensure_ascii=False).encode())
    return (5, 0, json.dumps(v, separators=(",", ":")))


@case
def two_keys_group_by_both():
    """--by rec.model --by closed: a group per model and value of closed,
    counted as in Python over annotate's profiles, sorted by the model,
    then closed; its key the list, its name the two joined by ' × '."""
    sample = objects_sample()
    rc, out, err = run(["stats", "--json", "--by", "rec.model", "--by",
                        "closed", sample])
    assert rc == 0, err
    st = json.loads(out)
    assert st["by"] == ["rec.model", "closed"], st["by"]
    want = {}
    for r in profiles(sample):
        model = r.get("model") if isinstance(r.get("model"), str) else None
        keys = [(model, p.get("closed")) for p in r["cot"]] or [(model, None)]
        for k in set(keys):
            want.setdefault(k, {"records": 0, "traces": 0})["records"] += 1
        for p in r["cot"]:
            want[(model, p.get("closed"))]["traces"] += 1
    got = {tuple(g["key"]): {"records": g["records"], "traces": g["traces"]}
           for g in st["groups"]}
    assert got == want, (got, want)
    order = [tuple(g["key"]) for g in st["groups"]]
    assert order == sorted(order, key=lambda k: (rank_key(k[0]),
                                                 rank_key(k[1]))), order
    assert len({k[0] for k in order}) > 2 and \
        len({k[1] for k in order}) >= 2, order
    rc, tsv, _ = run(["stats", "--tsv", "--by", "rec.model", "--by",
                      "closed", sample])
    names = []
    for line in tsv.decode().splitlines()[1:]:
        if line.split("\t")[0] not in names:
            names.append(line.split("\t")[0])
    assert names[1:] == [
        f" {TIMES} ".join("null" if v is None else
                          ("true" if v else "false") if isinstance(v, bool)
                          else v for v in k) for k in order], names
    rc, table, _ = run(["stats", "--by", "rec.model", "--by", "closed",
                        sample])
    assert f"by rec.model {TIMES} closed: {len(order)} groups" in \
        table.decode()


@case
def file_among_the_keys():
    a = tmpfile("ka.jsonl", b'{"response":"<think>x</think>y"}\n'
                b'{"response":"<think>x y"}\nnot json\n')
    b = tmpfile("kb.jsonl", b'{"response":"<think>z</think>w"}\n')
    rc, out, err = run(["stats", "--json", "--by", "file", "--by",
                        "closed", a, b])
    assert rc == 4, err
    st = json.loads(out)
    got = {tuple(g["key"]): g["traces"] for g in st["groups"]}
    assert got == {(a, False): 1, (a, True): 1, (b, True): 1}, got
    # a malformed line has no record for the other keys: total only
    assert st["malformed"] == 1
    assert all(g["malformed"] == 0 for g in st["groups"])
    rc, out, err = run(["stats", "--json", "--by", "closed", "--by",
                        "file", a, b])
    assert [g["key"] for g in json.loads(out)["groups"]] == \
        [[False, a], [True, a], [True, b]]


@case
def several_keys_errors_point_at_their_key():
    rc, out, err = run(["stats", "--by", "rec.model", "--by",
                        "think.words +", SAMPLE])
    assert rc == 3 and out == b"", err
    lines = err.decode().splitlines()
    assert lines[0].startswith("cotlog: --by (key 2 of 2): "), lines
    assert lines[1] == "  think.words +", lines
    assert lines[2] == "  " + " " * len("think.words +") + "^", lines
    rc, _, err = run(["stats", "--by", "rec.model", "--by", "a\x1fb",
                      SAMPLE])
    assert rc == 3 and b"0x1f" in err and b"   ^" in err, err
    rc, _, err = run(["stats", "--by", "rec.model", "--by", "", SAMPLE])
    assert rc == 2 and b"--by needs an expression" in err, err


@corpus_case
def several_keys_merge_is_byte_identical(root, fixtures):
    """Partials of each file, grouped by two keys, merged in reverse:
    the bytes of one run, in every format and with --compare too. Under
    the sanitizers, on the fixtures only, and --compare in one format:
    the corpus runs the same code on more records."""
    if SANITIZED and not fixtures:
        return "skip under the sanitizers (the fixtures' twin runs)"
    files = corpus_jsonl(root)
    q = f"'{COTLOG}'"
    names = " ".join(f"'{f}'" for f in files)
    by = ["--by", "format", "--by", "closed"]
    b = " ".join(f"'{x}'" for x in by)
    part = same_in_every_format(
        [*by, *files],
        f"for f in {names}; do {q} stats -q --partial {b} \"$f\"; done"
        f" | tac")
    assert b'"cotlog_stats_partial":3' in part
    path = tmpfile("parts.jsonl", part)
    for fmt in FORMATS[:1] if SANITIZED else FORMATS:
        rc, one, err = run(["stats", "-q", "--compare", *fmt, *by, *files])
        assert rc in (0, 4), err
        rc, merged, err = run(["stats", "--merge", "--compare", *fmt, path])
        assert rc == 0 and merged == one, (fmt, err)
        assert b"newcombe" in one if fmt else b"95% interval" in one


def label_column(text, field):
    """The group names of field's rows in the lengths table: the first
    line of each in columns 2..22, the lines after it whole."""
    lines = text.splitlines()
    i = lines.index(field) + 1
    names = []
    while i < len(lines) and lines[i].startswith("  "):
        line = lines[i]
        if len(line) > 22 and line[22:].strip():
            names.append(line[2:22])
        else:
            names[-1] += line[2:]
        i += 1
    return [n.replace(" ", "") for n in names]


def head_columns(text):
    """The heads of the columns of the counts grid, each joined over its
    lines: a column ends where its right-aligned numbers end in the
    records row, and starts two columns after the one before."""
    heads, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        if not lines[i].startswith("counts "):
            i += 1
            continue
        j = i
        while not lines[j].startswith("records"):
            j += 1
        edges = [m.end() for m in re.finditer(r"\S+", lines[j][22:])]
        start = 22
        for e in edges:
            heads.append("".join(l[start:22 + e].strip()
                                 for l in lines[i:j]))
            start = 22 + e
        i = j
    return heads


@case
def names_are_never_cut_at_80_columns():
    long = "-".join(["qwen3-235b-a22b-thinking-2507"] * 5)[:120]
    other = "deepseek-r1-distill-llama-70b_" + "x" * 90
    assert len(long) == len(other) == 120
    recs = "".join(json.dumps({"model": m, "type": t, "response":
                               "<think>%s</think>y" % ("w " * k)}) + "\n"
                   for k, (m, t) in enumerate(
                       [(long, "qa"), (other, "math"), (long, "math"),
                        ("m", "qa")] * 2))
    path = tmpfile("long.jsonl", recs)
    rc, out, err = run(["stats", "--by", "rec.model", path],
                       env={"COLUMNS": "80"})
    assert rc == 0, err
    text = out.decode()
    assert "\u2026" not in text
    assert sorted(label_column(text, "think.words")) == \
        sorted(["(all)", "m", long, other]), label_column(text, "think.words")
    assert head_columns(text) == ["(all)", other, "m", long], \
        head_columns(text)
    # and with two keys: each name whole, over more lines
    rc, out, err = run(["stats", "--by", "rec.model", "--by", "rec.type",
                        path], env={"COLUMNS": "80"})
    assert rc == 0, err
    text = out.decode()
    assert "\u2026" not in text
    want = ["(all)"] + [f"{m}{TIMES}{t}" for m, t in
                        [("m", "qa"), (other, "math"), (long, "math"),
                         (long, "qa")]]
    got = label_column(text, "think.words")
    assert sorted(got) == sorted(want), got
    assert all(len(l) <= 80 for l in text.split("\nlengths")[0]
               .splitlines()), text
    # --compare's heads too
    rc, out, err = run(["stats", "--compare", "--by", "rec.model", "--by",
                        "rec.type", path], env={"COLUMNS": "80"})
    assert rc == 0, err
    text = out.decode().replace(" ", "").replace("\n", "")
    for m, t in [("m", "qa"), (other, "math"), (long, "math")]:
        assert f"{m}{TIMES}{t}" in text, (m, t)


# ---- --compare ----------------------------------------------------------

def inc_beta(a, b, x):
    """I_x(a, b) by its continued fraction (Lentz), math.lgamma."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    if x > (a + 1) / (a + b + 2):
        return 1 - inc_beta(b, a, 1 - x)
    front = math.exp(a * math.log(x) + b * math.log1p(-x) +
                     math.lgamma(a + b) - math.lgamma(a) -
                     math.lgamma(b)) / a
    f, c, d = 1.0, 1.0, 0.0
    for i in range(100000):
        m = i // 2
        if i == 0:
            num = 1.0
        elif i % 2 == 0:
            num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        else:
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) *
                                                (a + 2 * m + 1))
        d = 1 + num * d
        d = 1 / (d if abs(d) > 1e-300 else 1e-300)
        c = 1 + num / c
        c = c if abs(c) > 1e-300 else 1e-300
        f *= c * d
        if abs(1 - c * d) < 1e-15:
            break
    return front * (f - 1)


def t_quantile(p, df):
    """By bisection on P(T > t) = I_{df/(df+t^2)}(df/2, 1/2) / 2."""
    lo, hi = 0.0, 1e4
    for _ in range(200):
        mid = (lo + hi) / 2
        if inc_beta(df / 2, 0.5, df / (df + mid * mid)) / 2 > 1 - p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def welch(x, y):
    n1, n2 = len(x), len(y)
    m1, m2 = math.fsum(x) / n1, math.fsum(y) / n2
    v1 = math.fsum((v - m1) ** 2 for v in x) / (n1 - 1)
    v2 = math.fsum((v - m2) ** 2 for v in y) / (n2 - 1)
    a, b = v1 / n1, v2 / n2
    df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    h = t_quantile(0.975, df) * math.sqrt(a + b)
    return m1 - m2, m1 - m2 - h, m1 - m2 + h, df


def newcombe(t1, n1, t2, n2):
    from statistics import NormalDist
    z = NormalDist().inv_cdf(0.975)

    def wilson(t, n):
        p = t / n
        mid, half = 2 * t + z * z, z * math.sqrt(z * z + 4 * t * (1 - p))
        return (mid - half) / (2 * (n + z * z)), \
            (mid + half) / (2 * (n + z * z))
    p1, p2 = t1 / n1, t2 / n2
    (l1, u1), (l2, u2) = wilson(t1, n1), wilson(t2, n2)
    d = p1 - p2
    return d, d - math.hypot(p1 - l1, u2 - p2), \
        d + math.hypot(u1 - p1, p2 - l2)


def compare_data():
    """Three models: b thinks far longer than a (a real difference), c
    about as long; closed about as often in each."""
    recs = []
    for k in range(36):
        m = "abc"[k % 3]
        words = {"a": 3 + k % 5, "b": 40 + k % 13, "c": 2 + k % 7}[m]
        closed = k % 4 != 1
        recs.append({"model": m, "response": "<think>%s%s" % (
            "w " * words, "</think>y" if closed else "")})
    return tmpfile("compare.jsonl", "".join(json.dumps(r) + "\n"
                                            for r in recs))


@case
def compare_matches_welch_and_newcombe():
    path = compare_data()
    by = ["--by", "rec.model", "--fields", "think.words,closed"]
    rc, out, err = run(["stats", "--compare", "--json", *by, path])
    assert rc == 0, err
    st = json.loads(out)
    assert st["baseline"] == "a" and st["confidence"] == 0.95
    vals = {}
    for r in profiles(path):
        for p in r["cot"]:
            v = vals.setdefault(r["model"], {"w": [], "c": []})
            v["w"].append(p["think"]["words"])
            v["c"].append(p["closed"])
    assert [g["key"] for g in st["groups"]] == ["b", "c"]
    sig = {}
    for g in st["groups"]:
        x, y = vals[g["key"]], vals["a"]
        w = g["fields"]["think.words"]
        assert w["method"] == "welch" and w["n"] == len(x["w"])
        for k, want in zip(("diff", "lo", "hi", "df"), welch(x["w"], y["w"])):
            assert close(w[k], want, 1e-9), (g["key"], k, w[k], want)
        c = g["fields"]["closed"]
        assert c["method"] == "newcombe" and "df" not in c
        for k, want in zip(("diff", "lo", "hi"), newcombe(
                sum(x["c"]), len(x["c"]), sum(y["c"]), len(y["c"]))):
            assert close(c[k], want, 1e-12), (g["key"], k, c[k], want)
        for f in (w, c):
            assert f["significant"] == (f["lo"] > 0 or f["hi"] < 0)
        sig[g["key"]] = (w["significant"], c["significant"])
    assert sig == {"b": (True, False), "c": (False, False)}, sig
    # TSV: the same numbers as the JSON's text
    rc, tsv, err = run(["stats", "--compare", "--tsv", *by, path])
    rows = [l.split("\t") for l in tsv.decode().splitlines()]
    assert rows[0] == ["group", "baseline", "field", "method", "n",
                       "baseline_n", "value", "baseline_value", "diff",
                       "lo", "hi", "df", "significant"], rows[0]
    st = json.loads(out, parse_float=str, parse_int=str)
    for r in rows[1:]:
        f = [g for g in st["groups"] if g["key"] == r[0]][0]["fields"][r[2]]
        assert r[1] == "a" and r[3] == f["method"]
        assert r[8:11] == [f["diff"], f["lo"], f["hi"]], (r, f)
        assert r[12] == ("true" if f["significant"] else "false")
    assert len(rows) == 5
    # the table: intervals, '*' where one excludes 0, the methods named
    rc, table, err = run(["stats", "--compare", *by, path])
    text = table.decode()
    assert "Welch" in text and "Newcombe" in text and "95% interval" in text
    rows = [l for l in text.splitlines() if l.startswith("  think.words")]
    assert len(rows) == 2 and rows[0].endswith("] *") and \
        rows[1].endswith("]"), rows
    # --baseline by name; the intervals turn round
    rc, out2, err = run(["stats", "--compare", "--json", "--baseline", "b",
                         *by, path])
    assert rc == 0, err
    g = json.loads(out2)["groups"][0]
    assert g["key"] == "a"
    w = [x for x in json.loads(out)["groups"] if x["key"] == "b"][0]
    assert float(w["fields"]["think.words"]["lo"]) == \
        -g["fields"]["think.words"]["hi"]


@case
def compare_usage_errors_exit_2():
    path = compare_data()
    for args, msg in ((["--compare", path], b"--compare needs --by"),
                      (["--baseline", "a", "--by", "rec.model", path],
                       b"--baseline goes with --compare"),
                      (["--compare", "--partial", "--by", "rec.model", path],
                       b"--partial"),
                      (["--compare", "--by", "rec.model", "--baseline",
                        "zz", path], b"no group is named 'zz'"),
                      (["--compare", "--by", "'one'", path],
                       b"1 group: a comparison needs two or more")):
        rc, out, err = run(["stats", *args])
        assert rc == 2 and msg in err and out == b"", (args, rc, err)
    rc, part, _ = run(["stats", "--partial", path])
    rc, _, err = run(["stats", "--merge", "--compare", "-"], stdin=part)
    assert rc == 2 and b"no groups to compare" in err, err
    rc, out, _ = run(["stats", "--help"])
    assert b"--compare" in out and b"--baseline NAME" in out and \
        b"Newcombe" in out and b"Welch" in out


# ---- runner -------------------------------------------------------------


main()
