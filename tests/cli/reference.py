"""reference.py - an independent implementation of SPEC 2 and 3, in
Python, to check cotlog's output against: tag dialects, and the core
counts (bytes, chars, words, steps) and \\boxed extraction."""

WHITE_SPACE = set(
    [chr(c) for c in range(0x09, 0x0E)]
    + ["\u0020", "\u0085", "\u00a0", "\u1680"]
    + [chr(c) for c in range(0x2000, 0x200B)]
    + ["\u2028", "\u2029", "\u202f", "\u205f", "\u3000"])

# (name, open, close, answer_open, answer_close, detect_by_open_only)
DIALECTS = [
    ("think", "<think>", "</think>", "<answer>", "</answer>", False),
    ("thought", "<|begin_of_thought|>", "<|end_of_thought|>",
     "<|begin_of_solution|>", "<|end_of_solution|>", False),
    ("im_think", "<|im_start|>think", "<|im_start|>answer", None, None,
     False),
    ("mistral", "[THINK]", "[/THINK]", None, None, False),
    ("kimi", "\u25c1think\u25b7", "\u25c1/think\u25b7", None, None, False),
    ("seed", "<seed:think>", "</seed:think>", None, None, False),
    ("harmony", "<|channel|>analysis<|message|>", "<|end|>",
     "<|channel|>final<|message|>", "<|return|>", True),
]


def utf8_len(s):
    return len(s.encode("utf-8", "surrogatepass"))


def find_open(text, d, start=0):
    """Position and length of the next open marker of dialect d; <think
    may carry attributes up to '>'."""
    name, op = d[0], d[1]
    if name != "think":
        i = text.find(op, start)
        return (i, len(op)) if i >= 0 else (-1, 0)
    i = start
    while True:
        i = text.find("<think", i)
        if i < 0:
            return (-1, 0)
        nxt = text[i + 6:i + 7]
        if nxt == ">":
            return (i, 7)
        if nxt in (" ", "\t", "\n", "\r"):
            j = text.find(">", i)
            if j >= 0:
                return (i, j + 1 - i)
        i += 1


def split(text):
    """-> dict(dialect, preamble, reasoning, answer, closed, prefilled,
    blocks) or None when no marker."""
    for d in DIALECTS:
        o, olen = find_open(text, d)
        # a dialect known by its open marker only (gpt-oss) has no
        # prefilled form: its close counts only after the open
        c = -1 if d[5] else text.find(d[2])
        if o >= 0 or c >= 0:
            break
    else:
        return None
    res = {"dialect": d[0], "preamble": "", "prefilled": False}
    if c >= 0 and (o < 0 or c < o):
        res.update(reasoning=text[:c], answer=text[c + len(d[2]):],
                   closed=True, prefilled=True)
        after = c + len(d[2])
    else:
        res["preamble"] = text[:o]
        start = o + olen
        c2 = text.find(d[2], start)
        if c2 < 0:
            res.update(reasoning=text[start:], answer="", closed=False)
            after = len(text)
        else:
            res.update(reasoning=text[start:c2],
                       answer=text[c2 + len(d[2]):], closed=True)
            after = c2 + len(d[2])
    blocks = 1
    pos = after
    while True:
        o, olen = find_open(text, d, pos)
        if o < 0:
            break
        blocks += 1
        pos = o + olen
    res["blocks"] = blocks
    if d[3] is not None and d[3] in res["answer"]:
        a = res["answer"]
        s = a.find(d[3]) + len(d[3])
        e = a.find(d[4], s)
        res["answer"] = a[s:] if e < 0 else a[s:e]
    return res


def words(s):
    n, inword = 0, False
    for ch in s:
        if ch in WHITE_SPACE:
            inword = False
        elif not inword:
            n += 1
            inword = True
    return n


def steps(s):
    n, inpara = 0, False
    for line in s.split("\n"):
        if any(ch not in WHITE_SPACE for ch in line):
            if not inpara:
                n += 1
            inpara = True
        else:
            inpara = False
    return n


def boxed(s):
    """Content of the last-starting balanced \\boxed{ or \\fbox{."""
    best = None
    for cmd in ("\\boxed", "\\fbox"):
        i = 0
        while True:
            i = s.find(cmd, i)
            if i < 0:
                break
            j = i + len(cmd)
            while j < len(s) and s[j] in WHITE_SPACE:
                j += 1
            if j < len(s) and s[j] == "{":
                depth, k = 0, j
                while k < len(s):
                    if s[k] == "\\":      # a backslash takes the next char
                        k += 2
                        continue
                    if s[k] == "{":
                        depth += 1
                    elif s[k] == "}":
                        depth -= 1
                        if depth == 0:
                            break
                    k += 1
                if depth == 0 and k < len(s):
                    if best is None or i > best[0]:
                        best = (i, s[j + 1:k])
            i += 1
    return None if best is None else best[1]


def profile(reasoning, answer):
    b = boxed(answer)
    if b is None:
        b = boxed(reasoning)
    return {
        "think.bytes": utf8_len(reasoning), "think.chars": len(reasoning),
        "think.words": words(reasoning), "answer.bytes": utf8_len(answer),
        "answer.chars": len(answer), "answer.words": words(answer),
        "steps": steps(reasoning), "answer_extracted": b,
    }


def record_texts(rec, shape):
    """(reasoning, answer) of a corpus or fixture record of a shape the
    CLI tests use ("ollama", "topology", "sky"), read directly."""
    if shape == "ollama":
        if rec["thinking"]:
            return rec["thinking"], rec["content"]
        sp = split(rec["content"])
        return ("", rec["content"]) if sp is None else \
            (sp["reasoning"], sp["answer"])
    text = {"topology": lambda r: r["full_response"],
            "sky": lambda r: r["code"][0]}[shape](rec)
    sp = split(text)
    return (text, "") if sp is None else (sp["reasoning"], sp["answer"])
