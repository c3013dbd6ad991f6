"""test_robust.py - hostile inputs: damaged partials, deep expressions,
negative numeric options, big integers. Each case failed (crashed, or
answered wrongly) before its fix; run it under ASan+UBSan too."""
import json
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from tap import SAMPLE, case, main, run, tmpfile  # noqa: E402

INT64_MIN = -9223372036854775808
INT64_MAX = 9223372036854775807


def line(obj):
    return (json.dumps(obj, separators=(",", ":")) + "\n").encode()


# ---- damaged partials ---------------------------------------------------

def valid_partial():
    """A partial with a field of each type, and groups."""
    rc, part, err = run(["stats", "--partial", "--by", "format", "--fields",
                         "think.words,closed,finish_reason,"
                         "structure.step_words.mean", SAMPLE])
    assert rc == 0, err
    return json.loads(part)


def paths(obj, at=()):
    """Every place in obj: (path, value), parents before children."""
    yield at, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from paths(v, at + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from paths(v, at + (i,))


def altered(obj, path, how):
    """A deep copy of obj with the value at path altered; None when that
    alteration does not apply to it."""
    copy = json.loads(json.dumps(obj))
    if not path:
        return None
    parent = copy
    for k in path[:-1]:
        parent = parent[k]
    key, v = path[-1], parent[path[-1]]
    if how == "missing":
        del parent[key]
        return copy
    if how == "extra":
        if isinstance(v, dict):
            v["extra"] = 1
        elif isinstance(v, list):
            v.append(1)
        else:
            return None
        return copy
    if how == "type":
        new = "7" if isinstance(v, (int, float)) and \
            not isinstance(v, bool) else 7 if isinstance(v, str) else \
            "x" if isinstance(v, (list, dict, bool)) or v is None else None
    elif isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    elif how == "negative":
        new = -1 if v >= 0 else INT64_MIN
    elif how == "huge":
        new = INT64_MAX if isinstance(v, int) else 1e300
    elif how == "min":
        new = INT64_MIN
    else:
        raise ValueError(how)
    parent[key] = new
    return copy


@case
def every_alteration_of_a_partial_is_refused():
    """Each field of a valid partial altered (wrong type, negative,
    huge, INT64_MIN, missing, extra): one line each, all in one input.
    Each must be reported as damaged by line, nothing may crash, and the
    exit status is 4."""
    p = valid_partial()

    # not damage: a change to free text (version, analysis, --by, a
    # field's name or unit, a group's key: these decide what merges
    # with what, exit 2), or a huge count of malformed lines
    def free(path, how):
        return (path[-1:] in (("version",), ("analysis",), ("key",),
                              ("by",)) and how == "type") or \
            (len(path) == 3 and path[0] == "fields" and path[2] != 1
             and how == "type") or \
            (path == ("total", "malformed") and how == "huge")
    variants = []
    for path, _ in paths(p):
        for how in ("type", "negative", "huge", "min", "missing", "extra"):
            v = altered(p, path, how)
            if v is not None and not free(path, how):
                variants.append((path, how, line(v)))
    assert len(variants) > 300, len(variants)
    # after a valid one, so that one wrongly read would be merged
    data = line(p) + b"".join(v[2] for v in variants)
    path = tmpfile("altered.partial", data)
    rc, out, err = run(["stats", "--merge", "--json", path])
    assert rc == 4, (rc, err[-2000:])
    reported = set()
    for ln in err.decode().splitlines():
        head = f"cotlog: {path}:"
        assert ln.startswith(head), ln
        n, msg = ln[len(head):].split(": ", 1)
        assert "damaged" in msg or "another format" in msg or \
            "not a cotlog stats partial" in msg, ln
        reported.add(int(n))
    passed = [(v[0], v[1]) for i, v in enumerate(variants, 2)
              if i not in reported]
    assert not passed, passed[:20]
    assert out == run(["stats", "--merge", "--json", "-"],
                      stdin=line(p))[1]


@case
def sketch_run_of_int64_min_is_refused():
    """A count run of -2^63 in a sketch: a negation that overflows, a
    store sized from a truncated int and a write past it; and the same
    value alone, accepted with exit 0."""
    p = valid_partial()
    num = p["total"]["values"][1]
    assert "sketch" in num, num
    for counts in ([1, INT64_MIN, -100000, 7], [1, INT64_MIN, 5, 7],
                   [INT64_MIN], [-1, 1], [1, -200000, 1],
                   [INT64_MAX, INT64_MAX, 2]):
        q = json.loads(json.dumps(p))
        q["total"]["values"][1]["sketch"]["pos"] = [65536, counts]
        path = tmpfile("run.partial", line(q))
        rc, out, err = run(["stats", "--merge", "--json", path])
        assert rc == 4, (counts, rc, err)
        assert err.decode() == (f"cotlog: {path}:1: a damaged cotlog "
                                "stats partial (at think.words)\n"), err


@case
def unknown_field_type_after_a_string_field_is_refused():
    """A field type that is none of int, real, bool, string after a
    string (or int) field: the total, never made, was freed."""
    for first in ("string", "int", "real", "bool"):
        text = ('{"cotlog_stats_partial":2,"version":"0.2.0","sketch":'
                '"loglinear-6","by":null,"analysis":"","fields":[["a","'
                + first + '",""],["b","list",""]],"total":{},"groups":[]}'
                '\n')
        path = tmpfile("type.partial", text)
        rc, out, err = run(["stats", "--merge", path])
        assert rc == 4, (first, rc, err)
        assert err.decode() == (f"cotlog: {path}:1: a damaged cotlog "
                                "stats partial (at fields)\n"), err


@case
def merged_counts_that_would_wrap_are_refused():
    """Partials whose counts add up past 2^63 - 1 (what a partial can
    hold) do not merge: exit 2, as for partials that do not fit."""
    p = {"cotlog_stats_partial": 2, "version": "0", "sketch":
         "loglinear-6", "by": None, "analysis": "", "fields": [],
         "total": {"records": 0, "traces": 0, "no_trace": 0,
                   "tool_only": 0, "malformed": INT64_MAX, "by_errors": 0, "values": []},
         "groups": []}
    path = tmpfile("big.partial", line(p) + line(p))
    rc, out, err = run(["stats", "--merge", "--json", path])
    assert rc == 2 and b"2^63" in err, (rc, err)
    rc, out, err = run(["stats", "--merge", "--json", path, path],
                       stdin=b"")
    assert rc == 2, (rc, err)


# ---- numeric options ----------------------------------------------------

@case
def negative_or_non_numeric_option_values_are_usage_errors():
    """strtoul reads "-1" as 2^64 - 1 (show --record -1 looked for
    record 18446744073709551615) and "-18446744073709551615" as 1:
    every numeric option takes decimal digits only, in its range."""
    options = [(["show", "--record"], "1"), (["show", "--trace"], "0"),
               (["stats", "--max-groups"], "10"), (["stats", "--ngram"], "2"),
               (["filter", "--where", "true", "-j"], "2"),
               (["stats", "-j"], "2"),
               (["stats", "--partial", "-j"], "1")]
    for opt, good in options:
        rc, out, err = run(opt + [good, SAMPLE])
        assert rc == 0, (opt, good, rc, err)
        for bad in ("-1", "-0", "-18446744073709551615", "+1", " 1", "1 ",
                    "", "x", "1x", "0x10", "1e3", "18446744073709551616",
                    "99999999999999999999999"):
            rc, out, err = run(opt + [bad, SAMPLE])
            assert rc == 2, (opt, bad, rc, err)
            assert out == b"", (opt, bad)
            assert f"{opt[-1]} takes a number".encode() in err, (opt, err)
            assert f"'{bad}'".encode() in err, (opt, bad, err)


# ---- expressions: depth and long chains --------------------------------

@case
def deep_unary_operators_are_refused_with_a_column():
    """! ! ! ... (also not, unary -) recursed with no cap: 30,000 of them
    overflowed the stack. Now: exit 3 and the column of the 201st."""
    for prefix, tail in (("!", "true"), ("not ", "true"),
                         ("- ", "1 > 0"), ("(", "true")):
        src = prefix * 30000 + tail
        for cmd in (["filter", "-j", "2", "--where", src],
                    ["show", "--where", src],
                    ["stats", "-j", "2", "--by", src]):
            rc, out, err = run(cmd + [SAMPLE])
            assert rc == 3, (cmd[:2], prefix, rc, err[:300])
            col = 200 * len(prefix) + 1
            assert (f"expression nested too deeply (more than 200 levels)"
                    f" at column {col}").encode() in err, (prefix, err[:200])
        ok = prefix * 200 + tail + (")" * 200 if prefix == "(" else "")
        rc, out, err = run(["filter", "-j", "2", "--where", ok, SAMPLE])
        assert rc == 0 and out, (prefix, rc, err[:300])


@case
def long_flat_chains_evaluate_in_worker_threads():
    """A sum of 20,000 terms compiled, then overflowed a worker thread's
    stack: evaluation recursed once per operator."""
    rc, kept, _ = run(["filter", "--where", "true", SAMPLE])
    src = "1" + "+1" * 20000
    rc, out, err = run(["filter", "-j", "2", "--where", src + " == 20001",
                        SAMPLE])
    assert rc == 0 and out == kept, (rc, err[:300])
    rc, out, err = run(["filter", "-j", "2", "--where", src + " > 20001",
                        SAMPLE])
    assert rc == 0 and out == b"", (rc, err[:300])
    rc, out, err = run(["stats", "-j", "2", "--json", "--fields", "steps",
                        "--by", src, SAMPLE])
    assert rc == 0, (rc, err[:300])
    assert b"20001" in out, out[:300]
    terms = " || ".join(f"think.words == {i}" for i in range(4000))
    rc, out, err = run(["filter", "-j", "2", "--where", terms, SAMPLE])
    assert rc == 0 and out, (rc, err[:300])
    rc, out, err = run(["show", "--where", "think.words" +
                        " + think.words" * 8000 + " > 0", SAMPLE])
    assert rc == 0 and out, (rc, err[:300])


# ---- integers beyond 2^53 ----------------------------------------------

@case
def big_integers_compare_exactly():
    """rec.id == 1234567890123456789 held for an id of ...788: both
    were read as the same double."""
    ids = [b"1234567890123456788", b"1234567890123456789",
           b"123456789012345678901234567890", b"-9223372036854775808",
           b"1.0", b"9007199254740993"]
    data = b"".join(b'{"id":' + i + b',"generations":["<think>a</think>b"]}'
                    b"\n" for i in ids)
    path = tmpfile("ids.jsonl", data)
    for where, want in (
            ("rec.id == 1234567890123456789", [1]),
            ("rec.id == 1234567890123456788", [0]),
            ("rec.id > 1234567890123456788", [1, 2]),
            ("rec.id == 123456789012345678901234567890", [2]),
            ("rec.id == 123456789012345678901234567891", []),
            ("rec.id == -9223372036854775808", [3]),
            ("rec.id == 1", [4]),
            ("rec.id in [9007199254740992, 1234567890123456789]", [1]),
            ("rec.id == 9007199254740992.0", [])):
        for j in ("1", "2"):
            rc, out, err = run(["filter", "-j", j, "--where", where, path])
            got = [ids.index(json.loads(ln.replace(b'"id":', b'"id":"', 1)
                                        .replace(b',"gen', b'","gen', 1))
                             ["id"].encode()) for ln in out.splitlines()]
            assert rc in (0, 1) and got == want, (where, got, err)


main()
