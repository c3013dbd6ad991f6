#!/usr/bin/env python3
"""test_memory.py - memory and time bounds on pathological records, end to
end (TAP output).

Usage: test_memory.py COTLOG SRCDIR. Each memory case writes one record
of a dense shape and measures the peak resident memory of `cotlog
annotate` on it, in a fresh process (resource.getrusage(RUSAGE_CHILDREN)
of a fresh interpreter, so no earlier child's peak counts). The
contract is 4 x the record + 64 MiB; at the few megabytes a test can
afford that bound is mostly the 64 MiB, so each case also holds the
shape to prose of the same size plus twice the record, which the
blow-ups these cases guard against (8 to 30 times the record) exceed.
tests/bench/memory.py measures the same shapes at 1, 4 and 16 MB.
Builds with a sanitizer are skipped: their memory is not the program's."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import COTLOG, case, main, run, tmpfile  # noqa: E402

MB = 1 << 20
SIZE = 3 * MB
PROSE = ("We need to find the value of x such that the equation holds. "
         "First, let us expand the left side and collect the terms. "
         "Then we compare the coefficients on both sides carefully.\n\n")


def sanitized():
    """Whether cotlog (or its library) is built with a sanitizer."""
    try:
        out = subprocess.run(["ldd", COTLOG], capture_output=True,
                             text=True, timeout=60).stdout
    except OSError:
        return False
    if "asan" in out or "ubsan" in out:
        return True
    for line in out.splitlines():
        if "libcotlog" in line and "=>" in line:
            lib = line.split("=>")[1].split("(")[0].strip()
            sub = subprocess.run(["ldd", lib], capture_output=True,
                                 text=True, timeout=60).stdout
            return "asan" in sub or "ubsan" in sub
    return False


SANITIZED = sanitized()


def record(name, piece, size=SIZE):
    """A file of one record whose reasoning is piece repeated to size
    bytes (piece may be a function of the repetition's number instead);
    its path and byte size."""
    if callable(piece):
        parts, n, i = [], 0, 0
        while n < size:
            parts.append(piece(i))
            n += len(parts[-1].encode())
            i += 1
        text = "".join(parts)
    else:
        text = piece * (size // len(piece.encode()) + 1)
    rec = {"response": "<think>" + text + "</think>The answer is 1."}
    path = tmpfile(name, json.dumps(rec, ensure_ascii=False) + "\n")
    return path, os.path.getsize(path)


def peak(*args):
    """Exit status, peak RSS in bytes and seconds of cotlog ARGS."""
    probe = ("import resource, subprocess, sys, time\n"
             "t = time.monotonic()\n"
             "rc = subprocess.call(sys.argv[1:], "
             "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
             "t = time.monotonic() - t\n"
             "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
             "print(rc, ru.ru_maxrss * 1024, t)\n")
    out = subprocess.run([sys.executable, "-c", probe, COTLOG, *args],
                         capture_output=True, text=True, check=True,
                         timeout=600).stdout.split()
    return int(out[0]), int(out[1]), float(out[2])


_prose = {}


def prose_peak():
    if "rss" not in _prose:
        path, _ = record("prose.jsonl", PROSE)
        rc, rss, _ = peak("annotate", path)
        assert rc == 0, rc
        _prose["rss"] = rss
    return _prose["rss"]


def check_shape(name, piece, size=SIZE):
    if SANITIZED:
        return "skip a sanitizer build"
    path, size = record(name + ".jsonl", piece, size)
    rc, rss, secs = peak("annotate", path)
    assert rc == 0, rc
    bound = 4 * size + 64 * MB
    assert rss <= bound, (name, rss // MB, "MB over", bound // MB)
    tight = prose_peak() + 2 * size
    assert rss <= tight, (name, rss // MB, "MB; prose + 2 x record:",
                          tight // MB)
    return None


@case
def dense_markers_do_not_keep_every_match():
    # "Wait, " is three matches per six bytes: the matches pass kept a
    # 24-byte hit per match (and the arena's copies as the list grew)
    return check_shape("markers", "Wait, ")


@case
def dense_inline_math_regions_are_merged():
    # "$x$ " is a math region per four bytes, 16 bytes each
    return check_shape("dollar", "$x$ ")


@case
def dense_boxes_are_not_all_kept():
    # "\\boxed{1} " is an answer statement per 10 bytes: each was kept
    # (64 bytes, and its normal form) and listed in the profile
    return check_shape("boxed", "\\boxed{1} ")


@case
def distinct_list_items_keep_a_small_trigram_table():
    # every trigram of "- item N" lines is new: the loop pass's table
    # doubled to 32 bytes a word
    return check_shape("list", lambda i: "- item %d\n" % i)


@case
def nested_boxes_are_read_once():
    # each of n nested boxes held all the others: its normal form, its
    # listed text and its comparisons were quadratic (5 GB at 180 KB)
    n = 30000
    return check_shape("nested", lambda i: "\\boxed{" * n + "1" + "}" * n
                       if i == 0 else " ", size=8 * n)


@case
def pattern_budget_stops_quadratic_pattern_fast():
    # every attempt of (wait\s*)+$ runs to the end of the text and fails
    # there: minutes on 60 KB before the per-trace budget
    bad = json.dumps({"response": "<think>" + "wait " * 12000 +
                      ".</think>x"})
    good = json.dumps({"response": "<think>wait, wait</think>x"})
    path = tmpfile("budget.jsonl", bad + "\n" + good + "\n")
    t = time.monotonic()
    rc, out, err = run(["annotate", "--pattern", r"h=(wait\s*)+$", path])
    secs = time.monotonic() - t
    assert secs < 20, secs
    assert rc == 2, (rc, err)
    err = err.decode()
    assert f"{path}:1: trace 0: pattern 'h'" in err, err
    assert "budget" in err and "--match-limit" in err, err
    lines = out.decode().splitlines()
    assert len(lines) == 2, len(lines)
    # the run went on: the next record is annotated, and its count right
    assert json.loads(lines[1])["cot"][0]["patterns"]["h"]["count"] == 1
    # raised, the budget lets a smaller such trace through, unmatched
    small = json.dumps({"response": "<think>" + "wait " * 2000 +
                        ".</think>x"})
    path = tmpfile("budget2.jsonl", small + "\n")
    rc, out, err = run(["annotate", "--match-limit", "100000",
                        "--pattern", r"h=(wait\s*)+$", path])
    assert rc == 0, err
    assert json.loads(out)["cot"][0]["patterns"]["h"]["count"] == 0
    rc, _, err = run(["annotate", "--match-limit", "0", path])
    assert rc == 2 and b"--match-limit" in err, (rc, err)


@case
def pattern_budget_covers_patterns_scanned_in_full():
    # no literal prefix: pcre2 looked for the next match itself, and its
    # limit restarts at every start position, each of which here reads
    # to the end of the text: 40 s on 200 KB, not charged to the budget
    bad = json.dumps({"response": "<think>" + "wait " * 40000 +
                      "!</think>x"})
    path = tmpfile("budget-full.jsonl", bad + "\n")
    t = time.monotonic()
    rc, _, err = run(["annotate", "--pattern", r"h=(?:[a-z]+\s)+[0-9]",
                      path])
    assert time.monotonic() - t < 20
    assert rc == 2 and b"budget" in err, (rc, err)
    # the same pattern where it matches: found as a plain scan finds it
    ok = json.dumps({"response": "<think>so wait wait 3 and ab 4 \u00e9"
                     "t\u00e9 x 5</think>x"})
    path = tmpfile("full-ok.jsonl", ok + "\n")
    rc, out, err = run(["annotate", "--pattern", r"h=(?:[a-z]+\s)+[0-9]",
                        path])
    assert rc == 0, err
    assert json.loads(out)["cot"][0]["patterns"]["h"]["count"] == 3


if __name__ == "__main__":
    main()
