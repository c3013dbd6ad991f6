#!/usr/bin/env python3
"""test_tokens.py - the token ids of libcotlog's tokenizer
(lib/text/tokenizer.c, through tok_ids) against those of Hugging Face
`tokenizers` (reference.js), line by line, for four tokenizer.json
files: on every long text of the corpus, and on generated hostile texts
(a fixed seed). TAP; a case skips, with the reason, when the corpus,
node, npm or the network (for the first `npm ci`) is missing.

Usage: test_tokens.py TOK_IDS SRCDIR/tests/tokens
Environment: COTLOG_CORPUS, COTLOG_TOKENS_CACHE (the npm install; by
default ~/.cache/cotlog/tokens, see setup.default_cache), COTLOG_TOKENS_GENERATED (how many texts to generate, 12000),
COTLOG_TOKENS_CORPUS_EVERY (compare every Nth corpus text, 1).
"""
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unicodedata

TOK_IDS = os.path.abspath(sys.argv[1])
HERE = os.path.abspath(sys.argv[2])
sys.path.insert(0, HERE)
import setup  # noqa: E402

CORPUS = os.environ.get("COTLOG_CORPUS", "")
CACHE = setup.default_cache()
GENERATED = int(os.environ.get("COTLOG_TOKENS_GENERATED", "12000"))
# every Nth corpus text (the sanitizer and scalar builds: the full set
# runs in the default build)
CORPUS_EVERY = int(os.environ.get("COTLOG_TOKENS_CORPUS_EVERY", "1"))
TMP = tempfile.mkdtemp(prefix="cotlog-tokens-")
MIN_CORPUS_TEXT = 32       # shorter strings are ids, roles, names

state = {}


def js_string(s):
    """s as a JS string hands it to Rust: a lone surrogate (JSON may
    escape one) becomes U+FFFD."""
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le",
                                                        "replace")


def line_of(item):
    """The JSON line of a text (str) or of raw bytes: "text" for both
    sides, and for bytes also "hex", which tok_ids reads instead (JSON
    cannot carry ill-formed UTF-8). Python's errors="replace" is the
    maximal-subpart rule of the JS decoder and of the tokenizer."""
    if isinstance(item, bytes):
        return json.dumps({"text": item.decode("utf-8", "replace"),
                           "hex": item.hex()})
    return json.dumps({"text": js_string(item)})


def corpus_texts():
    """Every distinct string of MIN_CORPUS_TEXT characters or more in a
    corpus record (reasoning, answers, prompts, and what else is long),
    in file order."""
    seen = set()
    out = []

    def walk(v):
        if isinstance(v, str):
            if len(v) >= MIN_CORPUS_TEXT and v not in seen:
                seen.add(v)
                out.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for path in sorted(glob.glob(os.path.join(CORPUS, "**", "*.jsonl"),
                                 recursive=True)):
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            for line in f:
                try:
                    walk(json.loads(line))
                except ValueError:
                    continue
    return out


# ---- generated texts ---------------------------------------------------

def by_category():
    """Code points of every general category (Python's Unicode data);
    surrogates (Cs) are left to the invalid bytes."""
    cats = {}
    for cp in range(0x110000):
        c = unicodedata.category(chr(cp))
        if c != "Cs":
            cats.setdefault(c, []).append(cp)
    return cats


SPACES = ["\u00a0", "\u180e", "\u0085", "\ufeff", "\u2028", "\u2029",
          "\u3000", "\u202f", "\u205f", "\u1680", "\u2000", "\u200a",
          "\u200b", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", " ", "  ",
          "\u001c", "\u001f"]
WORDS = ["the", "The", "THE", "don't", "DON'T", "I'm", "we'll", "they've",
         "It's", "you'RE", "'S", "'ll", "'LL", "'d", "\u017fs", "'\u017f",
         "'\u212a", "'\ufb06", "hello", "world", "Wait", "wait,", "So",
         "x=", "f(x)", "\\frac{1}{2}", "$$", "**", "```", "-->", "...",
         "\u2014", "\u00e9t\u00e9", "e\u0301", "A\u030a", "\u212b",
         "\u1100\u1161\u11a8", "\uac00", "\u0915\u094d\u0937",
         "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627",
         "\u041f\u0440\u0438\u0432\u0435\u0442", "\u03b1\u03b2\u03b3",
         "\u4f60\u597d", "\u3053\u3093\u306b\u3061\u306f",
         "\u30ab\u30bf\u30ab\u30ca", "\u4e00\u9fa5\u9fa6\u3040\u309f\u30ff",
         "\U0001f600", "\U0001f468\u200d\U0001f469\u200d\U0001f467",
         "\ufffd", "\x00", "\x7f", "0", "12", "123", "1234", "12345",
         "\u0661\u0662\u0663", "\uff11\uff12", "\u00bd", "\u2460",
         "3.14159", "1,000,000", "<", ">", "<|", "|>", "<\uff5c", "\uff5c>",
         "<think>", "</think>", "\u2581"]
BAD = [b"\x80", b"\xbf", b"\xc0\xaf", b"\xc2", b"\xe0\x80\x80",
       b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf0\x9f", b"\xf0\x9f\x98",
       b"\xf4\x90\x80\x80", b"\xf5", b"\xff", b"\xfe\xfe", b"\xe2\x82",
       b"\xc3\x28", b"\xe6\x97\xa5\xe6"]


def added_contents():
    """The contents of the added tokens of the four tokenizers."""
    out = set()
    for name in setup.TOKENIZERS:
        d = json.load(open(setup.tokenizer_path(state["modules"], name)))
        out.update(a["content"] for a in d["added_tokens"])
    return sorted(out)


def generated():
    """GENERATED texts, str or bytes (those with ill-formed UTF-8),
    from a fixed seed: words, spaces and added tokens glued together,
    characters of every category, runs of one script, digits, repeats."""
    rnd = random.Random(20240611)
    cats = by_category()
    names = sorted(cats)
    added = added_contents()

    def char(cat=None):
        return chr(rnd.choice(cats[cat or rnd.choice(names)]))

    def frag():
        k = rnd.randrange(14)
        if k == 0:
            return "".join(char() for _ in range(rnd.randint(1, 8)))
        if k == 1:
            return rnd.choice(added)
        if k == 2:      # a token cut short, or glued to a word
            a = rnd.choice(added)
            return a[:rnd.randint(1, len(a))] + rnd.choice(WORDS)
        if k == 3:
            return "".join(rnd.choice(SPACES)
                           for _ in range(rnd.randint(1, 6)))
        if k == 4:      # CJK, kana, Hangul runs
            lo, hi = rnd.choice([(0x4e00, 0x9fff), (0x3040, 0x30ff),
                                 (0xac00, 0xd7a3), (0x3400, 0x4dbf),
                                 (0x20000, 0x2a6df)])
            return "".join(chr(rnd.randint(lo, hi))
                           for _ in range(rnd.randint(1, 30)))
        if k == 5:      # digit runs, any Nd
            d = rnd.choice(["0123456789", "".join(chr(c) for c in
                                                  cats["Nd"][:200])])
            return "".join(rnd.choice(d) for _ in range(rnd.randint(1, 40)))
        if k == 6:      # long repeats
            return rnd.choice(WORDS + SPACES + ["a", "!", "ab", "\u00e9",
                                               "\u4e00", "=", "-"]) * \
                rnd.choice([10, 100, 1000, 3000])
        if k == 7:      # marks after letters: NFC's work
            return char("L" + rnd.choice("ult")) + "".join(
                char(rnd.choice(["Mn", "Mc", "Me"]))
                for _ in range(rnd.randint(1, 3)))
        if k == 8:
            return rnd.choice(BAD)
        if k == 9:      # mixed scripts in one word
            return "".join(char(rnd.choice(["Lu", "Ll", "Lo", "Lm", "Lt",
                                            "Mn", "Nd", "No", "Nl"]))
                           for _ in range(rnd.randint(2, 10)))
        if k == 10:
            return char(rnd.choice(["Pc", "Pd", "Ps", "Pe", "Pi", "Pf",
                                    "Po", "Sm", "Sc", "Sk", "So"]))
        return rnd.choice(WORDS)

    out = []
    for _ in range(GENERATED):
        parts = [frag() for _ in range(rnd.randint(1, 12))]
        joins = [rnd.choice(["", " ", "", "\n"]) for _ in parts]
        if any(isinstance(p, bytes) for p in parts):
            out.append(b"".join((j.encode() + p) if isinstance(p, bytes)
                                else (j + p).encode("utf-8")
                                for j, p in zip(joins, parts)))
        else:
            out.append("".join(j + p for j, p in zip(joins, parts)))
    return out


# ---- comparing ----------------------------------------------------------

def compare(name, texts, label):
    """Run both sides on texts; raise on any difference, reporting the
    count and the first mismatches."""
    path = os.path.join(TMP, "%s-%s.jsonl" % (label, name))
    with open(path, "w") as f:
        for t in texts:
            f.write(line_of(t) + "\n")
    tok = setup.tokenizer_path(state["modules"], name)
    with open(path, "rb") as f:
        ours = subprocess.run([TOK_IDS, tok], stdin=f, capture_output=True,
                              timeout=3000)
    if ours.returncode != 0:
        raise AssertionError("tok_ids: " + ours.stderr.decode()[-500:])
    with open(path, "rb") as f:
        ref = subprocess.run(["node", os.path.join(HERE, "reference.js"),
                              state["modules"], tok], stdin=f,
                             capture_output=True, timeout=3000)
    if ref.returncode != 0:
        raise AssertionError("reference.js: " + ref.stderr.decode()[-500:])
    a = ours.stdout.decode().splitlines()
    b = ref.stdout.decode().splitlines()
    if len(a) != len(texts) or len(b) != len(texts):
        raise AssertionError("lines: %d texts, tok_ids %d, reference %d"
                             % (len(texts), len(a), len(b)))
    bad = [i for i in range(len(texts)) if a[i] != b[i]]
    print("# %s %s: %d texts compared, %d mismatches"
          % (name, label, len(texts), len(bad)))
    for i in bad[:5]:
        x, y = json.loads(a[i]), json.loads(b[i])
        k = next((j for j in range(min(len(x), len(y))) if x[j] != y[j]),
                 min(len(x), len(y)))
        print("#   text %d %s" % (i, json.dumps(line_of(texts[i]))[:300]))
        print("#     first difference at id %d: ours %s, reference %s"
              % (k, x[max(0, k - 2):k + 6], y[max(0, k - 2):k + 6]))
    if bad:
        raise AssertionError("%d of %d texts differ" % (len(bad), len(texts)))


def need_reference():
    if "modules" not in state:
        try:
            state["modules"] = setup.setup(CACHE)
        except (setup.SetupError, OSError,
                subprocess.TimeoutExpired) as e:
            state["modules"] = None
            state["why"] = str(e)
    if not state["modules"]:
        return "skip reference unavailable: " + state["why"][:200]
    if not shutil.which("node"):
        return "skip node not found"
    return None


cases = []


def reference_installed():
    return need_reference()


cases.append(reference_installed)


def on_corpus(name):
    def fn():
        skip = need_reference()
        if skip:
            return skip
        if not CORPUS or not os.path.isdir(CORPUS):
            return "skip no corpus (COTLOG_CORPUS)"
        if "corpus" not in state:
            state["corpus"] = corpus_texts()[::CORPUS_EVERY]
        compare(name, state["corpus"], "corpus")
    fn.__name__ = "corpus_" + name
    return fn


def on_generated(name):
    def fn():
        skip = need_reference()
        if skip:
            return skip
        if "generated" not in state:
            state["generated"] = generated()
        compare(name, state["generated"], "generated")
    fn.__name__ = "generated_" + name
    return fn


def refuses_what_it_cannot_do():
    """A tokenizer.json asking for a step we do not do exactly is
    refused at load, and the message names the step."""
    skip = need_reference()
    if skip:
        return skip
    base = json.load(open(setup.tokenizer_path(state["modules"],
                                               "qwen3")))
    edits = {
        "normalizer NFKC": lambda d: d.update(normalizer={"type": "NFKC"}),
        "byte_fallback": lambda d: d["model"].update(byte_fallback=True),
        "dropout": lambda d: d["model"].update(dropout=0.1),
        "model WordPiece": lambda d: d["model"].update(type="WordPiece"),
        "lstrip": lambda d: d["added_tokens"][0].update(lstrip=True),
        "pre_tokenizer": lambda d: d.update(
            pre_tokenizer={"type": "Metaspace"}),
        "escape \\h": lambda d: d["pre_tokenizer"]["pretokenizers"][0]
        ["pattern"].update(Regex="\\h+"),
        "truncation": lambda d: d.update(truncation={"max_length": 8}),
    }
    for what, edit in edits.items():
        d = json.loads(json.dumps(base))
        edit(d)
        path = os.path.join(TMP, "refused.json")
        with open(path, "w") as f:
            json.dump(d, f)
        p = subprocess.run([TOK_IDS, path], input=b'{"text": "a"}\n',
                           capture_output=True, timeout=300)
        err = p.stderr.decode()
        word = what.split()[-1]
        if p.returncode != 1 or word not in err:
            raise AssertionError("%s: exit %d, %r" % (what, p.returncode,
                                                      err))
        print("# %s: %s" % (what, err.strip()))


cases.append(refuses_what_it_cannot_do)

for _name in setup.TOKENIZERS:
    cases.append(on_corpus(_name))
    cases.append(on_generated(_name))


def main():
    print("1..%d" % len(cases))
    failed = 0
    for n, fn in enumerate(cases, 1):
        try:
            skip = fn()
        except Exception as e:      # noqa: BLE001 - report any failure
            failed += 1
            print("not ok %d - %s" % (n, fn.__name__))
            for line in str(e).splitlines()[:20]:
                print("# " + line[:500])
            continue
        if isinstance(skip, str) and skip.startswith("skip"):
            print("ok %d - %s # SKIP %s" % (n, fn.__name__, skip[5:]))
        else:
            print("ok %d - %s" % (n, fn.__name__))
        sys.stdout.flush()
    shutil.rmtree(TMP, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
