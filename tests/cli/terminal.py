"""terminal.py - what no command may write to a terminal from the data:
the escapes a record, a file name or a pattern file may carry, and the
check that output holds none of them, and inputs full of them in a
folder evil/ below tmp (test_output.py, test_show.py)."""
import json
import os
import re

# what cotlog show writes itself: SGR sequences of these forms
OWN_SGR = re.compile(rb"\x1b\[(?:0|1|2|1;3[1-7]|1;4;35)m")
# escape sequences a record, a file name or a pattern file may carry:
# retitle the terminal, clear it, colour it, C1 CSI and NEL, DEL
EVIL = "\x1b]0;PWNED\x07\x1b[2J\x1b[31m\u009b2J\u0085\x7f\x08"


def assert_terminal_safe(data, what):
    """No C0/C1 control but LF, TAB and cotlog's own SGR; valid UTF-8."""
    rest = OWN_SGR.sub(b"", data)
    bad = [(i, c) for i, c in enumerate(rest)
           if (c < 0x20 and c not in b"\n\t") or c == 0x7f]
    assert not bad, (what, bad[:5], rest[max(0, bad[0][0] - 40):
                                         bad[0][0] + 40])
    text = rest.decode("utf-8")     # raises on a byte that is not UTF-8
    c1 = [c for c in text if 0x80 <= ord(c) <= 0x9f]
    assert not c1, (what, c1)


def evil_inputs(tmp):
    """A record whose every shown string holds escapes (the reference
    and a loop's period too), in a file whose name holds them (and a
    byte that is not UTF-8), and a pattern file (also so named) whose
    regex does."""
    d = os.path.join(tmp, "evil")
    os.makedirs(d, exist_ok=True)
    period = "Hmm" + EVIL + " let me check the value of 4 again now. "
    rec = {"model": "m" + EVIL, "status": "done" + EVIL,
           "reference": "4" + EVIL,
           "choices": [{"finish_reason": "stop" + EVIL, "message": {
               "reasoning_content": "Wait" + EVIL + " wait, so 4.\n\n"
                                    "Hmm" + EVIL + "\n\n" + period * 12 +
                                    "\n\nDone.",
               "content": "It is " + EVIL + " \\boxed{4" + EVIL + "}"}}]}
    name = os.fsdecode(b"evil\x1b]0;T\x07\x1b[2J\x9b.jsonl")
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write('{"x": NaN}\n' + json.dumps(rec) + "\n")
    pats = os.path.join(d, os.fsdecode(b"pats\x1b[2J\x9b.txt"))
    with open(pats, "wb") as f:
        f.write(b"evil_wait  evilfam  (?:wait)\x1b\\[2J\x07\n")
    return path, pats
