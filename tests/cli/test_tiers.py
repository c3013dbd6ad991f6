#!/usr/bin/env python3
"""test_tiers.py - the library gives the same answers whichever
implementation of its 16-byte operations (lib/base/simd.h) it is built
with. Run as test_tiers.py COTLOG SRCDIR OTHER...: COTLOG is this
build's cotlog (SSE2 on x86-64), each OTHER the same sources built with
-DCOT_NO_SIMD (SWAR) or -DCOT_NO_SIMD -DCOT_NO_SWAR (scalar).

Each case runs annotate (every field), steps --by sentence and
steps --by paragraph (every unit, its label and its pattern hits) and
stats --json with every binary, and wants the same bytes: on random
traces of every length 0-200 (and some longer ones, which cross many
16-byte blocks) made of the bytes the scanners look for, on our
fixtures, and on the corpus when it is beside the repository."""
import glob
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import (  # noqa: E402
    COTLOG, CORPUS, DATA, case, have_corpus, main, tmpfile)

OTHERS = [os.path.abspath(p) for p in sys.argv[3:]]

COMMANDS = [
    ["annotate"],
    ["steps", "--by", "sentence"],
    ["steps", "--by", "paragraph"],
    ["stats", "--json"],
]

# What the scanners test bytes for: white space (ASCII, Python's, and
# the wide ones), line ends, markup ($ ` \), sentence ends (ASCII and
# CJK), JSON specials, box and answer syntax, cue words, letters in
# both cases, digits, UTF-8 of two to four bytes, U+2019 and a dash.
PIECES = [
    " ", "  ", "\n", "\n\n", "\t", "\r\n", "\x1c", "\x0b", "\u00a0",
    "\u2003", "\u3000", "$", "$$", "`", "```", "\\", "\\(", "\\[",
    ".", "?", "!", "\u3002", "\uff1f", "\uff01", "\"", "<", ">", "{",
    "}", "\\boxed{", "}", "answer", "Answer:", "**Answer**", "Wait",
    "wait,", "Hmm", "But", "let me check", "Alternatively", "verify",
    "The final answer is", "</think>", "<think>", "x", "Z", "q", "a",
    "7", "42", "_", "\u00e9", "\u00df", "\u03b1", "\u4e2d\u6587",
    "\u7b49\u7b49", "\u2019", "\u2014", "\U0001f914", "\x7f", "\x01",
]


def random_text(rng, n):
    """About n bytes of UTF-8 made of PIECES, cut to n bytes exactly at
    a character boundary."""
    parts, size = [], 0
    while size < n:
        p = rng.choice(PIECES)
        parts.append(p)
        size += len(p.encode())
    data = "".join(parts).encode()[:n]
    return data.decode("utf-8", errors="ignore")


def random_traces():
    """One record per length 0-200 of the reasoning and of the answer,
    in three shapes; then longer ones."""
    rng = random.Random(20261206)
    lines = []
    lengths = list(range(201)) + [rng.randrange(200, 5000)
                                  for _ in range(60)]
    for n in lengths:
        think, answer = random_text(rng, n), random_text(rng, n % 50)
        shape = n % 3
        if shape == 0:
            rec = {"choices": [{"message": {
                "reasoning_content": think, "content": answer}}]}
        elif shape == 1:
            rec = {"response": "<think>" + think + "</think>" + answer}
        else:
            rec = {"thinking": think, "content": answer}
        lines.append(json.dumps(rec, ensure_ascii=n % 2 == 0))
    return tmpfile("random.jsonl", "\n".join(lines) + "\n")


def run_with(exe, args):
    p = subprocess.run([exe] + args, capture_output=True, timeout=900)
    return p.returncode, p.stdout, p.stderr


def same_everywhere(paths):
    """Every command on paths, with every binary: the same bytes."""
    assert OTHERS, "no other builds given"
    for cmd in COMMANDS:
        want = run_with(COTLOG, cmd + paths)
        assert want[0] == 0, (cmd, want[2][:500])
        assert want[1], (cmd, "no output")
        for other in OTHERS:
            got = run_with(other, cmd + paths)
            if got != want:
                a, b = want[1].splitlines(), got[1].splitlines()
                where = next((k for k in range(min(len(a), len(b)))
                              if a[k] != b[k]), min(len(a), len(b)))
                raise AssertionError(
                    "%s %s differs from %s at output line %d:\n%s\n%s"
                    % (os.path.basename(other), " ".join(cmd),
                       os.path.basename(COTLOG), where + 1,
                       a[where][:300] if where < len(a) else b"",
                       b[where][:300] if where < len(b) else b""))


@case
def random_traces_of_every_length():
    same_everywhere([random_traces()])


@case
def fixtures():
    paths = sorted(glob.glob(os.path.join(DATA, "**", "*.jsonl"),
                             recursive=True))
    assert paths
    same_everywhere(paths)


@case
def corpus():
    if not have_corpus():
        return "skip no corpus"
    paths = sorted(glob.glob(os.path.join(CORPUS, "**", "*.jsonl"),
                             recursive=True) +
                   glob.glob(os.path.join(CORPUS, "**", "*.jsonl.gz"),
                             recursive=True))
    assert paths
    same_everywhere(paths)


if __name__ == "__main__":
    main()
