#!/usr/bin/env python3
"""memory.py - peak memory and time of cotlog on pathological records.

The contract: analyzing a record takes at most 4 x its size + 64 MiB of
peak resident memory, and time linear in its size, whatever its shape.
This generates each shape below as one JSONL record,
{"response": "<think>REASONING</think>answer"}, at 1, 4 and 16 MB (of
reasoning), runs `cotlog annotate` on each (output to /dev/null) and
prints a table: shape, size, peak RSS, the bound, whether it holds,
seconds, and per shape the time ratio 16 MB / 1 MB (linear: about 16).

    prose      ordinary sentences in paragraphs (the reference)
    paragraph  prose with no line break: one huge paragraph
    boxed      "\\boxed{1} " again and again
    markers    "Wait, " again and again
    dollar     "$x$ " again and again: dense inline math
    loop2      "foo bar " again and again: a 2-word loop
    chinese    Chinese text only, no spaces
    list       "- item N\\n" lines: a million list items at 8 MB
    nested     "\\boxed{" N times, then "1" and N "}": boxes in boxes

Usage: tests/bench/memory.py [--cotlog build-rel/tools/cotlog]
                             [--sizes 1,4,16] [--shapes NAME,NAME]
                             [--command annotate] [--tmp DIR]
This is a benchmark to run and read, not a test: it asserts nothing
(tests/cli/test_memory.py holds the cheap regression tests)."""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

MB = 1 << 20
BOUND_BASE = 64 * MB

PROSE = ("We need to find the value of x such that the equation holds. "
         "First, let us expand the left side and collect the terms. "
         "Then we compare the coefficients on both sides carefully. ")
ZH = ("我们需要找到满足方程的未知数的值。首先展开左边并合并同类项，"
      "然后比较两边的系数。等等，这里好像有一个错误，让我再检查一下。")


def unit(shape):
    """A piece of the shape's text and how the pieces are joined."""
    if shape == "prose":
        return lambda i: PROSE + ("\n\n" if i % 4 == 3 else "")
    if shape == "paragraph":
        return lambda i: PROSE
    if shape == "boxed":
        return lambda i: "\\boxed{1} "
    if shape == "markers":
        return lambda i: "Wait, "
    if shape == "dollar":
        return lambda i: "$x$ "
    if shape == "loop2":
        return lambda i: "foo bar "
    if shape == "chinese":
        return lambda i: ZH
    if shape == "list":
        return lambda i: "- item %d\n" % i
    if shape == "nested":
        return None     # not made of pieces: see reasoning()
    raise SystemExit("memory.py: unknown shape '%s'" % shape)


SHAPES = ["prose", "paragraph", "boxed", "markers", "dollar", "loop2",
          "chinese", "list", "nested"]


def reasoning(shape, size):
    """The shape's reasoning text of about size bytes (UTF-8)."""
    if shape == "nested":
        return "\\boxed{" * (size // 8) + "1" + "}" * (size // 8)
    piece = unit(shape)
    parts, n, i = [], 0, 0
    while n < size:
        s = piece(i)
        parts.append(s)
        n += len(s.encode())
        i += 1
    return "".join(parts)


def write_record(path, shape, size):
    rec = {"response": "<think>" + reasoning(shape, size) +
           "</think>The answer is 1."}
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(rec, ensure_ascii=False))
        f.write("\n")


def measure(argv):
    """Peak RSS (bytes) and wall seconds of one run of argv, in a fresh
    child of a fresh interpreter, so no earlier child's peak counts."""
    probe = ("import resource, subprocess, sys, time\n"
             "t = time.monotonic()\n"
             "rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
             "t = time.monotonic() - t\n"
             "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
             "print(rc, ru.ru_maxrss * 1024, t)\n")
    out = subprocess.run([sys.executable, "-c", probe] + argv,
                         capture_output=True, text=True, check=True)
    rc, rss, secs = out.stdout.split()
    return int(rc), int(rss), float(secs), out.stderr


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    ap.add_argument("--cotlog", default="build-rel/tools/cotlog")
    ap.add_argument("--sizes", default="1,4,16",
                    help="sizes of the reasoning in MB (default 1,4,16)")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--command", default="annotate",
                    help="the cotlog command to run (default annotate)")
    ap.add_argument("--tmp", default=None,
                    help="where to write the records (default: a "
                    "temporary directory, removed at the end)")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    shapes = args.shapes.split(",")
    for s in shapes:
        unit(s)
    tmp = tempfile.TemporaryDirectory(dir=args.tmp)
    print("%-10s %6s %10s %10s %5s %8s %7s" %
          ("shape", "MB", "peak MB", "bound MB", "ok", "seconds",
           "16/1"))
    worst = True
    for shape in shapes:
        secs_by_size = {}
        for mb in sizes:
            path = os.path.join(tmp.name, "%s-%g.jsonl" % (shape, mb))
            write_record(path, shape, int(mb * MB))
            size = os.path.getsize(path)
            rc, rss, secs, err = measure([args.cotlog, args.command, path])
            os.unlink(path)
            bound = 4 * size + BOUND_BASE
            secs_by_size[mb] = secs
            ratio = ""
            if mb == max(sizes) and min(sizes) in secs_by_size and \
                    secs_by_size[min(sizes)] > 0 and len(sizes) > 1:
                ratio = "%.1f" % (secs / secs_by_size[min(sizes)])
            ok = rss <= bound and rc in (0, 2)
            worst = worst and ok
            print("%-10s %6.1f %10.1f %10.1f %5s %8.2f %7s%s" %
                  (shape, size / MB, rss / MB, bound / MB,
                   "yes" if ok else "NO", secs, ratio,
                   "" if rc == 0 else "  exit %d: %s" %
                   (rc, err.strip().splitlines()[-1][:60] if err.strip()
                    else "")), flush=True)
    tmp.cleanup()
    print("every run within its bound" if worst else
          "some runs over their bound")


if __name__ == "__main__":
    main()
