#!/usr/bin/env python3
"""test_steps.py - end-to-end tests of steps and patterns (TAP; show's
are in test_show.py).

Usage: test_steps.py COTLOG SRCDIR. The units of `cotlog steps` are
checked against the reasoning read independently (reference.py) so that
they and the White_Space between them give back every byte; the
built-in pattern counts of `cotlog annotate` against a naive phrase
search written here. Corpus cases skip without a corpus; each has a
twin on the fixtures of tests/data."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

WS = reference.WHITE_SPACE

from tap import (  # noqa: E402
    SAMPLE, TMP, all_files, case, corpus_case, main, run, shaped_files,
    tmpfile)


def jsonl(out):
    return [json.loads(line) for line in out.decode().splitlines()]


# The three shapes whose reasoning reference.py finds on its own (as
# test_cli.py does): tap.shaped_files() lists their files.
def reasoning_of(rec, shape):
    if shape == "ollama":
        if rec["thinking"]:
            return rec["thinking"]
        sp = reference.split(rec["content"])
        return "" if sp is None else sp["reasoning"]
    text = rec["full_response"] if shape == "topology" else rec["code"][0]
    sp = reference.split(text)
    return text if sp is None else sp["reasoning"]


# ---- commands and help --------------------------------------------------

@case
def help_texts():
    rc, out, _ = run(["--help"])
    assert rc == 0
    for c in (b"show", b"steps", b"patterns"):
        assert c in out, c
    for cmd, words in (("show", [b"--record N", b"--trace I", b"--where",
                                 b"--full", b"--color", b"NO_COLOR",
                                 b"less -R", b"Exit status"]),
                       ("steps", [b"--by UNIT", b"--text", b"\"start\"",
                                  b"Exit status", b"--patterns FILE"]),
                       ("patterns", [b"--json", b"--families",
                                     b"NAME FAMILY REGEX",
                                     b"Exit status"])):
        rc, out, _ = run([cmd, "--help"])
        assert rc == 0, cmd
        for w in words:
            assert w in out, (cmd, w)


@case
def steps_rules_and_confidence():
    # the same with -j 2 as with one job
    rc, one, err = run(["steps", "--jobs", "1", "--by", "sentence", SAMPLE])
    assert rc == 0 and one, err
    rc, two, err = run(["steps", "-j", "2", "--by", "sentence", SAMPLE])
    assert rc == 0 and two == one, err
    units = jsonl(one)
    # the paragraph labels are the profile's functions.* counts, and
    # each unit says which rule labelled it and how often that rule
    # agreed with the annotators
    path = tmpfile("labels.jsonl", "".join(json.dumps(
        {"reasoning": r}) + "\n" for r in (
            "We are given x.\n\nWait, 2 + 2 = 4. Then 4 * 3 = 12.\n\n"
            "Alternatively, we could factor. I know that 2^10 = 1024.",
            "Let me think.\n\nThat seems correct.\n\nGood grief.")))
    rc, out, err = run(["steps", "--field", "reasoning", path])
    assert rc == 0, err
    paras = jsonl(out)
    _, ann, _ = run(["annotate", "--field", "reasoning", path])
    want = {}
    for line in ann.decode().splitlines():
        for prof in json.loads(line)["cot"]:
            for k, v in prof["functions"].items():
                if k != "transitions":
                    want[k] = want.get(k, 0) + v
    got = {k: 0 for k in want}
    for u in paras:
        got[u["label"]] += 1
    assert got == want, (got, want)
    assert [(u["label"], u["rule"]) for u in paras] == [
        ("problem_setup", "setup_cue"),
        ("active_computation", "computational"),
        ("active_computation", "computational"),
        ("problem_setup", "first_unit"),
        ("self_checking", "affirm"),
        ("unknown", "none")], paras
    assert any(u["rule"] == "computational" for u in units)
    for u in units + paras:
        assert isinstance(u["confidence"], float) and \
            0 <= u["confidence"] <= 1


@case
def usage_errors():
    for args, msg in ((["steps", "--by", "word"], b"--by takes"),
                      (["show", "--record", "0"], b"--record takes"),
                      (["show", "--trace", "x"], b"--trace takes"),
                      (["show", "--color", "pink"], b"--color takes"),
                      (["patterns", "extra"], b"unexpected argument")):
        rc, out, err = run(args)
        assert rc == 2 and msg in err and out == b"", (args, rc, err)


# ---- patterns -------------------------------------------------------------

def patterns_json(args=()):
    rc, out, err = run(["patterns", "--json"] + list(args))
    assert rc == 0, err
    return jsonl(out)


@case
def patterns_lists_builtins():
    pats = patterns_json()
    names = [p["name"] for p in pats]
    assert len(names) == len(set(names)) and len(names) >= 40
    for want in ("r1_wait", "r1_check", "oat_recheck", "oi_let_me",
                 "verification", "backtracking", "subgoal_setting",
                 "backward_chaining", "switch_alternatively", "aha",
                 "conclusion_answer", "r1_zh"):
        assert want in names, want
    fams = {p["family"] for p in pats}
    assert fams == {"r1_reflect", "oat_reflect", "oi_wait_reconsider",
                    "oi_self_directed", "oi_hedging", "verification",
                    "backtracking", "subgoal_setting", "backward_chaining",
                    "switch", "aha", "conclusion"}, fams
    for p in pats:
        assert p["phrases"] and not p["full_scan"], p["name"]
        # a public work: an arXiv paper or a GitHub repository's path
        assert re.search(r"arXiv \d{4}\.\d{4,5}|\b[\w-]+/[\w-]+ ",
                         p["source"]), p["name"]
    rc, out, _ = run(["patterns"])
    assert rc == 0 and b"r1_reflect (11 patterns)" in out
    assert b"(?:\\bwait\\b)" in out
    rc, out, _ = run(["patterns", "--families", "--json"])
    fam = jsonl(out)
    assert len(fam) == 12 and sum(f["patterns"] for f in fam) == len(pats)


@case
def patterns_user_file_and_option():
    path = tmpfile("p.txt", "# mine\n\nhedge  doubt  \\bmaybe\\b\n"
                   "r1_wait mine \\bwait(?:ing)?\\b\n"
                   "digits nums \\d+\n")
    pats = patterns_json(["--patterns", path, "--pattern", "me=\\bI\\b"])
    by = {p["name"]: p for p in pats}
    assert by["hedge"]["family"] == "doubt"
    assert by["hedge"]["source"] == path + ":3"
    assert by["hedge"]["phrases"] is None
    assert by["r1_wait"]["family"] == "mine"
    assert [p["name"] for p in pats][0] == "r1_wait"   # replaced in place
    assert by["me"]["family"] == "user" and by["me"]["source"] == "--pattern"
    assert by["digits"]["full_scan"] is True
    only = patterns_json(["--no-builtin-patterns", "--pattern", "x=y+z"])
    assert [p["name"] for p in only] == ["x"]
    # and they count
    rec = tmpfile("u.jsonl", json.dumps(
        {"response": "Waiting... maybe 12 or 345, I think. wait"}) + "\n")
    rc, out, _ = run(["annotate", "--patterns", path, "--pattern",
                      "me=\\bI\\b", rec])
    prof = json.loads(out)["cot"][0]
    assert prof["patterns"]["r1_wait"]["count"] == 2
    assert prof["patterns"]["hedge"]["count"] == 1
    assert prof["patterns"]["digits"]["count"] == 2
    assert prof["patterns"]["me"]["count"] == 1
    assert prof["families"]["nums"]["count"] == 2
    assert prof["families"]["mine"]["first"] == 0


@case
def patterns_errors_exit_3_with_place():
    bad = tmpfile("bad.txt", "ok fam fine\n\nbroken fam   (?:x|y\n")
    for cmd, files in ((["patterns"], []), (["annotate"], [SAMPLE]),
                       (["steps"], [SAMPLE]), (["show"], [SAMPLE])):
        rc, out, err = run(cmd + ["--patterns", bad] + files)
        assert rc == 3, (cmd, rc)
        assert out == b"", cmd
        assert f"{bad}:3:20: pattern 'broken': missing closing " \
               "parenthesis".encode() in err, err
    for arg, msg in (("x=(a", b"--pattern 'x=(a': column 5:"),
                     ("noeq", b"expected NAME=REGEX"),
                     ("a.b=c", b"letters, digits or underscores")):
        rc, out, err = run(["annotate", "--pattern", arg, SAMPLE])
        assert rc == 3 and msg in err and out == b"", (arg, err)
        rc, out, err = run(["show", "--pattern", arg, SAMPLE])
        assert rc == 3 and msg in err and out == b"", (arg, err)
    rc, _, err = run(["patterns", "--patterns",
                      os.path.join(TMP, "missing.txt")])
    assert rc == 2 and b"missing.txt: No such file" in err


@case
def match_limit_reported_with_the_record():
    rec = tmpfile("boom.jsonl", json.dumps({"response": "a" * 3000 + "b"})
                  + "\n" + json.dumps({"response": "fine"}) + "\n")
    rc, out, err = run(["annotate", "--pattern", "boom=(?:a+)+$", rec])
    assert rc == 2, rc
    assert f"{rec}:1: trace 0: pattern 'boom' at byte 0".encode() in err
    assert b"limit" in err
    lines = out.decode().splitlines()
    assert len(lines) == 2 and "cot" not in json.loads(lines[0])
    assert json.loads(lines[1])["cot"][0]["patterns"]["boom"]["count"] == 0


# ---- naive counts of the built-in lexicons ------------------------------

def word_char(s, i):
    """Is the character starting at byte i of bytes s a \\w character?"""
    if i < 0 or i >= len(s):
        return False
    j = i
    while j > 0 and (s[j] & 0xC0) == 0x80:
        j -= 1
    k = j + 1
    while k < len(s) and (s[k] & 0xC0) == 0x80:
        k += 1
    ch = s[j:k].decode("utf-8", "replace")
    return ch == "_" or ch.isalnum()


def variants(phrase):
    """The byte strings a phrase matches (' is ' or U+2019)."""
    out = [b""]
    for ch in phrase:
        alts = ["'", "\u2019"] if ch == "'" else [ch]
        out = [o + a.encode() for o in out for a in alts]
    return out


def naive(phrases, text):
    """count, first, last of the leftmost-first, non-overlapping
    matches of the phrases (tried in their order at each place) in
    text, in byte offsets: every place where a phrase stands with its
    word boundaries, found with bytes.find, then swept left to right."""
    s = text.encode("utf-8", "surrogatepass")
    low = s.lower()                    # ASCII letters only: keeps offsets
    places = {}                        # offset -> (phrase order, length)
    for order, p in enumerate(phrases):
        for v in variants(p):
            i = low.find(v)
            while i >= 0:
                ok = not (p[0].isascii() and p[0].isalnum() and
                          word_char(s, i - 1)) and \
                    not (p[-1].isascii() and p[-1].isalnum() and
                         word_char(s, i + len(v)))
                if ok and (i not in places or places[i][0] > order):
                    places[i] = (order, len(v))
                i = low.find(v, i + 1)
    count, first, last, end = 0, None, None, 0
    for i in sorted(places):
        if i < end:
            continue
        count += 1
        first = i if first is None else first
        last = i
        end = i + places[i][1]
    return count, first, last


@corpus_case
def builtin_counts_agree_with_naive_count(root, fixtures):
    pats = patterns_json()
    checked = hits = 0
    for path, shape in shaped_files(root):
        _, out, _ = run(["annotate", path])
        for line in out.decode().splitlines():
            rec = json.loads(line)
            prof = rec["cot"][0]
            text = reasoning_of(rec, shape)
            fams = {}
            for p in pats:
                c, f, la = naive(p["phrases"], text)
                got = prof["patterns"][p["name"]]
                assert (got["count"], got["first"], got["last"]) == \
                    (c, f, la), (path, p["name"], got, c, f, la)
                fams[p["family"]] = fams.get(p["family"], 0) + c
                hits += c
            for fam, c in fams.items():
                assert prof["families"][fam]["count"] == c, (path, fam)
            checked += 1
    assert (checked >= 60 and hits > 1000 if fixtures else
            checked > 1000 and hits > 50000), (checked, hits)
    print(f"# {checked} traces, {hits} built-in matches agree with the "
          f"naive count")


@case
def handmade_counts_including_chinese():
    texts = [
        "Wait, wait. Wait! That's an aha moment I can flag here. Let's "
        "reevaluate: re-evaluate, recheck, rechecking, but BUT button.",
        "Let\u2019s verify. Hmm, let me double-check. I made a mistake. "
        "Alternatively, perhaps I should work backwards from the target.",
        "等等，不对。让我重新检查一下：验证答案。或者换个思路，我们倒推。"
        "嗯，原来如此，我明白了！所以答案是 5。首先，第一步。",
        "wait_not waiting w\u00e9wait wait\u00e9 \u65e5wait (wait) wait",
    ]
    pats = patterns_json()
    data = "".join(json.dumps({"response": t}) + "\n" for t in texts)
    rc, out, _ = run(["annotate", tmpfile("hand.jsonl", data)])
    assert rc == 0
    total = 0
    for t, line in zip(texts, out.decode().splitlines()):
        prof = json.loads(line)["cot"][0]
        for p in pats:
            c, f, la = naive(p["phrases"], t)
            got = prof["patterns"][p["name"]]
            assert (got["count"], got["first"], got["last"]) == (c, f, la), \
                (t[:30], p["name"], got, c)
            total += c
    assert total > 40
    last = json.loads(out.decode().splitlines()[3])["cot"][0]
    assert last["patterns"]["r1_wait"]["count"] == 2
    zh = json.loads(out.decode().splitlines()[2])["cot"][0]
    assert zh["families"]["switch"]["count"] == 5
    assert zh["patterns"]["r1_zh"]["count"] == 4


# ---- steps ----------------------------------------------------------------

KEYS = {"file", "line", "record", "trace", "index", "start", "end",
        "label", "rule", "confidence", "words", "paragraph", "thought",
        "hits"}
LABELS = {"problem_setup", "plan_generation", "fact_retrieval",
          "active_computation", "result_consolidation",
          "uncertainty_management", "self_checking",
          "final_answer_emission", "unknown"}


def check_cover(text, units):
    """The units and the White_Space between them give back text."""
    s = text.encode("utf-8", "surrogatepass")
    pos = 0
    for u in units:
        assert pos <= u["start"] < u["end"] <= len(s), (pos, u)
        gap = s[pos:u["start"]].decode("utf-8", "surrogatepass")
        assert all(c in WS for c in gap), (gap[:40],)
        piece = s[u["start"]:u["end"]].decode("utf-8", "surrogatepass")
        assert piece[0] not in WS and piece[-1] not in WS
        assert u["text"] == piece
        assert u["words"] == sum(1 for _ in re.finditer(
            "[^" + "".join(sorted(WS)) + "]+", piece))
        pos = u["end"]
    tail = s[pos:].decode("utf-8", "surrogatepass")
    assert all(c in WS for c in tail)


@corpus_case
def steps_cover_every_corpus_trace_in_every_mode(root, fixtures):
    counted = {"paragraph": 0, "sentence": 0, "thought": 0}
    traces = 0
    for path, shape in shaped_files(root):
        recs = [json.loads(line) for line in open(path, encoding="utf-8")]
        _, out, _ = run(["annotate", path])
        profs = [json.loads(line)["cot"][0]
                 for line in out.decode().splitlines()]
        for by in counted:
            rc, out, err = run(["steps", "--by", by, "--text", path])
            assert rc == 0, err
            units = {}
            for u in jsonl(out):
                assert set(u) == KEYS | {"text"}, u.keys()
                assert u["label"] in LABELS and u["file"] == path
                assert 0 <= u["confidence"] <= 1
                assert (u["rule"] == "none") == (u["label"] == "unknown")
                assert u["line"] == u["record"]       # JSON Lines
                for h in u["hits"]:
                    assert u["start"] <= h["start"] < u["end"]
                    assert h["end"] > h["start"]
                units.setdefault(u["record"], []).append(u)
            for n, rec in enumerate(recs, 1):
                us = units.get(n, [])
                assert [u["index"] for u in us] == list(range(len(us)))
                check_cover(reasoning_of(rec, shape), us)
                want = {"paragraph": profs[n - 1]["steps"],
                        "sentence": profs[n - 1]["structure"]["sentences"],
                        "thought": profs[n - 1]["structure"]["thoughts"]}
                assert len(us) == want[by], (path, n, by)
                counted[by] += len(us)
                traces += by == "paragraph"
    print(f"# {traces} traces: {counted} cover their reasoning exactly")
    assert traces >= (60 if fixtures else 1000), traces


@corpus_case
def steps_on_every_corpus_file(root, fixtures):
    files = all_files(root)
    assert len(files) >= 20, files
    for path in files:
        rc, out, err = run(["steps", "--by", "sentence", path])
        assert rc == 0, (path, err[:200])
        for u in jsonl(out):
            assert set(u) == KEYS and u["start"] < u["end"]


@case
def steps_sample_fields():
    rc, out, _ = run(["steps", SAMPLE])
    assert rc == 0
    units = jsonl(out)
    assert {u["record"] for u in units} <= set(range(1, 15))
    first = units[0]
    assert first["file"] == SAMPLE and first["trace"] == 0
    assert first["index"] == 0 and first["paragraph"] == 0
    rc, out, _ = run(["steps", "--by", "thought", "-"],
                     stdin=json.dumps({"response": "<think>A.\n\nWait, no."
                                                   "\n\nB.</think>x"})
                     .encode())
    th = jsonl(out)
    assert [(u["start"], u["end"], u["thought"], u["paragraph"])
            for u in th] == [(0, 2, 0, 0), (4, 17, 1, 1)]
    assert th[1]["hits"][0]["pattern"] == "r1_wait"


main()
