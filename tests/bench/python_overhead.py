#!/usr/bin/env python3
"""python_overhead.py - what Analyzer.profile() costs beyond the library.

On completions of about 12 KB (--kb) — each trace of the corpus (else of
the fixtures) whose reasoning and answer make one, put back together as
"<think>\\n{reasoning}\\n</think>\\n{answer}", else the longest repeated
up to that size — it times, per call, in CPU seconds of this thread
(time.thread_time, so that other work on a shared machine counts less):

    C           cot_analyze_text called through ctypes on bytes prepared
                before, with the same text options: the library's
                analysis plus one ctypes call (about a microsecond), no
                conversion. This is the "C time".
    profile()   Analyzer.profile(text, reference=...): the same analysis,
                then cot_result_profile_json and json.loads to a dict,
                and the Python around them (encoding the str, options).
    profile_json()  the same without json.loads: the JSON bytes.

and the same three with fields= (the fields the rewards read: a
selection runs fewer passes and writes a smaller profile). Each figure is
the median over --rounds rounds of every text once; the ratio is
profile's time over C's.

Then the rewards of cotlog.rewards as TRL calls them, on the batch of
every text (those with a reference first), each a new str object, per
completion: correctness and repetition alone, correctness again on strs
a reward read before (which keep their UTF-8: the binding's own cost),
and a step of the five, each against the same analyses in C on bytes
encoded before.

Usage: tests/bench/python_overhead.py [--build build] [--kb 12]
           [--rounds 15] [--corpus ../shared/corpus]
It asserts nothing: a benchmark to run and read."""
import argparse
import ctypes
import glob
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))


def texts(corpus, kb):
    import cotlog
    from cotlog import _lib as L
    fn = {}
    for name in ("cot_result_reasoning", "cot_result_answer"):
        f = getattr(L.lib, name)
        f.restype = ctypes.c_void_p
        f.argtypes = [ctypes.c_void_p, ctypes.c_size_t,
                      ctypes.POINTER(ctypes.c_size_t)]
        fn[name] = f

    def text(res, i, name):
        n = ctypes.c_size_t()
        p = fn[name](res, i, ctypes.byref(n))
        return ctypes.string_at(p, n.value).decode("utf-8", "replace") \
            if n.value else ""

    root = corpus if corpus and os.path.isdir(corpus) else \
        os.path.join(SRC, "tests", "data")
    az = cotlog.Analyzer(fields="ref")
    all_ = []
    for p in sorted(glob.glob(os.path.join(root, "**", "*.json*"),
                              recursive=True)):
        if "/tokens/" in p or "/streams/" in p:
            continue
        for _, _, profiles in cotlog.read(p, analyzer=az):
            if not profiles:
                continue
            res = az._thread().res.ptr
            for i, prof in enumerate(profiles):
                t = (f"<think>\n{text(res, i, 'cot_result_reasoning')}\n"
                     f"</think>\n{text(res, i, 'cot_result_answer')}")
                all_.append((t, prof["ref"]))
    lo, hi = kb * 1024 * 0.8, kb * 1024 * 1.25
    near = [(t, r) for t, r in all_ if lo <= len(t.encode()) <= hi]
    if near:
        # those with a reference first: correctness grades only them
        near.sort(key=lambda x: x[1] is None)
        return near[:40], root
    t, r = max(all_, key=lambda x: len(x[0]))
    body = t[len("<think>\n"):]
    while len(t.encode()) < kb * 1024:
        t = "<think>\n" + body + "\n\n" + t[len("<think>\n"):]
    return [(t[:kb * 1024], r)], root


def per_call(fn, items, rounds):
    """Median over rounds of (CPU seconds of one pass) / len(items)."""
    out = []
    for _ in range(rounds):
        t0 = time.thread_time()
        for it in items:
            fn(it)
        out.append((time.thread_time() - t0) / len(items))
    return statistics.median(out)


def measure(az, items, rounds):
    from cotlog import _lib as L
    t = az._thread()
    res, err = t.res.ptr, ctypes.byref(t.err)
    prepared = []
    for text, ref in items:
        o = L.cot_text_options(L.TEXT_OPTIONS_VERSION)
        r = None if ref is None else ref.encode()
        o.ref = r
        o.flags = L.TEXT_REPLACE_INVALID
        b = text.encode()
        prepared.append((b, len(b), ctypes.byref(o), o, r))

    def c(p):
        if L.cot_analyze_text(res, p[0], p[1], p[2], err):
            raise RuntimeError(t.err.message)
    # warm up: the result's arenas, caches, the pages of the library
    for _ in range(2):
        for p in prepared:
            c(p)
        for text, ref in items:
            az.profile(text, reference=ref)
    got = {}
    for _ in range(3):   # interleaved, so that load shifts hit all three
        got.setdefault("C", []).append(per_call(c, prepared, rounds))
        got.setdefault("profile()", []).append(per_call(
            lambda it: az.profile(it[0], reference=it[1]), items, rounds))
        got.setdefault("profile_json()", []).append(per_call(
            lambda it: az.profile_json(it[0], reference=it[1]), items,
            rounds))
    size = statistics.mean(len(az.profile_json(x, reference=r))
                           for x, r in items)
    return {k: min(v) for k, v in got.items()}, size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(SRC, "build"))
    ap.add_argument("--kb", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--corpus", default=os.path.join(SRC, "..", "shared",
                                                     "corpus"))
    args = ap.parse_args()
    os.environ.setdefault("COTLOG_LIBRARY", os.path.join(
        args.build, "lib", "libcotlog.so.1"))
    sys.path.insert(0, os.path.join(SRC, "python"))
    import cotlog
    items, root = texts(args.corpus, args.kb)
    kb = statistics.mean(len(t.encode()) for t, _ in items) / 1024
    print(f"libcotlog {cotlog.version} at {cotlog.library_path}; python "
          f"{sys.version.split()[0]}")
    print(f"{len(items)} completions of {kb:.1f} KB on average, from "
          f"{root}; CPU time per call, best of 3 medians of "
          f"{args.rounds} rounds")
    print(f"{'':24}{'C':>10}{'profile()':>12}{'ratio':>8}"
          f"{'profile_json()':>16}{'ratio':>8}{'JSON bytes':>12}")
    for label, kw in (("every field", {}),
                      ("fields of the rewards",
                       {"fields": "reward.*,correct,ref_normalized,"
                                  "repeat.ngram"})):
        az = cotlog.Analyzer(**kw)
        got, size = measure(az, items, args.rounds)
        c = got["C"]
        print(f"{label:24}{c * 1e6:9.1f}u{got['profile()'] * 1e6:11.1f}u"
              f"{got['profile()'] / c:8.3f}"
              f"{got['profile_json()'] * 1e6:15.1f}u"
              f"{got['profile_json()'] / c:8.3f}{size:12.0f}")
    print("(u: microseconds; ratio: over C; C is cot_analyze_text through "
          "ctypes, no conversion)")
    print()
    print("the rewards as TRL calls them: on a batch of every completion, "
          "each a new str\n(but where said)")
    print(f"{'':24}{'C':>10}{'reward':>12}{'ratio':>8}")
    from cotlog import _lib as L, rewards
    refs = [r for _, r in items]
    correct = cotlog.Analyzer(fields="correct,ref_normalized")
    repeat = cotlog.Analyzer(fields="repeat.ngram")
    checks = (L.cot_format_reward, L.cot_tag_count_reward,
              L.cot_think_format_reward)

    def step(batch):
        for f in (rewards.format, rewards.tag_count, rewards.think_format):
            f(batch)
        rewards.correctness(batch, solution=refs)
        rewards.repetition(batch)

    def c_step(p):
        for f in checks:
            f(p.data, p.size)
        p.analyze(correct, p.ref)
        p.analyze(repeat, None)
    def correctness(batch):
        rewards.correctness(batch, solution=refs)
    for name, c_fn, reward, fresh in (
            ("correctness", lambda p: p.analyze(correct, p.ref),
             correctness, True),
            ("  on strs read before", lambda p: p.analyze(correct, p.ref),
             correctness, False),
            ("repetition", lambda p: p.analyze(repeat, None),
             rewards.repetition, True),
            ("all five, as a step", c_step, step, True)):
        c, r = measure_reward(items, c_fn, reward, args.rounds, fresh)
        print(f"{name:24}{c * 1e6:9.1f}u{r * 1e6:11.1f}u{r / c:8.3f}")
    print("(C: the same analyses through ctypes, on bytes encoded before; "
          "a step: format, tag_count,\n think_format, correctness and "
          "repetition on one batch, as GRPOTrainer's reward_funcs)")


class Prepared:
    """One completion as C would hold it: UTF-8 bytes, text options."""

    def __init__(self, text, ref):
        from cotlog import _lib as L
        self.L = L
        self.data = text.encode()
        self.size = len(self.data)
        self.ref = None if ref is None else ref.encode()
        self.opts = {}
        for r in (None, self.ref):
            o = L.cot_text_options(L.TEXT_OPTIONS_VERSION)
            o.ref, o.flags = r, L.TEXT_REPLACE_INVALID
            self.opts[r] = (o, ctypes.byref(o))

    def analyze(self, az, ref):
        t = az._thread()
        if self.L.cot_analyze_text(t.res.ptr, self.data, self.size,
                                   self.opts[ref][1], ctypes.byref(t.err)):
            raise RuntimeError(t.err.message)


def measure_reward(items, c_fn, reward, rounds, fresh):
    """CPU seconds per completion of c_fn over prepared bytes and of the
    reward on the whole batch, interleaved, medians. fresh: each reward
    round is given new str objects, so that nothing an earlier round
    left on them (a UTF-8 copy) is reused; else the same ones, as the
    second reward of a step reads them."""
    prepared = [Prepared(t, r) for t, r in items]
    same = [x.encode().decode() for x, _ in items]

    def c_pass():
        t0 = time.thread_time()
        for p in prepared:
            c_fn(p)
        return (time.thread_time() - t0) / len(prepared)

    def reward_pass():
        batch = [x.encode().decode() for x, _ in items] if fresh else same
        t0 = time.thread_time()
        reward(batch)
        return (time.thread_time() - t0) / len(batch)

    c_pass(), reward_pass()     # warm up
    c, r = [], []
    for _ in range(3 * rounds):
        c.append(c_pass())
        r.append(reward_pass())
    return statistics.median(c), statistics.median(r)


if __name__ == "__main__":
    main()
