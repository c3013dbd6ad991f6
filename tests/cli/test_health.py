#!/usr/bin/env python3
"""test_health.py - status, format rewards, repetition and loops, end to
end (TAP output).

Usage: test_health.py COTLOG SRCDIR. The format rewards are checked
against Python's own re module running open-r1's and TRL's patterns, the
repetition ratio against open-r1's formula on Python's str.lower().split(),
the exact-repetition counts against an independent Python version of
their definitions, and the loops against the Sky-T1 records SOURCES.md
names. Corpus cases read ../shared/corpus (COTLOG_CORPUS) and are skipped
when it is absent; each has a twin on our fixtures (tests/data)."""
import glob
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402


from tap import (  # noqa: E402
    COTLOG, all_files, case, corpus_case, main, shape_dir)


def annotate(data, *args):
    """Profiles of every record of data (bytes), one list per line."""
    p = subprocess.run([COTLOG, "annotate", *args, "-"], input=data,
                       capture_output=True, timeout=600)
    assert p.returncode == 0, p.stderr[:500]
    return [json.loads(line)["cot"] for line in p.stdout.splitlines()]


def annotate_strings(texts, *args):
    """One profile per text, each given as a JSON string record wrapped
    in an object (a bare string record is not annotated)."""
    data = "".join(json.dumps({"response": t}) + "\n" for t in texts)
    out = annotate(data.encode(), *args)
    assert all(len(c) == 1 for c in out)
    return [c[0] for c in out]


# ---- open-r1 and TRL, with Python's re ------------------------------------

R1 = re.compile(r"^<think>\n.*?\n</think>\n<answer>\n.*?\n</answer>$",
                re.DOTALL | re.MULTILINE)
TRL = re.compile(r"^<think>(?!.*<think>)(.*?)</think>.*$",
                 re.DOTALL | re.MULTILINE)


def format_reward(s):
    return 1.0 if R1.match(s) else 0.0


def tag_count_reward(s):
    return 0.25 * ((s.count("<think>\n") == 1) +
                   (s.count("\n</think>\n") == 1) +
                   (s.count("\n<answer>\n") == 1) +
                   (s.count("\n</answer>") == 1))


def think_format_reward(s):
    return 1.0 if TRL.match(s) else 0.0


# The published examples (REFERENCE.md Appendix A, 1.2, 1.3, 2).
PUBLISHED = [
    ("<think>\nSome reasoning\n</think>\n<answer>\nThe answer\n</answer>",
     1.0, 1.0, 1.0),
    ("<think>Only thinking</think>", 0.0, 0.0, 1.0),
    ("<answer>Only answer</answer>", 0.0, 0.0, 0.0),
    ("No tags at all", 0.0, 0.0, 0.0),
    ("<think>Missing closing</think><answer>Missing closing", 0.0, 0.0,
     1.0),
    ("<think>Wrong order</answer><answer>Wrong order</think>", 0.0, 0.0,
     1.0),
    ("<think>\nThis is my reasoning.\n</think>\nThis is my answer.", 0.0,
     0.5, 1.0),
    ("<think>\nThis is my reasoning.\nThis is my answer.", 0.0, 0.25, 0.0),
]


@case
def rewards_reproduce_published_values():
    texts = [t for t, _, _, _ in PUBLISHED]
    for (t, r1, tags, think), prof in zip(PUBLISHED,
                                         annotate_strings(texts)):
        # the table's values are Python's own
        assert (format_reward(t), tag_count_reward(t),
                think_format_reward(t)) == (r1, tags, think), t
        rw = prof["reward"]
        assert (rw["format"], rw["tag_count"], rw["think_format"]) == \
            (r1, tags, think), (t, rw)


@case
def rewards_match_python_re_on_random_texts():
    rnd = random.Random(2024)
    pieces = ["<think>", "</think>", "<answer>", "</answer>", "\n", "\n",
              "\n", "x", " ", "\r", "<", "\n</think>\n", "<think>\n",
              "\n<answer>\n", "\n</answer>", "\u00e9", "\u2028"]
    # (an empty text field holds no trace: the unit tests cover "")
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 16)))
             for _ in range(6000)]
    # every text starts with a marker or is read as reasoning: the
    # rewards read the raw text either way
    for t, prof in zip(texts, annotate_strings(texts)):
        rw = prof["reward"]
        want = (format_reward(t), tag_count_reward(t),
                think_format_reward(t))
        assert (rw["format"], rw["tag_count"], rw["think_format"]) == \
            want, (t, rw, want)
        pre = rw["think_format_prefilled"]
        if t.startswith("<think>"):
            assert pre is None, (t, rw)
        else:
            assert pre == think_format_reward("<think>" + t), (t, rw)


@case
def rewards_null_for_structured_reasoning():
    rec = {"role": "assistant", "reasoning_content": "r",
           "content": "<think>\nx\n</think>\n<answer>\ny\n</answer>"}
    prof = annotate((json.dumps(rec) + "\n").encode())[0][0]
    assert prof["reward"] == {"format": None, "tag_count": None,
                              "think_format": None,
                              "think_format_prefilled": None}, prof


# ---- the repetition ratio, with Python's lower().split() ------------------

def ngram_ratio(text, n):
    """open-r1 get_repetition_penalty_reward before scaling."""
    if text == "" or len(text.split()) < n:
        return 0.0
    words = text.lower().split()
    grams = set(zip(*[words[i:] for i in range(n)]))
    total = len(words) - n + 1
    return 1 - len(grams) / total


@case
def ngram_ratio_open_r1_published_values():
    # (text, n, max_penalty, reward) from open-r1 tests/test_rewards.py
    cases = [("this this this this this", 2, -1, -0.75),
             ("this is a this is a test", 2, -1, -1 / 3),
             ("word word word word", 3, -1, -0.5),
             ("test test test test", 3, -0.5, -0.25),
             ("one two one two", 3, -1, 0.0),
             ("A B C A B C", 3, -1, -0.25),
             ("A B C A B C E F G A B C A B C", 3, -1, -0.3846),
             ("this is a this is a test", 3, -2, -0.4),
             (" ", 3, -1, 0.0), ("two words", 3, -1, 0.0)]
    for n in (2, 3):
        sub = [c for c in cases if c[1] == n]
        profs = annotate_strings([c[0] for c in sub], "--ngram", str(n))
        for (t, _, mp, reward), prof in zip(sub, profs):
            assert abs(ngram_ratio(t, n) * mp - reward) < 1e-4, t
            assert prof["repeat"]["ngram"] == ngram_ratio(t, n), \
                (t, n, prof["repeat"])


@case
def ngram_ratio_matches_python_for_every_code_point():
    """One text of every code point (but surrogates) and its
    str.lower(), each a word: with n = 1 the unique count is Python's
    only if every character lowers and splits as Python does."""
    chars = [chr(c) for c in range(0x110000)
             if not 0xd800 <= c <= 0xdfff]
    spaces = [c for c in chars if c.isspace()]
    words = [c for c in chars if not c.isspace()]
    rnd = random.Random(7)
    parts = []
    for c in words:
        parts.append(c)
        parts.append(rnd.choice(spaces))
        parts.append(c.lower())
        parts.append(rnd.choice(spaces))
    text = "".join(parts)
    prof = annotate_strings([text], "--ngram", "1")[0]
    want = ngram_ratio(text, 1)
    assert prof["repeat"]["ngram"] == want, (prof["repeat"], want)
    # and the same text with U+0130 and final-sigma words (Python lowers
    # "ΑΣ" to "ας"; cotlog to "ασ": the one documented difference)
    assert ngram_ratio("\u0130 i\u0307", 1) == 0.5
    prof = annotate_strings(["\u0130 i\u0307", "\u0391\u03a3 \u03b1\u03c3"],
                            "--ngram", "1")
    assert prof[0]["repeat"]["ngram"] == 0.5
    assert prof[1]["repeat"]["ngram"] == 0.5


def corpus_texts(root, limit=None):
    """Long strings of the corpus (or the fixtures) below root that hold
    no tag marker (so a string record of them is all reasoning)."""
    out = []
    for path in all_files(root):
        for line in open(path, encoding="utf-8"):
            try:
                v = json.loads(line)
            except ValueError:
                continue
            stack = [v]
            while stack:
                x = stack.pop()
                if isinstance(x, dict):
                    stack.extend(x.values())
                elif isinstance(x, list):
                    stack.extend(x)
                elif isinstance(x, str) and len(x) >= 200:
                    # a tagged text: its reasoning, if that has no
                    # marker left
                    sp = reference.split(x)
                    if sp is not None:
                        x = sp["reasoning"]
                        if len(x) < 200 or reference.split(x) is not None:
                            continue
                    out.append(x)
    seen, uniq = set(), []
    for t in out:
        if t not in seen:
            seen.add(t)
            uniq.append(t)
    return uniq[:limit] if limit else uniq


def sigma_free(t):
    """Python's final-sigma rule is the one lower-casing cotlog does not
    follow: such texts are left out (and counted)."""
    return t.lower() == "".join(c.lower() for c in t)


@corpus_case
def ngram_ratio_matches_python_on_corpus(root, fixtures):
    texts = corpus_texts(root)
    kept = [t for t in texts if sigma_free(t)]
    assert len(kept) > (50 if fixtures else 500) and \
        len(texts) - len(kept) < 5, \
        (len(texts), len(kept))
    for n in (3, 1, 5):
        for t, prof in zip(kept, annotate_strings(kept, "--ngram", str(n))):
            assert prof["repeat"]["ngram"] == ngram_ratio(t, n), \
                (n, t[:80], prof["repeat"]["ngram"], ngram_ratio(t, n))


# ---- exact repeated blocks, an independent Python version ---------------

WS = reference.WHITE_SPACE


def paragraphs(t):
    """SPEC 3 paragraphs as (offset in chars, text), stripped."""
    out, start, end, inpara, pos = [], 0, 0, False, 0
    for line in t.split("\n"):
        if any(c not in WS for c in line):
            if not inpara:
                start = pos
            inpara, end = True, pos + len(line)
        elif inpara:
            inpara = False
            out.append((start, t[start:end]))
        pos += len(line) + 1
    if inpara:
        out.append((start, t[start:end]))
    return out


def block_stats(t, blocks, min_chars, need_space):
    """max count, longest run, byte offset of the most frequent; blocks
    are (char offset, text) before stripping."""
    items = []
    for off, b in blocks:
        s = b.strip()
        if not s:
            continue
        lead = len(b) - len(b.lstrip())
        ok = len(s) >= min_chars and (not need_space or
                                      any(c.isspace() for c in s))
        items.append((len(t[:off + lead].encode("utf-8")), s, ok))
    count, first, best, at, run, cur, prev = {}, {}, 0, None, 0, 0, None
    for off, s, ok in items:
        if not ok:
            cur, prev = 0, None
            continue
        cur = cur + 1 if s == prev else 1
        prev = s
        run = max(run, cur)
        count[s] = count.get(s, 0) + 1
        first.setdefault(s, off)
        if count[s] > best:
            best, at = count[s], first[s]
    return best, run, at


def sentences(t):
    out, pos = [], 0
    for piece in re.split(r"([.!?]+)", t):
        if piece and piece[0] not in ".!?":
            out.append((pos, piece))
        pos += len(piece)
    return out


@corpus_case
def repeated_blocks_match_python_on_corpus(root, fixtures):
    texts = corpus_texts(root, 3000)
    flagged = 0
    for t, prof in zip(texts, annotate_strings(texts)):
        rep = prof["repeat"]
        pm, pr, pa = block_stats(t, paragraphs(t), 20, False)
        sm, sr, sa = block_stats(t, sentences(t), 10, True)
        got = (rep["para"]["max"], rep["para"]["run"], rep["para"]["at"],
               rep["sent"]["max"], rep["sent"]["run"], rep["sent"]["at"])
        assert got == (pm, pr, pa, sm, sr, sa), (t[:80], got,
                                                 (pm, pr, pa, sm, sr, sa))
        want_rule = ("paragraph" if pm >= 10 else "sentence" if sm >= 40
                     else "sentence_run" if sr >= 4 else None)
        assert rep["rule"] == want_rule and rep["flag"] == bool(want_rule)
        flagged += rep["flag"]
    assert flagged >= (8 if fixtures else 20), flagged


# ---- loops ----------------------------------------------------------------

def sky_profiles(path):
    data = open(path, "rb").read()
    recs = [json.loads(line) for line in data.splitlines()]
    return recs, [c[0] for c in annotate(data)]


@corpus_case
def loops_found_where_sources_say(root, fixtures):
    """SOURCES.md: one sentence recurs 412x in idx 5, 766x in idx 8,
    1110x in idx 19 of the 14b file; idx 10 of the reflection file
    repeats one line 1182x. Each is a tail loop and the trace is
    truncated by it. The fixtures (make.py): idx 3 and 7 of eval.jsonl
    repeat one sentence 300x and 120x."""
    named = {"sky-t1-math-correct-5k-14b__aime24.jsonl":
             {5: 412, 8: 766, 19: 1110},
             "sky-t1-math-reflection-1.0-32b__aime24.jsonl": {10: 1182}}
    if fixtures:
        named = {"eval.jsonl": {3: 300, 7: 120}}
    for name, want in named.items():
        recs, profs = sky_profiles(os.path.join(shape_dir(root, "sky"),
                                                name))
        found = 0
        for rec, prof in zip(recs, profs):
            if rec["idx"] not in want:
                continue
            loop = prof["loop"]
            assert loop["found"] and loop["tail"], (name, rec["idx"], loop)
            # SOURCES counts occurrences of the sentence; a loop's
            # repeats are the whole periods after it started
            assert abs(loop["repeats"] - want[rec["idx"]]) <= 3, \
                (name, rec["idx"], loop["repeats"])
            assert prof["status"] == "truncated" and \
                prof["status_rule"] == "tail_loop", prof["status"]
            # the loop's text, read at its offsets, repeats (words
            # compare lower-cased: "But in ..." then "Wait, but in ...")
            r = reference.split(rec["code"][0])["reasoning"].encode()
            s, p = loop["start"], loop["period"]
            assert r[s:s + p].lower().split() == \
                r[s + p:s + 2 * p].lower().split()
            assert loop["end"] == len(r)
            found += 1
        assert found == len(want), (name, found)


def words_py(b):
    """(offset, word) pairs of bytes b as Python's str.split() cuts."""
    t = b.decode("utf-8")
    out, i = [], 0
    for m in re.finditer(r"\S+", t):
        out.append((len(t[:m.start()].encode("utf-8")), m.group().lower()))
    return out


@corpus_case
def loops_follow_the_definition_on_sky_t1(root, fixtures):
    """Every loop reported in the Sky-T1 files: its stretch repeats the
    period word for word, at least 4 times, over 256+ bytes, and cannot
    be made longer at its start. Clean traces (closed, scored correct by
    the record's own label) hold no loop."""
    total = clean = with_loop = 0
    for path in sorted(glob.glob(os.path.join(shape_dir(root, "sky"),
                                              "*.jsonl"))):
        recs, profs = sky_profiles(path)
        for rec, prof in zip(recs, profs):
            total += 1
            sp = reference.split(rec["code"][0])
            r = (sp["reasoning"] if sp else rec["code"][0]).encode()
            if prof["closed"] and rec["score"][0]:
                clean += 1
                assert not prof["loop"]["found"], (path, rec["idx"])
            with_loop += prof["loop"]["found"]
            ws = words_py(r)
            starts = [o for o, _ in ws]
            for loop in prof["loop"]["all"]:
                s = starts.index(loop["start"])
                d = loop["period_words"]
                e = s + d
                while e < len(ws) and ws[e][1] == ws[e - d][1]:
                    e += 1
                assert (e - s) // d == loop["repeats"] >= 4, loop
                assert loop["end"] - loop["start"] >= 256
                assert s == 0 or ws[s - 1][1] != ws[s - 1 + d][1] or \
                    any(l2["end"] <= loop["start"]
                        for l2 in prof["loop"]["all"]), loop
                assert loop["tail"] == (loop["end"] == len(r))
    assert (clean >= 5 and with_loop >= 2 if fixtures else
            clean >= 25 and with_loop >= 50), (total, clean, with_loop)


# ---- status ---------------------------------------------------------------

@case
def status_of_hand_made_records():
    recs = [
        ({"choices": [{"message": {"role": "assistant",
                                   "reasoning_content": "r",
                                   "content": "c"},
                       "finish_reason": "length"}]},
         "truncated", "finish_length", "length"),
        ({"candidates": [{"finishReason": "MAX_TOKENS", "content": {
            "role": "model", "parts": [{"text": "r", "thought": True},
                                       {"text": "c"}]}}]},
         "truncated", "finish_length", "length"),
        ({"text": "<think>\n\n</think>\n\nHi."}, "empty_think",
         "empty_block", None),
        ({"role": "assistant", "content": "Hi."}, "no_think",
         "no_reasoning", None),
        ({"done_reason": "stop", "thinking": "", "content": "Hi."},
         "no_think", "no_reasoning", "stop"),
        ({"text": "<think>\nso the sum is"}, "truncated", "mid_sentence",
         None),
        ({"text": "<think>\nThe sum is 4."}, "unterminated", "no_close",
         None),
        ({"text": "<think>r</think>\n"}, "no_answer", "answer_blank",
         None),
        ({"text": "r</think>The answer is 4.", "stop_reason": "end_turn"},
         "complete", "answered", "stop"),
        ({"text": "r</think>x", "finish_reason": "tool_calls"},
         "complete", "answered", "other"),
    ]
    data = "".join(json.dumps(r) + "\n" for r, _, _, _ in recs).encode()
    for (rec, status, rule, finish), cot in zip(recs, annotate(data)):
        p = cot[0]
        assert (p["status"], p["status_rule"], p["finish"]) == \
            (status, rule, finish), (rec, p["status"], p["status_rule"],
                                     p["finish"])


@corpus_case
def status_on_ollama_done_reason(root, fixtures):
    """SOURCES.md: done_reason "length" in 11 + 2 + 60 of the Ollama
    records (the fixtures: 4); each is truncated, and no other is."""
    n = 0
    for path in sorted(glob.glob(os.path.join(shape_dir(root, "ollama"),
                                              "*.jsonl"))):
        data = open(path, "rb").read()
        for line, cot in zip(data.splitlines(), annotate(data)):
            rec = json.loads(line)
            p = cot[0]
            assert (p["status"] == "truncated") == \
                (rec["done_reason"] == "length"), (path, p["status"])
            n += rec["done_reason"] == "length"
    assert n == (4 if fixtures else 73), n


# ---- the registry ---------------------------------------------------------

@case
def field_names_nest_without_clashes():
    """No field is both a value and an object: a name is never the
    dotted prefix of another (a "format.x" beside "format" would print
    the key twice)."""
    p = subprocess.run([COTLOG, "fields", "--json"], capture_output=True)
    names = [json.loads(line)["name"] for line in p.stdout.splitlines()]
    assert len(names) == len(set(names))
    full = set(names)
    for n in names:
        parts = n.split(".")
        for k in range(1, len(parts)):
            assert ".".join(parts[:k]) not in full, n
    for n in ("status", "status_rule", "finish", "mid_sentence",
              "reward.format", "reward.tag_count", "reward.think_format",
              "reward.think_format_prefilled", "repeat.ngram",
              "repeat.flag", "loop.found", "loop.tail", "loop.start",
              "loop.period", "loop.repeats", "loop.start_step",
              "loop.period_steps", "loop.all"):
        assert n in full, n


# ---- runner -------------------------------------------------------------


main()
