"""terminal.py - what no command may write to a terminal from the data:
the escapes a record, a file name or a pattern file may carry, and the
check that output holds none of them (test_output.py, test_show.py)."""
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
