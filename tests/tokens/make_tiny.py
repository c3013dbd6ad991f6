#!/usr/bin/env python3
"""make_tiny.py - write our own small byte-level BPE tokenizers (no
model's file is copied into the repository): tests/data/tokens/tiny.json
and tiny-ignore.json, valid Hugging Face tokenizer.json files whose
merges a small deterministic BPE trainer learns here over TRAINING, a
text written for this script.

  tiny.json         normalizer NFC; pre_tokenizer Sequence [Split(SPLIT,
                    Isolated), ByteLevel]; added tokens <think>, </think>
                    (special), <|tool|> (not special, normalized) and
                    "Cafe" + U+0301 (not special, normalized: matched on
                    the NFC text, where it reads "Caf\u00e9").
  tiny-ignore.json  no normalizer; ignore_merges; pre_tokenizer Sequence
                    [Split([0-9]), Split(SPLIT), ByteLevel]; the same
                    added tokens but <|tool|> not normalized; and whole
                    words in the vocab that no merge makes (EXTRA_WORDS),
                    which only ignore_merges gives as one token.
  records.jsonl     a few records whose texts the CLI tests read
                    directly (RECORDS).

SPLIT uses explicit ASCII classes only, so that Python's re (tiny_ref.py),
PCRE2 (the library) and Oniguruma (the Rust crate) match alike; none of
its alternatives matches the empty string.

Usage: make_tiny.py [OUTDIR]   (default: tests/data/tokens next to here)
Deterministic: running it again writes the same bytes."""
import json
import os
import random
import re
import sys

SPLIT = (r"'(?:[sdmtSDMT]|ll|LL|ve|VE|re|RE)| ?[A-Za-z]+| ?[0-9]{1,3}"
         r"| ?[^ \t\r\nA-Za-z0-9]+[\r\n]*|[ \t]*[\r\n]+"
         r"|[ \t]+(?![^ \t\r\n])|[ \t]+")
DIGITS = r"[0-9]"
MERGES = 700
EXTRA_WORDS = ["\u0120tokenizer", "\u0120reasoning", "\u0120hypothesis",
               "Wait", "\u0120therefore", "answer", "\u0120Alternatively",
               "\u0120verify", "\u0120\u00c3\u00a9t\u00c3\u00a9",
               "1234", "!!!", "\u0120\u0120\u0120\u0120"]

TRAINING = """\
Reasoning traces are long. A model thinks before it answers: it writes
<think> and then its reasoning, step by step, and closes it with </think>
before the final answer. Wait, let me check that again. So the answer is
42, because 6 times 7 is 42. Let's verify: 6 * 7 = 42. Yes, that's right.
Alternatively, we could count the tokens of the reasoning and of the
answer, and compare them with the words. The tokenizer splits the text
into pre-tokens, maps every byte to a character, and merges pairs of
symbols by rank until no merge applies. Hmm, but what about numbers like
3.14159 or 1,000,000? They're split into runs of at most three digits.
I think the answer is \\boxed{12}. But wait - maybe I made a mistake in
step 3. Let me re-check step 3: x = (b + c) / 2, so x = 5. Therefore the
answer is 5, not 12. Actually, hold on. We've already verified it twice.
We'll stop here; the final answer is 5.

The café served crème brûlée and a naïve piñata; über-fast Zürich trams,
São Paulo, Ångström, façade, déjà vu, smörgåsbord, Øresund, Æsir.
Straße, Größe, müssen, Übung, à la carte, résumé, coöperate, élève.
数学问题需要一步一步地推理。我们先计算，然后检查答案。答案是五。
수학 문제를 단계별로 풀어 봅시다. 답은 다섯입니다. 확인해 보겠습니다.
Переведём: ответ равен пяти. Ελληνικά: η απάντηση είναι πέντε.
Emoji: 😀 😁 😂 🤔 👍 🎉 ✅ ❌ ➡️ — and “quotes”, ‘single’, «guillemets».
Math: ∑ ∫ √ ≤ ≥ ≠ ∞ π α β γ δ ε → ⇒ ∀ ∃ ∈ ∉ ⊂ ∪ ∩ ½ ¼ ¾ ² ³ ° ± × ÷.
Code: def f(x): return x ** 2  # square it
    if (a && b) { return c; } else { return -1; }
\tTabs\tand  double  spaces,   three   spaces; CR LF line ends\r
end here.\r
<|tool|> call: {"name": "calc", "arguments": {"x": 5}} <|tool|>
"""

WORDS = ("the a an of to and in is it that this we be for on with as was "
         "answer reasoning step check wait so therefore let me think verify "
         "number token tokens model text count first second third final "
         "correct wrong maybe hmm okay right because then if not but or "
         "sum product equal equals value values solve solution problem "
         "triangle circle square root prime factor divide multiply add "
         "subtract minus plus half double twice again approach method "
         "compute computed computing result results assume assuming case "
         "cases both each every other another same different").split()


def training_text():
    """TRAINING, then sentences of WORDS from a fixed seed (so that the
    trainer finds enough frequent pairs for MERGES merges)."""
    rnd = random.Random(7)
    out = [TRAINING]
    for _ in range(900):
        n = rnd.randint(4, 14)
        s = " ".join(rnd.choice(WORDS) for _ in range(n))
        if rnd.random() < 0.3:
            s = s[0].upper() + s[1:]
        if rnd.random() < 0.3:
            s += " " + str(rnd.randint(0, 99999))
        out.append(s + rnd.choice([".", ",", "?", "!", ":", ";"]) +
                   rnd.choice([" ", "\n", "  ", "\n\n"]))
    return "".join(out)


def bytes_to_unicode():
    """GPT-2's byte-level alphabet: byte -> character."""
    bs = (list(range(ord("!"), ord("~") + 1)) +
          list(range(ord("\u00a1"), ord("\u00ac") + 1)) +
          list(range(ord("\u00ae"), ord("\u00ff") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def train(text, splits, nmerges):
    """Byte-level BPE training: the pre-tokens of text (each Split regex
    in turn, Isolated), as byte characters; then nmerges times the most
    frequent adjacent pair (ties: the smallest pair as strings) is
    merged everywhere. Returns (alphabet in byte order, merges)."""
    b2u = bytes_to_unicode()
    pieces = [text]
    for rx in splits:
        nxt = []
        for p in pieces:
            at = 0
            for m in re.finditer(rx, p):
                nxt += [p[at:m.start()], m.group()]
                at = m.end()
            nxt.append(p[at:])
        pieces = [p for p in nxt if p]
    freq = {}
    for p in pieces:
        w = tuple(b2u[b] for b in p.encode("utf-8"))
        freq[w] = freq.get(w, 0) + 1
    words = [[list(w), c] for w, c in sorted(freq.items())]
    merges = []
    for _ in range(nmerges):
        pairs = {}
        for w, c in words:
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + c
        if not pairs:
            break
        best = min(pairs, key=lambda k: (-pairs[k], k))
        if pairs[best] < 2:
            break
        merges.append(best)
        a, b = best
        for wc in words:
            w, out, i = wc[0], [], 0
            while i < len(w):
                if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            wc[0] = out
    return [b2u[b] for b in range(256)], merges


def split(regex):
    return {"type": "Split", "pattern": {"Regex": regex},
            "behavior": "Isolated", "invert": False}


def added(i, content, special, normalized):
    return {"id": i, "content": content, "single_word": False,
            "lstrip": False, "rstrip": False, "normalized": normalized,
            "special": special}


def tokenizer(splits, nfc, ignore_merges, tool_normalized, extra):
    alphabet, merges = train(training_text(), splits, MERGES)
    vocab = {}
    for t in alphabet + [a + b for a, b in merges] + extra:
        vocab.setdefault(t, len(vocab))
    n = len(vocab)
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            added(n, "<think>", True, False),
            added(n + 1, "</think>", True, False),
            added(n + 2, "<|tool|>", False, tool_normalized),
            added(n + 3, "Cafe\u0301", False, True),
        ],
        "normalizer": {"type": "NFC"} if nfc else None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            split(r) for r in splits] + [
            {"type": "ByteLevel", "add_prefix_space": False,
             "trim_offsets": True, "use_regex": False}]},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": False,
                    "trim_offsets": True, "use_regex": False},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False,
                  "byte_fallback": False, "ignore_merges": ignore_merges,
                  "vocab": vocab,
                  "merges": [a + " " + b for a, b in merges]},
    }


def write(path, obj):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


# Records whose texts tests/cli/test_tokens.py reads directly (the
# reasoning between <think> and </think> of "response", the text before
# it a logged prompt): a preamble, the reference answer stated in the
# reasoning or only in the final answer, a loop, thought switches,
# non-ASCII text, added tokens inside the reasoning, CRLF and tabs.
RECORDS = [
    {"question": "6*7?", "gt": "42", "response":
     "User: What is 6 times 7?\nAssistant: <think>\nWe multiply. 6 times 7 "
     "is 42, so the answer is 42.\n\nWait, let me double-check: 7 times 6 "
     "is 42. Yes.\n\nAlternatively, 6+6+6+6+6+6+6 = 42.\n</think>\n\n"
     "The answer is \\boxed{42}."},
    {"question": "letters", "gt": "4", "response":
     "<think>\nCount the letters of caf\u00e9: c, a, f, \u00e9.\n\nThat "
     "makes four. Hmm, <|tool|> is not needed.\n</think>\nThe answer is "
     "\\boxed{4}."},
    {"question": "loop", "response": "<think>\nHmm. " +
     "Let me check again, \u00e9t\u00e9 <|tool|>. " * 14},
    {"question": "scripts", "gt": "42", "response":
     "System: answer in any language.\r\n<think>\n\u6570\u5b66\uff1a"
     "6\u00d77=42\u3002\n\nWait, \ud55c\uad6d\uc5b4\ub85c: "
     "\ub2f5\uc740 42\uc785\ub2c8\ub2e4 \U0001f600.\n\n"
     "Alternatively,\tCafe\u0301 e\u0301te\u0301 \u212b \ufb01.\r\n"
     "\r\nBut wait, the answer is 42.\n</think>\nso \\boxed{42}"},
    {"question": "wrong", "gt": "7", "response":
     "Prompt:\t<think>\n1 + 5 = 6, so the answer is 6.\n</think>\n"
     "\\boxed{6}"},
]


def write_records(path):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in RECORDS:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = (sys.argv[1] if len(sys.argv) > 1 else
           os.path.join(here, "..", "data", "tokens"))
    os.makedirs(out, exist_ok=True)
    tiny = tokenizer([SPLIT], True, False, True, EXTRA_WORDS)
    write(os.path.join(out, "tiny.json"), tiny)
    write(os.path.join(out, "tiny-ignore.json"),
          tokenizer([DIGITS, SPLIT], False, True, False, EXTRA_WORDS))
    write_records(os.path.join(out, "records.jsonl"))
    print(f"{len(tiny['model']['merges'])} merges, "
          f"{len(tiny['model']['vocab'])} vocab", file=sys.stderr)


if __name__ == "__main__":
    main()
