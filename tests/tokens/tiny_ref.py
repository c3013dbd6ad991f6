#!/usr/bin/env python3
"""tiny_ref.py - an independent reference for the token ids of the
tokenizer.json files tests/tokens/make_tiny.py writes (and of any
byte-level BPE of that kind), in plain Python, sharing nothing with the
C code (lib/text/tokenizer.c). It does what Hugging Face `tokenizers`
does when it encodes without special tokens:

  1. bytes that are not UTF-8: U+FFFD per maximal ill-formed subpart
     (bytes.decode("utf-8", "replace"));
  2. the added tokens that are not normalized, leftmost-longest on the
     raw text (added_vocabulary.rs);
  3. each piece between them: the normalizer (NFC by unicodedata: keep
     the texts to characters assigned in Unicode 9.0, whose NFC is the
     same in Python's newer tables), then the normalized added tokens
     (their contents normalized too), leftmost-longest;
  4. each piece between those: every Split regex in turn (Python re;
     Isolated: matches and the gaps between them, empty ones dropped);
  5. each pre-token: its UTF-8 bytes as GPT-2's byte characters; with
     ignore_merges a pre-token in the vocab is one token; else BPE: the
     adjacent pair of lowest merge rank is merged, leftmost on ties,
     until none has a rank (word.rs merge_all gives the same).

Usage as a module: Ref(path).encode(text or bytes) -> list of ids.
As a program: tiny_ref.py TOKENIZER.json [--text FILE... | --lines FILE]
prints ids space-separated (one line per text)."""
import json
import re
import sys
import unicodedata


def byte_chars():
    """GPT-2's byte-level alphabet: byte value -> character."""
    keep = (list(range(0x21, 0x7f)) + list(range(0xa1, 0xad)) +
            list(range(0xae, 0x100)))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


BYTE_CHARS = byte_chars()


class Ref:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        model = d["model"]
        assert model["type"] == "BPE"
        self.vocab = model["vocab"]
        self.ignore_merges = bool(model.get("ignore_merges"))
        self.rank = {}
        for i, m in enumerate(model["merges"]):
            a, b = m.split(" ") if isinstance(m, str) else m
            self.rank.setdefault((a, b), i)
        norm = d.get("normalizer")
        self.nfc = False
        if norm:
            kinds = ([n["type"] for n in norm["normalizers"]]
                     if norm["type"] == "Sequence" else [norm["type"]])
            assert set(kinds) <= {"NFC"}, kinds
            self.nfc = "NFC" in kinds
        pre = d["pre_tokenizer"]
        steps = (pre["pretokenizers"] if pre["type"] == "Sequence"
                 else [pre])
        self.splits = []
        for s in steps:
            if s["type"] == "Split":
                assert s["behavior"] == "Isolated" and not s["invert"]
                self.splits.append(re.compile(s["pattern"]["Regex"]))
            else:
                assert s["type"] == "ByteLevel" and not s["use_regex"]
        self.memo = {}      # pre-token -> ids (as the crate's cache)
        self.raw_added, self.norm_added = {}, {}
        for a in d.get("added_tokens") or []:
            content = a["content"]
            # the crate gives a content the model knows the model's id
            tid = self.vocab.get(content, a["id"])
            if a.get("normalized"):
                self.norm_added[self.normalize(content)] = tid
            else:
                self.raw_added[content] = tid

    def normalize(self, s):
        return unicodedata.normalize("NFC", s) if self.nfc else s

    @staticmethod
    def cut(s, tokens):
        """s cut at the added tokens (a dict content -> id), leftmost
        then longest: a list of str (text) and int (an added id)."""
        out, at, i = [], 0, 0
        while i < len(s):
            best = None
            for t in tokens:
                if s.startswith(t, i) and (best is None or
                                           len(t) > len(best)):
                    best = t
            if best is None:
                i += 1
                continue
            out += [s[at:i], tokens[best]]
            i = at = i + len(best)
        out.append(s[at:])
        return [p for p in out if p != ""]

    def pretokens(self, s):
        pieces = [s]
        for rx in self.splits:
            nxt = []
            for p in pieces:
                at = 0
                for m in rx.finditer(p):
                    nxt += [p[at:m.start()], m.group()]
                    at = m.end()
                nxt.append(p[at:])
            pieces = [p for p in nxt if p]
        return pieces

    def bpe(self, word):
        if word not in self.memo:
            self.memo[word] = self.merge(word)
        return self.memo[word]

    def merge(self, word):
        if self.ignore_merges and word in self.vocab:
            return [self.vocab[word]]
        syms = [c for c in word if c in self.vocab]
        while len(syms) > 1:
            best = None
            for i in range(len(syms) - 1):
                r = self.rank.get((syms[i], syms[i + 1]))
                if r is not None and (best is None or r < best[0]):
                    best = (r, i)
            if best is None:
                break
            i = best[1]
            syms[i:i + 2] = [syms[i] + syms[i + 1]]
        return [self.vocab[s] for s in syms]

    def encode(self, text):
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        ids = []
        for p in self.cut(text, self.raw_added):
            if isinstance(p, int):
                ids.append(p)
                continue
            for q in self.cut(self.normalize(p), self.norm_added):
                if isinstance(q, int):
                    ids.append(q)
                    continue
                for w in self.pretokens(q):
                    ids += self.bpe("".join(BYTE_CHARS[b]
                                            for b in w.encode("utf-8")))
        return ids


def main():
    ref = Ref(sys.argv[1])
    if len(sys.argv) > 3 and sys.argv[2] == "--lines":
        with open(sys.argv[3], "rb") as f:
            data = f.read()
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        texts = [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]
    else:
        files = sys.argv[3:] if sys.argv[2:3] == ["--text"] else sys.argv[2:]
        texts = []
        for path in files:
            with open(path, "rb") as f:
                texts.append(f.read())
    for t in texts:
        print(" ".join(map(str, ref.encode(t))))


if __name__ == "__main__":
    main()
