#!/usr/bin/env python3
"""test_tokens.py - end-to-end tests of the token features: `cotlog
tokens` and --tokenizer on the reading commands, with our own tokenizers
(tests/data/tokens/tiny.json and tiny-ignore.json, written by
tests/tokens/make_tiny.py). The ids are checked against
tests/tokens/tiny_ref.py, a plain Python tokenizer that shares nothing
with the C code, on generated texts (fixed seed) and on the texts of the
fixtures, read here directly; the fields in tokens (think.tokens,
preamble.tokens, answer_first_at_tokens, loop.period_tokens...) are
recomputed from those texts. The model-id lookup runs against fake
Hugging Face caches in TMP; the refused tokenizers are small hand-written
files in tests/data/tokens/refused. (tests/tokens/test_tokens.py checks
the real tokenizers against the Rust crate.)

Usage: test_tokens.py COTLOG SRCDIR (TAP output)."""
import json
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import (  # noqa: E402
    DATA, SRC, TMP, case, main, run, shaped_files, tmpfile)
import reference  # noqa: E402

sys.path.insert(0, os.path.join(SRC, "tests", "tokens"))
from tiny_ref import BYTE_CHARS, Ref  # noqa: E402
from make_tiny import EXTRA_WORDS  # noqa: E402

BYTE_VALUE = {c: b for b, c in BYTE_CHARS.items()}

TOKDIR = os.path.join(DATA, "tokens")
TINY = os.path.join(TOKDIR, "tiny.json")
IGNORE = os.path.join(TOKDIR, "tiny-ignore.json")
RECORDS = os.path.join(TOKDIR, "records.jsonl")
REFUSED = os.path.join(TOKDIR, "refused")
GENERATED = 2500
REFS = {}


def ref(path):
    if path not in REFS:
        REFS[path] = Ref(path)
    return REFS[path]


def count(path, text):
    """tiny_ref's number of tokens of text (str or bytes)."""
    return len(ref(path).encode(text))


def encode_all(path, texts):
    return [ref(path).encode(t) for t in texts]


def ok(args, **kw):
    rc, out, err = run(args, **kw)
    assert rc == 0, (args, rc, err[-500:])
    return out, err


# ---- generated texts -----------------------------------------------------

WORDS = ["the", "The", "THE", "answer", "reasoning", "don't", "I'm",
         "we'll", "they've", "It's", "you'RE", "'S", "'ll", "Wait", "wait,",
         "So", "tokenizer", "hypothesis", "therefore", "verify", "x=",
         "f(x)", "\\frac{1}{2}", "$$", "**", "```", "-->", "...", "\u2014",
         "caf\u00e9", "Caf\u00e9", "Cafe\u0301", "\u00e9t\u00e9", "e\u0301",
         "A\u030a", "\u212b", "\u2126", "\ufb01", "Stra\u00dfe",
         "\u00c5ngstr\u00f6m", "\u03b1\u03b2\u03b3", "\u041f\u0440\u0438",
         "\u6570\u5b66", "\ud55c\uad6d\uc5b4", "\u1100\u1161\u11a8",
         "\U0001f600", "\u2705", "\ufffd", "\x00", "\x7f", "3.14159",
         "1,000,000", "<", ">", "<|", "|>", "<think", "think>", "<|tool",
         "tool|>", "Cafe"]
ADDED = ["<think>", "</think>", "<|tool|>", "Cafe\u0301", "Caf\u00e9"]
PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
BAD = [b"\x80", b"\xbf", b"\xc0\xaf", b"\xc2", b"\xe0\x80\x80",
       b"\xed\xa0\x80", b"\xf0\x9f", b"\xf0\x9f\x98", b"\xf4\x90\x80\x80",
       b"\xf5", b"\xff", b"\xfe\xfe", b"\xe2\x82", b"\xc3\x28",
       b"\xe6\x97\xa5\xe6"]
# Code point ranges assigned in Unicode 9.0 or earlier (the library's
# NFC tables are 9.0's, as the Rust crate's; Python's newer ones give
# the same NFC on these).
RANGES = [(0xa0, 0xff), (0x100, 0x17f), (0x391, 0x3c9), (0x410, 0x44f),
          (0x4e00, 0x9fa5), (0xac00, 0xd7a3), (0x3041, 0x3096),
          (0x1f600, 0x1f64f), (0x2600, 0x26ff), (0x2200, 0x22ff)]


def generated(n, seed, lines):
    """n texts (str, or bytes when they hold ill-formed UTF-8) from a
    fixed seed; with lines, none holds LF or ends with CR."""
    rnd = random.Random(seed)

    def frag():
        k = rnd.randrange(13)
        if k == 0:
            return rnd.choice(ADDED)
        if k == 1:      # an added token glued to a word, or cut short
            a = rnd.choice(ADDED)
            if rnd.random() < 0.5:
                a = a[:rnd.randint(1, len(a))]
            return rnd.choice(WORDS) + a + rnd.choice(WORDS)
        if k == 2:      # white space runs
            return "".join(rnd.choice(" \t\n\r")
                           for _ in range(rnd.randint(1, 7)))
        if k == 3:
            return "".join(rnd.choice("0123456789")
                           for _ in range(rnd.randint(1, 12)))
        if k == 4:
            return "".join(rnd.choice(PUNCT)
                           for _ in range(rnd.randint(1, 5)))
        if k == 5:      # marks that compose under NFC
            return (rnd.choice("aeiouAEIOUnNcCyY") +
                    "".join(chr(rnd.choice([0x300, 0x301, 0x302, 0x303,
                                            0x308, 0x30a, 0x327, 0x323]))
                            for _ in range(rnd.randint(1, 3))))
        if k == 6:      # Hangul jamo that compose into syllables
            return "".join(chr(0x1100 + rnd.randrange(19)) +
                           chr(0x1161 + rnd.randrange(21)) +
                           (chr(0x11a8 + rnd.randrange(27))
                            if rnd.random() < 0.5 else "")
                           for _ in range(rnd.randint(1, 3)))
        if k == 7:
            lo, hi = rnd.choice(RANGES)
            return "".join(chr(rnd.randint(lo, hi))
                           for _ in range(rnd.randint(1, 10)))
        if k == 8:
            return rnd.choice(BAD)
        if k == 9:      # a long repeat
            if rnd.random() < 0.5:
                return rnd.choice(WORDS) * rnd.choice([3, 10, 30])
            return rnd.choice([" ", "a", "!", "1", "\t", "\u00e9"]) * \
                rnd.choice([5, 50, 300])
        return rnd.choice(WORDS)

    out = []
    for _ in range(n):
        parts = [frag() for _ in range(rnd.randint(1, 14))]
        joins = [rnd.choice(["", " ", "", " ", "\n", "  "]) for _ in parts]
        b = b"".join(j.encode() + (p if isinstance(p, bytes) else
                                    p.encode("utf-8"))
                     for j, p in zip(joins, parts))
        if lines:
            b = b.replace(b"\n", b" ")
            if b.endswith(b"\r"):
                b += b"."
        try:
            out.append(b.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(b)
    return out


def as_bytes(t):
    return t if isinstance(t, bytes) else t.encode("utf-8")


def lines_match(tok, seed):
    texts = generated(GENERATED, seed, lines=True)
    path = tmpfile("lines.txt", b"\n".join(as_bytes(t) for t in texts) +
                   b"\n")
    out, _ = ok(["tokens", "--tokenizer", tok, "--lines", "--ids", path])
    got = out.decode().split("\n")
    assert got[-1] == "" and len(got) == len(texts) + 1, len(got)
    wants = encode_all(tok, texts)
    for k, (t, line, want) in enumerate(zip(texts, got, wants)):
        ids = [int(x) for x in line.split()]
        assert ids == want, ("line %d %r: cotlog %s, tiny_ref %s"
                             % (k + 1, t, ids, want))
    # the counts alone
    out, _ = ok(["tokens", "--tokenizer", tok, "--lines", path])
    counts = [int(x) for x in out.split()]
    assert counts == [len(w) for w in wants]
    assert sum(counts) > 20 * len(texts), sum(counts)


def text_match(tok, seed):
    texts = generated(2000, seed, lines=False)
    paths = [tmpfile("t%04d.txt" % k, as_bytes(t))
             for k, t in enumerate(texts)]
    out, _ = ok(["tokens", "--tokenizer", tok, "--text", "--ids"] + paths)
    got = out.decode().split("\n")
    assert len(got) == len(texts) + 1 and got[-1] == "", len(got)
    wants = encode_all(tok, texts)
    for t, p, line, want in zip(texts, paths, got, wants):
        ids, name = line.split("\t")
        assert name == p, (name, p)
        assert [int(x) for x in ids.split()] == want, (
            "%s %r: cotlog %s, tiny_ref %s" % (p, t, ids, want))
    out, _ = ok(["tokens", "--tokenizer", tok, "--text"] + paths)
    for t, p, line, want in zip(texts, paths, out.decode().splitlines(),
                                wants):
        assert line == "%d\t%s" % (len(want), p), (line, t)
    # stdin: one text
    rc, out, err = run(["tokens", "--tokenizer", tok, "--text"],
                       stdin=as_bytes(texts[7]))
    assert rc == 0, err
    assert out.decode().split("\t")[0] == str(count(tok, texts[7])), out


@case
def lines_ids_match_reference_tiny():
    lines_match(TINY, 1)


@case
def lines_ids_match_reference_tiny_ignore():
    lines_match(IGNORE, 2)


@case
def text_ids_match_reference_tiny():
    text_match(TINY, 3)


@case
def text_ids_match_reference_tiny_ignore():
    text_match(IGNORE, 4)


@case
def lines_ends_empty_and_crlf():
    """LF and CRLF ends are not part of the text; an empty line is 0
    tokens; a last line without LF is a line; a lone CR inside stays."""
    path = tmpfile("ends.txt", b"a b\r\n\r\n\nx\ry\nlast")
    out, _ = ok(["tokens", "--tokenizer", TINY, "--lines", path])
    want = [count(TINY, t) for t in ["a b", "", "", "x\ry", "last"]]
    assert [int(x) for x in out.split()] == want, (out, want)
    out, _ = ok(["tokens", "--tokenizer", TINY, "--lines", "--ids", path])
    assert out.decode().split("\n")[1:3] == ["", ""], out


@case
def fixtures_are_not_vacuous():
    """The fixtures do what they are there for: merges apply, the added
    tokens have their ids, NFC joins e + U+0301 so that the normalized
    token "Cafe\u0301" matches "Caf\u00e9" in tiny.json (not in
    tiny-ignore.json, which has no normalizer), and ignore_merges gives
    a word of the vocab that no merge makes as one token."""
    for tok in (TINY, IGNORE):
        d = json.load(open(tok, encoding="utf-8"))
        n = len(d["model"]["vocab"])
        assert 300 <= len(d["model"]["merges"]) <= 1000
        ids = {a["content"]: a["id"] for a in d["added_tokens"]}
        assert ids["<think>"] == n and ids["</think>"] == n + 1
        out, _ = ok(["tokens", "--tokenizer", tok, "--lines", "--ids",
                     tmpfile("a.txt", "<think></think><|tool|>"
                             "Cafe\u0301\n Caf\u00e9\n the answer\n")])
        rows = [[int(x) for x in r.split()] for r in out.decode()
                .splitlines()]
        assert rows[0] == [n, n + 1, n + 2, n + 3], rows
        if tok == TINY:     # " " is byte 32, id 32
            assert rows[1] == [32, n + 3], rows
        else:
            assert n + 3 not in rows[1], rows
        assert len(rows[2]) < len(" the answer".encode()) - 3, rows
    extra = [bytes(BYTE_VALUE[c] for c in w).decode()
             for w in EXTRA_WORDS]
    one = tmpfile("w.txt", "".join(w + "\n" for w in extra))
    a, _ = ok(["tokens", "--tokenizer", TINY, "--lines", one])
    b, _ = ok(["tokens", "--tokenizer", IGNORE, "--lines", one])
    a = [int(x) for x in a.split()]
    b = [int(x) for x in b.split()]
    assert a == [count(TINY, w) for w in extra], a
    assert b == [count(IGNORE, w) for w in extra], b
    # whole pre-tokens in the vocab: one token with ignore_merges only
    assert sum(x == 1 < y for x, y in zip(b, a)) >= 4, (a, b)


@case
def tiny_ref_matches_the_rust_crate():
    """When the tokens suite's cache (tests/tokens/setup.py,
    default_cache) holds the npm install of tests/tokens/package.json,
    which that suite makes: the Rust
    crate itself (tests/tokens/reference.js) gives tiny_ref's ids on our
    two tokenizers, so that the reference the cases above trust is the
    crate's behaviour, added tokens, NFC and ignore_merges included."""
    sys.path.insert(0, os.path.join(SRC, "tests", "tokens"))
    import setup
    import npm_cache
    cache = setup.default_cache()
    modules = os.path.join(cache, "node_modules")
    node = shutil.which("node")
    if not node or not npm_cache.installed(modules, setup.HERE):
        return "skip no npm install of the reference in %s, or no node" % cache
    texts = [t.decode("utf-8", "replace") if isinstance(t, bytes) else t
             for t in generated(2000, 11, lines=False)]
    feed = "".join(json.dumps({"text": t}) + "\n" for t in texts)
    for tok in (TINY, IGNORE):
        p = subprocess.run(
            [node, os.path.join(SRC, "tests", "tokens", "reference.js"),
             modules, tok], input=feed.encode(), capture_output=True,
            timeout=600)
        assert p.returncode == 0, p.stderr[-500:]
        crate = [json.loads(x) for x in p.stdout.splitlines()]
        assert len(crate) == len(texts)
        for t, c in zip(texts, crate):
            assert c == ref(tok).encode(t), (tok, t, c)


@case
def merges_as_pairs_same_ids():
    """The newer form of merges, ["a", "b"] pairs, reads as "a b"."""
    d = json.load(open(TINY, encoding="utf-8"))
    d["model"]["merges"] = [m.split(" ") for m in d["model"]["merges"]]
    pairs = tmpfile("pairs.json", json.dumps(d, ensure_ascii=False))
    texts = tmpfile("pairs.txt", b"\n".join(
        as_bytes(t) for t in generated(300, 5, lines=True)) + b"\n")
    a, _ = ok(["tokens", "--tokenizer", TINY, "--lines", "--ids", texts])
    b, _ = ok(["tokens", "--tokenizer", pairs, "--lines", "--ids", texts])
    assert a == b and len(a) > 3000


# ---- records: the fields in tokens ----------------------------------------

def my_records():
    """(record, reasoning, answer, preamble) of records.jsonl."""
    out = []
    for line in open(RECORDS, encoding="utf-8"):
        rec = json.loads(line)
        sp = reference.split(rec["response"])
        out.append((rec, sp["reasoning"], sp["answer"], sp["preamble"]))
    return out


def profiles(path, args=()):
    out, _ = ok(["annotate"] + list(args) + [path])
    return [json.loads(line).get("cot") for line in out.splitlines()]


@case
def think_and_answer_tokens_match_reference():
    checked = 0
    for tok in (TINY, IGNORE):
        for path, shape in shaped_files(DATA):
            recs = [json.loads(x) for x in open(path, encoding="utf-8")]
            for rec, cot in zip(recs, profiles(path, ["--tokenizer", tok])):
                r, a = reference.record_texts(rec, shape)
                p = cot[0]
                assert p["think"]["tokens"] == count(tok, r), (path, r)
                assert p["answer"]["tokens"] == count(tok, a), (path, a)
                checked += 1
        for (rec, r, a, pre), cot in zip(my_records(), profiles(
                RECORDS, ["--tokenizer", tok])):
            p = cot[0]
            assert p["think"]["tokens"] == count(tok, r), r
            assert p["answer"]["tokens"] == count(tok, a), a
            assert p["preamble"]["tokens"] == count(tok, pre), pre
            checked += 1
    assert checked >= 120, checked


@case
def preamble_tokens_of_a_logged_prompt():
    cots = profiles(RECORDS, ["--tokenizer", TINY])
    pre = [r[3] for r in my_records()]
    assert pre[0] == "User: What is 6 times 7?\nAssistant: "
    assert cots[0][0]["preamble"]["tokens"] == count(TINY, pre[0]) > 5
    assert cots[1][0]["preamble"]["tokens"] == 0
    assert cots[3][0]["preamble"]["tokens"] == count(TINY, pre[3]) > 5


def close(a, b):
    return a is not None and abs(a - b) <= 1e-12 * max(1.0, abs(b))


@case
def answer_position_fields_in_tokens():
    """answer_first_at_tokens, after_answer_tokens, efficiency_tokens
    from the prefixes of the texts encoded on their own (cotlog fields):
    the first candidate's statement when the reasoning states the
    reference, else the final answer's. A statement starts at its anchor
    or its \\ and ends after the answer text or the closing } (README,
    Grading)."""
    for tok in (TINY, IGNORE):
        cots = profiles(RECORDS, ["--tokenizer", tok])
        seen = {"reasoning": 0, "answer": 0}
        for (rec, r, a, _), cot in zip(my_records(), cots):
            p = cot[0]
            think, ans = count(tok, r), count(tok, a)
            rb = r.encode("utf-8")
            if p["candidates"]:
                c = p["candidates"][0]
                at = c["offset"]
                end = at + len(c["text"].encode("utf-8"))
                assert rb[at:end].decode() == c["text"]
                assert c["rule"] == "answer_is", c
                start = rb.rfind(b"answer is", 0, at)
                before, upto = count(tok, rb[:start]), count(tok, rb[:end])
                assert close(p["answer_first_at_tokens"], before / think), (
                    rec, p["answer_first_at_tokens"], before / think)
                assert close(p["after_answer_tokens"],
                             (think - upto) / think), rec
                if p["correct"]:
                    assert close(p["efficiency_tokens"],
                                 upto / (think + ans)), (
                        rec, p["efficiency_tokens"], upto / (think + ans))
                    seen["reasoning"] += 1
                else:
                    assert p["efficiency_tokens"] is None
            else:
                assert p["answer_first_at_tokens"] is None
                assert p["after_answer_tokens"] is None
                if p["correct"]:
                    ab = a.encode("utf-8")
                    box = ab.rfind(b"\\boxed{") + len(b"\\boxed{")
                    end = box + len(p["answer_extracted"].encode())
                    assert ab[end:end + 1] == b"}"
                    end += 1
                    want = (think + count(tok, ab[:end])) / (think + ans)
                    assert close(p["efficiency_tokens"], want), (
                        rec, p["efficiency_tokens"], want)
                    seen["answer"] += 1
        assert seen["reasoning"] >= 2 and seen["answer"] >= 1, seen


@case
def loop_period_tokens():
    for tok in (TINY, IGNORE):
        cots = profiles(RECORDS, ["--tokenizer", tok])
        looped = 0
        for (rec, r, _, _), cot in zip(my_records(), cots):
            loop = cot[0]["loop"]
            if loop["start"] is None:
                assert loop["period_tokens"] is None
                continue
            rb = r.encode("utf-8")
            period = rb[loop["start"]:loop["start"] + loop["period"]]
            assert loop["period_tokens"] == count(tok, period), (
                period, loop)
            looped += 1
        assert looped >= 1


@case
def switches_per_1k_tokens():
    found = 0
    for (rec, r, _, _), cot in zip(my_records(), profiles(
            RECORDS, ["--tokenizer", TINY])):
        s = cot[0]["structure"]
        want = s["thought_switches"] * 1000 / count(TINY, r)
        assert close(s["switches_per_1k_tokens"], want), (rec, s, want)
        found += s["thought_switches"] > 0
    assert found >= 2, found


TOKEN_FIELDS = ["preamble.tokens", "think.tokens", "answer.tokens",
                "answer_first_at_tokens", "after_answer_tokens",
                "efficiency_tokens", "structure.switches_per_1k_tokens",
                "loop.period_tokens"]


def field(p, name):
    for k in name.split("."):
        p = p[k]
    return p


def all_fixtures():
    """Every JSON Lines fixture of tests/data in one file."""
    parts = []
    for root, _, files in sorted(os.walk(DATA)):
        for f in sorted(files):
            if f.endswith(".jsonl"):
                data = open(os.path.join(root, f), "rb").read()
                parts.append(data if data.endswith(b"\n") else data + b"\n")
    return tmpfile("all.jsonl", b"".join(parts))


@case
def token_fields_null_without_tokenizer():
    path = all_fixtures()
    n = nonnull = 0
    for cot in profiles(path):
        for p in cot or []:
            n += 1
            assert all(field(p, f) is None for f in TOKEN_FIELDS), p
    for cot in profiles(path, ["--tokenizer", TINY]):
        for p in cot or []:
            nonnull += p["think"]["tokens"] is not None
    assert n >= 200 and nonnull == n, (n, nonnull)
    # --fields alone, without and with
    out, _ = ok(["annotate", "--fields", ",".join(TOKEN_FIELDS), RECORDS])
    assert b'"tokens":null' in out and b'"tokens":0' not in out


@case
def jobs_4_same_as_jobs_1():
    path = all_fixtures()
    one, _ = ok(["annotate", "-j", "1", "--tokenizer", TINY, path])
    four, _ = ok(["annotate", "-j", "4", "--tokenizer", TINY, path])
    assert one.count(b"\n") >= 200
    assert one == four
    for ids in ([], ["--ids"]):
        one, _ = ok(["tokens", "-j", "1", "--tokenizer", TINY] + ids +
                    [path])
        four, _ = ok(["tokens", "-j", "4", "--tokenizer", TINY] + ids +
                     [path])
        assert one == four and one.count(b"\n") >= 200, ids


@case
def tokens_records_mode():
    """Default mode: one line per record, [{"think":N,"answer":M}] per
    trace, the same as annotate's; --ids the arrays tiny_ref gives."""
    out, _ = ok(["tokens", "--tokenizer", TINY, RECORDS])
    rows = [json.loads(x) for x in out.splitlines()]
    ids, _ = ok(["tokens", "--tokenizer", TINY, "--ids", RECORDS])
    idrows = [json.loads(x) for x in ids.splitlines()]
    recs = my_records()
    assert len(rows) == len(recs) == len(idrows)
    for (rec, r, a, _), row, idrow in zip(recs, rows, idrows):
        assert row == [{"think": count(TINY, r), "answer": count(TINY, a)}]
        assert idrow == [{"think": ref(TINY).encode(r),
                          "answer": ref(TINY).encode(a)}], rec
    path = all_fixtures()
    out, _ = ok(["tokens", "--tokenizer", TINY, path])
    cots = profiles(path, ["--tokenizer", TINY])
    lines = out.splitlines()
    assert len(lines) == len(cots), (len(lines), len(cots))
    for line, cot in zip(lines, cots):
        got = json.loads(line)
        if cot is None:
            continue
        assert got == [{"think": p["think"]["tokens"],
                        "answer": p["answer"]["tokens"]} for p in cot], (
            got, cot)
    # a malformed record gives null; stdin works
    rc, out, _ = run(["tokens", "--tokenizer", TINY, "-q"],
                     stdin=b'{"response": "<think>a</think>b"}\n{oops\n')
    assert rc == 4 and out.splitlines()[1] == b"null", (rc, out)


@case
def tokens_stats_on_stderr():
    out, err = ok(["tokens", "--tokenizer", TINY, "--stats", "--lines",
                   tmpfile("s.txt", "a b c\nd\n")])
    assert out == b"%d\n%d\n" % (count(TINY, "a b c"), count(TINY, "d"))
    assert b"tiny.json" in err and b"token" in err, err


# ---- the reading commands ------------------------------------------------

@case
def annotate_stats_reports_the_tokenizer():
    _, err = ok(["annotate", "--stats", "--tokenizer", TINY, RECORDS])
    line = [x for x in err.decode().splitlines()
            if x.startswith("tokenizer ")]
    assert len(line) == 1, err
    assert line[0].startswith("tokenizer %s, loaded in " % TINY), line
    assert line[0].endswith(" s"), line
    _, err = ok(["annotate", "--stats", RECORDS])
    assert b"tokenizer " not in err, err


@case
def every_reading_command_takes_tokenizer():
    for cmd in (["annotate"], ["filter", "--where", "think.tokens > 0"],
                ["stats"], ["show", "--all"], ["steps"]):
        rc, out, err = run(cmd + ["--tokenizer", TINY, RECORDS],
                           env={"NO_COLOR": "1"})
        assert rc == 0, (cmd, rc, err[-300:])
        rc, _, err = run(cmd + ["--tokenizer",
                                os.path.join(REFUSED, "wordpiece.json"),
                                RECORDS])
        assert rc == 2 and b"WordPiece" in err, (cmd, rc, err)


@case
def stats_and_filter_agree_with_annotate():
    path = all_fixtures()
    vals = {f: [] for f in TOKEN_FIELDS}
    recs = []
    for k, cot in enumerate(profiles(path, ["--tokenizer", TINY])):
        for p in cot or []:
            for f in TOKEN_FIELDS:
                vals[f].append(field(p, f))
        if cot:
            recs.append((k, cot))
    out, _ = ok(["stats", "--json", "--tokenizer", TINY, "--fields",
                 ",".join(TOKEN_FIELDS), path])
    got = json.loads(out)["fields"]
    for f in TOKEN_FIELDS:
        present = [v for v in vals[f] if v is not None]
        assert got[f]["count"] == len(present), (f, got[f], len(present))
        if present:
            assert got[f]["max"] == max(present), (f, got[f])
            assert got[f]["min"] == min(present), (f, got[f])
    assert got["think.tokens"]["count"] >= 200
    present = sorted(v for v in vals["think.tokens"])
    n = present[len(present) // 2]
    out, _ = run(["filter", "--per-trace", "--key", "__t__", "--where",
                  "think.tokens > %d" % n, "--tokenizer", TINY, path])[1:]
    kept = len(out.splitlines())
    assert kept == sum(v > n for v in present) > 0, (kept, n)


# ---- loading: files, folders, the Hugging Face cache, refusals -------------

HF_VARS = ("HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME", "HOME")
COMMIT_A = "a" * 40
COMMIT_B = "b" * 40


def hub(root, model, snapshots, ref_main=None):
    """A fake cache folder root holding model (OWNER/NAME) with a
    tokenizer.json (tiny.json's bytes) in each snapshot: as
    huggingface_hub writes it, a relative link into blobs/."""
    repo = os.path.join(root, "models--" + model.replace("/", "--"))
    os.makedirs(os.path.join(repo, "blobs"), exist_ok=True)
    with open(os.path.join(repo, "blobs", "0123abcd"), "wb") as f:
        f.write(open(TINY, "rb").read())
    for s in snapshots:
        d = os.path.join(repo, "snapshots", s)
        os.makedirs(d, exist_ok=True)
        link = os.path.join(d, "tokenizer.json")
        if not os.path.lexists(link):
            os.symlink(os.path.join("..", "..", "blobs", "0123abcd"), link)
    if ref_main:
        os.makedirs(os.path.join(repo, "refs"), exist_ok=True)
        with open(os.path.join(repo, "refs", "main"), "w") as f:
            f.write(ref_main)
    return repo


def env_only(**kw):
    e = {k: "" for k in HF_VARS}
    e["HOME"] = os.path.join(TMP, "nohome")
    e.update(kw)
    return e


def load_stats(model, env, cwd=None):
    """annotate --stats --tokenizer model: (status, path loaded, stderr)."""
    rc, out, err = run(["annotate", "--stats", "--tokenizer", model,
                        RECORDS], env=env, cwd=cwd)
    path = None
    for line in err.decode().splitlines():
        if line.startswith("tokenizer "):
            path = line[len("tokenizer "):line.rfind(", loaded in ")]
    return rc, path, err


@case
def model_id_from_each_cache_variable():
    base = os.path.join(TMP, "hf")
    cases = [("HF_HUB_CACHE", os.path.join(base, "c1"),
              os.path.join(base, "c1")),
             ("HF_HOME", os.path.join(base, "c2"),
              os.path.join(base, "c2", "hub")),
             ("XDG_CACHE_HOME", os.path.join(base, "c3"),
              os.path.join(base, "c3", "huggingface", "hub")),
             ("HOME", os.path.join(base, "c4"),
              os.path.join(base, "c4", ".cache", "huggingface", "hub"))]
    for var, value, cache in cases:
        repo = hub(cache, "Owner/tiny-1.0", [COMMIT_A], COMMIT_A + "\n")
        rc, path, err = load_stats("Owner/tiny-1.0",
                                   env_only(**{var: value}), cwd=TMP)
        assert rc == 0, (var, err)
        assert path == os.path.join(repo, "snapshots", COMMIT_A,
                                    "tokenizer.json"), (var, path)
    # HF_HUB_CACHE comes first, then HF_HOME, then XDG_CACHE_HOME
    e = env_only(HF_HUB_CACHE=cases[0][1], HF_HOME=cases[1][1],
                 XDG_CACHE_HOME=cases[2][1])
    assert load_stats("Owner/tiny-1.0", e, cwd=TMP)[1].startswith(
        cases[0][2] + "/")
    e["HF_HUB_CACHE"] = ""
    assert load_stats("Owner/tiny-1.0", e, cwd=TMP)[1].startswith(
        cases[1][2] + "/")
    # a model id without owner
    hub(cases[0][2], "solo", [COMMIT_A], COMMIT_A)
    rc, path, err = load_stats("solo", env_only(HF_HUB_CACHE=cases[0][1]),
                               cwd=TMP)
    assert rc == 0 and path.endswith("models--solo/snapshots/%s/"
                                     "tokenizer.json" % COMMIT_A), err


@case
def model_id_snapshots_and_refs():
    cache = os.path.join(TMP, "hf-snap")
    e = env_only(HF_HUB_CACHE=cache)
    # refs/main chooses among two snapshots
    repo = hub(cache, "o/two-ref", [COMMIT_A, COMMIT_B], COMMIT_B)
    rc, path, err = load_stats("o/two-ref", e, cwd=TMP)
    assert rc == 0 and path == os.path.join(
        repo, "snapshots", COMMIT_B, "tokenizer.json"), (path, err)
    # no refs/main, one snapshot: that one
    repo = hub(cache, "o/one", [COMMIT_A])
    rc, path, err = load_stats("o/one", e, cwd=TMP)
    assert rc == 0 and COMMIT_A in path, err
    # no refs/main, two snapshots: an error
    hub(cache, "o/two", [COMMIT_A, COMMIT_B])
    rc, path, err = load_stats("o/two", e, cwd=TMP)
    assert rc == 2 and b"several snapshots" in err, (rc, err)
    # a snapshot whose link dangles does not count
    repo = hub(cache, "o/dangling", [COMMIT_A])
    os.makedirs(os.path.join(repo, "snapshots", COMMIT_B))
    os.symlink(os.path.join("..", "..", "blobs", "gone"), os.path.join(
        repo, "snapshots", COMMIT_B, "tokenizer.json"))
    rc, path, err = load_stats("o/dangling", e, cwd=TMP)
    assert rc == 0 and COMMIT_A in path, (rc, err)
    # a missing model: exit 2, the message names the cache folder
    rc, _, err = load_stats("o/missing", e, cwd=TMP)
    assert rc == 2, rc
    assert cache.encode() in err and b"o/missing" in err, err
    rc, _, err = run(["tokens", "--tokenizer", "o/missing", "--lines"],
                     stdin=b"a\n", env=e, cwd=TMP)
    assert rc == 2 and cache.encode() in err, (rc, err)


@case
def folder_and_file_paths():
    d = os.path.join(TMP, "folder")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "tokenizer.json"), "wb") as f:
        f.write(open(TINY, "rb").read())
    want = count(TINY, "Hello world, the answer")
    for name in (d, d + "/", os.path.join(d, "tokenizer.json")):
        rc, out, err = run(["tokens", "--tokenizer", name, "--lines"],
                           stdin=b"Hello world, the answer\n")
        assert rc == 0 and out == b"%d\n" % want, (name, rc, err)
    # a folder without tokenizer.json, a missing file
    empty = os.path.join(TMP, "empty-folder")
    os.makedirs(empty, exist_ok=True)
    for name in (empty, os.path.join(TMP, "nope", "tokenizer.json"),
                 os.path.join(TMP, "nope.json")):
        for cmd in (["annotate", RECORDS], ["tokens", "--lines"]):
            rc, _, err = run(cmd + ["--tokenizer", name], stdin=b"a\n",
                             env=env_only(HF_HUB_CACHE=TMP))
            assert rc == 2 and err, (cmd, name, rc)
            assert b"tokenizer" in err or name.encode() in err, err


# file -> what the message must name
REFUSALS = {
    "wordpiece.json": "WordPiece",
    "byte-fallback.json": "byte_fallback",
    "dropout.json": "dropout",
    "subword-prefix.json": "continuing_subword_prefix",
    "lowercase.json": "Lowercase",
    "nfkc-in-sequence.json": "NFKC",
    "whitespace.json": "pre_tokenizer",
    "split-removed.json": "pre_tokenizer",
    "prefix-space.json": "pre_tokenizer",
    "regex-w.json": "\\w",
    "regex-anchor.json": "anchor",
    "lstrip.json": "lstrip",
    "single-word.json": "single_word",
    "truncation.json": "truncation",
    "merge-unknown.json": "merges[0]",
    "not-json.txt": "not-json.txt",
}


@case
def refused_tokenizers_exit_2_naming_why():
    names = sorted(os.listdir(REFUSED))
    assert sorted(REFUSALS) == names, names
    for name, why in REFUSALS.items():
        path = os.path.join(REFUSED, name)
        for cmd in (["annotate", RECORDS], ["tokens", "--lines"],
                    ["stats", RECORDS]):
            rc, out, err = run(cmd[:1] + ["--tokenizer", path] + cmd[1:],
                               stdin=b"a\n")
            assert rc == 2, (name, cmd, rc, err)
            assert why.encode() in err, (name, cmd, err)
            assert out == b"", (name, out[:200])


@case
def tokens_usage_errors():
    rc, _, err = run(["tokens", "--lines"], stdin=b"a\n")
    assert rc == 2 and b"--tokenizer" in err, (rc, err)
    rc, _, err = run(["tokens", "--tokenizer", TINY, "--lines", "--text"],
                     stdin=b"a\n")
    assert rc == 2, (rc, err)
    rc, _, err = run(["tokens", "--tokenizer", TINY, "--text",
                      os.path.join(TMP, "no-such-file")])
    assert rc == 2 and b"no-such-file" in err, (rc, err)


if __name__ == "__main__":
    main()
