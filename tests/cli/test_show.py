#!/usr/bin/env python3
"""test_show.py - end-to-end tests of `cotlog show` (TAP).

Usage: test_show.py COTLOG SRCDIR. The header (reference, verdict,
status rule, loop) against the profile `cotlog annotate` writes for the
same record; loops folded at their exact byte offsets and shown whole
with --no-fold; lines wrapped with a hanging indent; the pager on a
pseudo-terminal (called, bypassed, quitting early, waited for); show on
a pseudo-terminal and with NO_COLOR over every corpus trace; nothing
from the data reaching the terminal raw. Corpus cases skip without a
corpus; each has a twin on the fixtures of tests/data."""
import fcntl
import json
import os
import pty
import re
import shutil
import struct
import termios
import time
import unicodedata

from tap import (
    COTLOG, SAMPLE, TMP, all_files, case, corpus_case, main, read_pty, run,
    tmpfile)
from terminal import EVIL, assert_terminal_safe, evil_inputs

SGR = re.compile(rb"\x1b\[[0-9;]*m")
DOT = " \u00b7 "


def trace_count(path):
    _, _, err = run(["annotate", "--stats", path])
    return int(re.search(rb"traces (\d+)", err).group(1))


def profiles(path):
    """The profile of each trace of the first record of path."""
    rc, out, err = run(["annotate", path])
    assert rc == 0, err
    return json.loads(out.splitlines()[0])["cot"]


def on_pty(args, env=None, rows=0, cols=0):
    """Run cotlog on a pseudo-terminal (rows x cols when given); its
    exit status and what it wrote there."""
    e = dict(os.environ)
    for k in ("NO_COLOR", "PAGER", "LESS", "COLUMNS"):
        e.pop(k, None)
    e.update(env or {})
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(COTLOG, [COTLOG] + args, e)
    if rows:
        fcntl.ioctl(fd, termios.TIOCSWINSZ,
                    struct.pack("HHHH", rows, cols, 0, 0))
    rc, out = read_pty(pid, fd, 60)
    return rc, out.replace(b"\r\n", b"\n")


def safe(out):
    """Only SGR escapes; no other control characters; no colour left
    open at a line end."""
    for m in re.finditer(rb"\x1b", out):
        assert SGR.match(out, m.start()), out[m.start():m.start() + 10]
    plain = SGR.sub(b"", out)
    bad = [c for c in set(plain) if c < 0x20 and c not in (0x0a, 0x09)]
    assert not bad, bad
    for line in out.split(b"\n"):
        codes = SGR.findall(line)
        assert not codes or codes[-1] == b"\x1b[0m", line[-80:]
    return plain


def show(args, env=None):
    """cotlog show ARGS, no colour, not wrapped unless ARGS say: its
    status and output as text."""
    rc, out, err = run(["show", "--color", "never"] + args, env=env)
    return rc, out.decode(), err.decode()


def cols(s):
    """Columns of s on a terminal (TAB to the next multiple of 8)."""
    c = 0
    for ch in s:
        if ch == "\t":
            c = (c // 8 + 1) * 8
        elif unicodedata.combining(ch):
            pass
        else:
            c += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return c


# ---- fixtures written here -------------------------------------------------

# A period of 16 words, 66 bytes, repeated 8 times inside one paragraph
# of a chat completion cut by its length limit; a reference it never
# reaches an answer for.
PERIOD = "Let me recompute the sum: 17 plus 25 is 42, and 42 minus 5 is 37. "
LOOP_TEXT = ("We need the value of x.\n\nFirst, set up the equation "
             "carefully.\n\n" + PERIOD * 8 + "\n\nSo")


def loop_record():
    return tmpfile("loop.jsonl", json.dumps({
        "model": "m", "reference": "37", "choices": [{
            "finish_reason": "length",
            "message": {"reasoning_content": LOOP_TEXT,
                        "content": None}}]}) + "\n")


# A period of two paragraphs with accents and CJK (bytes of two and
# three), repeated 9 times and then cut mid-word: the tail loop of an
# unterminated trace.
UNI_PERIOD = ("Hmm, peut-être que la réponse est 12 (答案是十二).\n\n"
              "Non, attendez, vérifions le deuxième cas encore.\n\n")
UNI_TEXT = ("Nous cherchons le nombre de paires.\n\n" + UNI_PERIOD * 9 +
            "Hmm, peut-être que la rép")


def tail_record():
    return tmpfile("tail.jsonl", json.dumps({
        "response": "<think>" + UNI_TEXT, "answer": "12"}) + "\n")


@case
def header_has_reference_verdict_status_rule_and_loop():
    rec = loop_record()
    p = profiles(rec)[0]
    lp = p["loop"]
    assert lp["found"] and lp["repeats"] == 8, lp
    rc, out, _ = show([rec])
    assert rc == 0
    head = out.split("\n[1]")[0].splitlines()
    assert 'reference "37"' + DOT + "not graded" in head, head
    assert "status " + p["status"] + DOT + "rule " + p["status_rule"] \
        in head, head
    assert p["status_rule"] == "finish_length"
    assert (f"loop bytes {lp['start']} to {lp['end']} (paragraph "
            f"{lp['start_step'] + 1}){DOT}period {lp['period_words']} words "
            f"({lp['period']} bytes) \u00d7 {lp['repeats']}") in head, head
    # graded: the verdict and the record's own label; no loop, no line
    for answer, label, verdict in (("42", True, "graded correct"),
                                   ("41", False, "graded wrong")):
        r = tmpfile("graded.jsonl", json.dumps({
            "response": "<think>17 + 25 = 42.</think>So \\boxed{42}.",
            "answer": answer, "is_correct": label}) + "\n")
        p = profiles(r)[0]
        assert p["correct"] is (answer == "42"), p["correct"]
        rc, out, _ = show([r])
        assert rc == 0
        want = (f'reference "{answer}"{DOT}{verdict}{DOT}the record says '
                + ("correct" if label else "wrong"))
        assert want in out.splitlines(), out
        assert "status complete" + DOT + "rule answered\n" in out
        assert "\nloop " not in out and "\u27f2" not in out
    # a tail loop of paragraphs: their count, and that it ends the text
    p = profiles(tail_record())[0]
    lp = p["loop"]
    assert lp["tail"] and lp["period_steps"] == 2, lp
    rc, out, _ = show([tail_record()])
    assert (f"({lp['period']} bytes, 2 paragraphs) \u00d7 {lp['repeats']}"
            f"{DOT}runs to the end\n") in out, out[:900]
    assert "status truncated" + DOT + "rule tail_loop\n" in out
    # colour: the verdict in green, on the same line
    rc, out, _ = run(["show", "--color", "always", r])
    assert b"\x1b[1;31mgraded wrong\x1b[0m" in out, out[:600]


@case
def loop_folded_to_one_period_at_its_bytes():
    rec = loop_record()
    lp = profiles(rec)[0]["loop"]
    raw = LOOP_TEXT.encode()
    start, fold, end = lp["start"], lp["start"] + lp["period"], lp["end"]
    assert raw[start:fold] == PERIOD.encode()
    rc, out, _ = show(["--width", "0", rec])
    assert rc == 0
    lines = out.splitlines()
    i = lines.index("  \u256d \u27f2 loop: a period of 16 words (66 bytes) "
                    "repeated 8 times")
    # the first period, byte for byte, behind the bar; then the count
    assert lines[i + 1] == "  \u2502 " + raw[start:fold].decode()
    hidden = raw[fold:end].decode()
    assert lines[i + 2] == (f"  \u2570 \u27f2 repeats 7 more times "
                            f"({len(hidden.split())} words) \u2014 --no-fold "
                            f"shows them")
    assert len(hidden.split()) == 7 * 16
    # the text goes on at loop.end: the next step, and nothing between
    assert lines[i + 3:i + 6] == ["", "[4] result_consolidation \u00b7 1 word",
                                  "    So"], lines[i + 3:]
    assert out.count("recompute") == 1
    # --no-fold: every period, then where the loop ends
    rc, out, _ = show(["--width", "0", "--no-fold", rec])
    lines = out.splitlines()
    i = lines.index("  \u256d \u27f2 loop: a period of 16 words (66 bytes) "
                    "repeated 8 times")
    assert lines[i + 1] == "  \u2502 " + raw[start:end].decode()
    assert lines[i + 2] == ("  \u2570 \u27f2 end of the loop: 8 periods "
                            "(128 words)")
    assert out.count("recompute") == 8 and "--no-fold" not in out


@case
def tail_loop_of_paragraphs_folds_between_characters():
    rec = tail_record()
    lp = profiles(rec)[0]["loop"]
    raw = UNI_TEXT.encode()
    start, fold, end = lp["start"], lp["start"] + lp["period"], lp["end"]
    assert end == len(raw) and lp["repeats"] == 9, lp
    assert raw[start:fold] == UNI_PERIOD.encode(), raw[start:fold]
    rc, out, _ = show(["--width", "0", rec])
    assert rc == 0
    # the first period's two paragraphs under their headings, behind
    # the bar; none of the 16 paragraphs after them
    body = out.split("\n[2]")[1].split("\n\u2500\u2500 answer")[0]
    bar = [ln[4:] for ln in body.splitlines() if ln.startswith("  \u2502 ")]
    assert bar == [p for p in UNI_PERIOD.split("\n") if p], bar
    hidden = raw[fold:end].decode()
    assert (f"  \u2570 \u27f2 repeats 8 more times and part of one more, "
            f"to the end of the reasoning ({len(hidden.split())} words) "
            f"\u2014 --no-fold shows them\n") in out, body
    assert "[3] " in out and "[4] " not in out and "[20] " not in out
    assert out.count("12 (\u7b54\u6848") == 1
    # every period and the cut one with --no-fold, each paragraph under
    # its heading
    rc, out, _ = show(["--width", "0", "--no-fold", rec])
    assert out.count("12 (\u7b54\u6848") == 9 and "[20] " in out
    assert "  \u2502 Hmm, peut-\u00eatre que la r\u00e9p\n" in out
    assert out.endswith("", 0)
    assert ("end of the loop: 9 periods and part of one more, to the end "
            f"of the reasoning ({len(raw[start:].decode().split())} words)"
            ) in out


def wrapped(out, first, hang):
    """The line of out whose text starts with first, and the lines after
    it that start at column hang: what it was wrapped into."""
    lines = out.splitlines()
    i = next(k for k, ln in enumerate(lines)
             if ln[4:].lstrip(" ").startswith(first))
    j = i + 1
    while j < len(lines) and lines[j].startswith(" " * hang) and \
            lines[j][hang:hang + 1] not in ("", " "):
        j += 1
    return lines[i:j]


@case
def wrapped_lines_keep_their_indent():
    words = " ".join(f"word{i}" for i in range(40))
    text = ("Plan:\n  - " + words + "\n  12. " + words + "\n\t* " + words +
            "\nPlain " + words + "\n" + "x" * 100 + " end\n" +
            "\u00e9" * 70 + "\n" + "\u4e2d" * 40 + "</think>ok")
    rec = tmpfile("indent.jsonl", json.dumps(
        {"response": "<think>" + text}) + "\n")
    for width in (40, 57, 80):
        rc, out, _ = show(["--width", str(width), rec])
        assert rc == 0
        for line in out.split("\n[1]")[1].splitlines():
            assert cols(line) <= width, (width, line)
        # the continuation lines start under the text, not under the
        # marker: all the words are on the lines at that column
        for marker, hang in (("- word0", 6 + 2), ("12. word0", 6 + 4),
                             ("\t* word0", 10)):
            lines = wrapped(out, marker, hang)
            assert len(lines) > 1, lines
            assert " ".join(lines).split()[-40:] == words.split(), \
                (width, marker, lines)
        lines = wrapped(out, "Plain", 4)
        assert " ".join(lines).split()[:41] == ["Plain"] + words.split()
        # words longer than a line are cut between characters
        for long in ("x" * 100, "\u00e9" * 70, "\u4e2d" * 40):
            lines = wrapped(out, long[:5], 4)
            assert "".join(ln[4:] for ln in lines).startswith(long), lines
            assert len(lines) > 1
    # COLUMNS is the default width; --width 0 does not wrap
    rc, out, _ = show([rec], env={"COLUMNS": "40"})
    assert max(cols(ln) for ln in out.split("\n[1]")[1].splitlines()) \
        == 40
    rc, out, _ = show(["--width", "0", rec])
    assert "  - " + words + "\n" in out
    # not a terminal, no COLUMNS: 80
    e = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    rc, out, _ = run(["show", "--color", "never", rec], env=e)
    rc, out2, _ = run(["show", "--color", "never", "--width", "80", rec])
    assert out == out2 and out != run(["show", "--width", "0", rec])[1]
    # the counts wrap between items, under the first
    rc, out, _ = show(["--width", "40", loop_record()])
    tail = out.split("\u2500\u2500 answer\n")[1].splitlines()[2:]
    assert len(tail) > 2 and all(cols(ln) <= 40 for ln in tail), tail
    assert tail[1].startswith(" " * 10) and tail[1][10] != " ", tail
    rc, wide, _ = show(["--width", "0", loop_record()])
    wide = wide.split("\u2500\u2500 answer\n")[1].splitlines()[2:]
    assert len(wide) == 1
    assert " ".join(tail).split() == wide[0].replace("\u00b7", "").split()
    rc, _, err = run(["show", "--width", "19", rec])
    assert rc == 2 and b"--width takes 0 or a number from 20" in err


@case
def wrapping_keeps_highlights_and_the_loop_bar():
    rec = loop_record()
    rc, out, _ = run(["show", "--color", "always", "--no-fold", "--width",
                      "30", rec])
    assert rc == 0
    safe(out)
    plain = SGR.sub(b"", out).decode()
    bar = [ln for ln in plain.splitlines() if ln.startswith("  \u2502")]
    assert len(bar) > 8 and all(cols(ln) <= 30 for ln in bar), bar
    assert " ".join(ln[4:] for ln in bar).split() == (PERIOD * 8).split()


# ---- the pager ---------------------------------------------------------------

def pager_files(name):
    d = os.path.join(TMP, "pager-" + name)
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, "paged"), os.path.join(d, "done")


@case
def pager_gets_the_output_on_a_terminal():
    rec = loop_record()
    paged, done = pager_files("on")
    # the pager sleeps before saying it is done: show must wait for it
    # (and lets go of the terminal, so read_pty returns when show ends)
    pager = (f"exec >/dev/null 2>&1; cat > '{paged}'; sleep 0.3; "
             f"echo $LESS > '{done}'")
    rc, out = on_pty(["show", rec], env={"PAGER": pager})
    assert rc == 0, out
    assert os.path.exists(done), "show did not wait for its pager"
    assert open(done).read() == "FRX\n"    # LESS, as git sets it
    got = open(paged, "rb").read()
    assert b"repeats 7 more times" in got
    assert b"\x1b[1;33m" in got             # colour through the pager
    assert out == b"", out[:200]            # nothing past the pager
    _, plain, _ = run(["show", rec])
    assert safe(got) == plain
    # the user's LESS is left as it is
    os.unlink(done)
    rc, out = on_pty(["show", rec], env={"PAGER": pager, "LESS": "-S"})
    assert rc == 0 and open(done).read() == "-S\n"
    # --no-pager, PAGER="" or cat: written to the terminal itself
    for args, env in ((["--no-pager"], {"PAGER": pager}),
                      ([], {"PAGER": ""}), ([], {"PAGER": "cat"})):
        if os.path.exists(paged):
            os.unlink(paged)
        rc, out = on_pty(["show"] + args + [rec], env=env)
        assert rc == 0 and b"repeats 7 more times" in out, (args, env)
        assert b"cotlog:" not in out, out[:200]
        assert not os.path.exists(paged), (args, env)
    # not a terminal: no pager
    rc, out, err = run(["show", rec], env={"PAGER": pager})
    assert rc == 0 and b"repeats 7" in out and not os.path.exists(paged)


@case
def pager_not_found_writes_directly():
    rec = loop_record()
    rc, out = on_pty(["show", rec], env={"PAGER": "cotlog-no-such-pager"})
    assert rc == 0 and b"repeats 7 more times" in out
    assert b"cannot run the pager 'cotlog-no-such-pager'" in out
    # less missing (PATH without it): quietly written directly
    d = os.path.join(TMP, "bin-no-less")
    os.makedirs(d, exist_ok=True)
    rc, out = on_pty(["show", rec], env={"PATH": d})
    assert rc == 0 and b"repeats 7 more times" in out, out[:300]
    assert b"cotlog:" not in out


@case
def pager_quitting_early_is_not_an_error():
    # more than a pipe holds, so that show is still writing when the
    # pager has gone
    big = "\n".join(open(SAMPLE).read().splitlines() * 40) + "\n"
    path = tmpfile("big.jsonl", big)
    paged, _ = pager_files("head")
    for pager in ("head -c 10", f"head -c 100 > '{paged}'", "true"):
        start = time.monotonic()
        rc, out = on_pty(["show", "--all", path], env={"PAGER": pager})
        assert rc == 0, (pager, rc, out[:300])
        assert b"cotlog" not in out and b"rror" not in out, out[:300]
        assert len(out) <= 10, out[:300]
        assert time.monotonic() - start < 30
    assert len(open(paged, "rb").read()) == 100


@case
def pager_gets_the_messages_in_order():
    """Standard error is the terminal too: the messages go through the
    pager, after the trace shown before them."""
    paged, _ = pager_files("err")
    rec = json.dumps({"response": "<think>One.</think>1"})
    path = tmpfile("err.jsonl", rec + "\n{nope\n" + rec + "\n")
    rc, out = on_pty(["show", "--all", path],
                     env={"PAGER": f"cat > '{paged}'"})
    assert rc == 4 and out == b"", (rc, out)
    got = SGR.sub(b"", open(paged, "rb").read()).decode()
    first, rest = got.split("err.jsonl:2:", 1)
    assert "err.jsonl:1" in first and "err.jsonl:3" in rest, got


# ---- moved from test_steps.py: show on everything ----------------------------

@corpus_case
def show_every_corpus_trace_no_color_and_on_a_pty(root, fixtures):
    files = all_files(root)
    shown = 0
    for path in files:
        n = trace_count(path)
        rc, plain, err = run(["show", "--all", path], env={"NO_COLOR": "1"})
        if n == 0:
            assert rc == 1 and b"no trace" in err, (path, rc)
            continue
        assert rc == 0, (path, err[:300])
        assert b"\x1b" not in plain
        safe(plain)
        assert plain.count("\u2500\u2500 ".encode()) >= n
        assert len(re.findall(rb"(?m)^\xe2\x94\x80\xe2\x94\x80 .*"
                              rb" \xc2\xb7 trace \d+ of \d+$", plain)) == n
        # through a pager of the shell's (not "cat": that means none)
        rc, tty = on_pty(["show", "--all", path],
                         env={"PAGER": "exec cat"})
        assert rc == 0, path
        assert b"\x1b[" in tty, path
        assert safe(tty) == plain, path       # colour changes nothing else
        rc, tty = on_pty(["show", "--no-pager", "--all", path],
                         env={"NO_COLOR": "x"})
        assert rc == 0 and tty == plain, path
        shown += n
    print(f"# {shown} traces shown on a pty and with NO_COLOR")
    assert shown >= (90 if fixtures else 1500), shown


@case
def show_color_always_for_less():
    rc, out, _ = run(["show", "--color", "always", "--record", "1", SAMPLE])
    assert rc == 0 and b"\x1b[" in out
    safe(out)
    rc, out, _ = run(["show", "--color", "always", SAMPLE],
                     env={"NO_COLOR": "1"})
    assert rc == 0 and b"\x1b" not in out       # NO_COLOR wins
    rc, out, _ = run(["show", "--color", "auto", SAMPLE])
    assert rc == 0 and b"\x1b" not in out       # a pipe: no colour


@case
def show_through_less_r():
    """less -R shows the colours as they are: its output, less its own
    escapes, is the text, and our SGR sequences all reach the screen."""
    if not shutil.which("less"):
        return "skip no less"
    rc, data, _ = run(["show", "--color", "always", "--record", "1",
                       SAMPLE])
    assert rc == 0
    path = tmpfile("less-in.txt", data)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("less", ["less", "-R", "-F", "-X", path])
    # a screen tall enough for it all: less prints it and quits (-F)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 1000, 300,
                                                    0, 0))
    _, out = read_pty(pid, fd, 30)
    ours = SGR.findall(data)
    theirs = iter(SGR.findall(out))
    assert ours and all(any(t == o for t in theirs) for o in ours)
    screen = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]", b"", out)
    assert screen.replace(b"\r\n", b"\n").strip() == \
        SGR.sub(b"", data).strip()


@case
def show_through_the_default_pager():
    """No PAGER: less -R, with LESS=FRX, on a screen tall enough: it
    prints the colours as they are and quits by itself."""
    if not shutil.which("less"):
        return "skip no less"
    rc, data, _ = run(["show", "--color", "always", "--width", "100",
                       "--record", "1", SAMPLE])
    rc, out = on_pty(["show", "--record", "1", SAMPLE],
                     env={"TERM": "xterm"}, rows=1000, cols=100)
    assert rc == 0
    assert SGR.findall(data) and set(SGR.findall(data)) <= \
        set(SGR.findall(out))
    screen = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r", b"", out)
    assert screen.strip() == SGR.sub(b"", data).strip()


@case
def show_picks_record_trace_and_where():
    rc, out, _ = run(["show", "--record", "7", "--trace", "1", SAMPLE])
    assert rc == 0
    assert re.search(rb"traces\.jsonl:7 \xc2\xb7 record 7 \xc2\xb7 trace 1 "
                     rb"of 2", out), out[:200]
    rc, out, err = run(["show", "--record", "7", "--trace", "5", SAMPLE])
    assert rc == 1 and b"record 7 has 2 traces" in err and out == b""
    rc, out, err = run(["show", "--record", "99", SAMPLE])
    assert rc == 1 and b"no record 99: the input has 14" in err
    rc, out, _ = run(["show", "--where", "prefilled", SAMPLE])
    assert rc == 0 and b"record 7 \xc2\xb7 trace 0" in out
    rc, out, err = run(["show", "--where", "think.words >", SAMPLE])
    assert rc == 3 and b"--where" in err
    rc, out, err = run(["show", "--where", "think.words > 100000", SAMPLE])
    assert rc == 1 and b"no trace matched --where" in err
    # what was asked is shown; the rest of the input is not read
    rc, out, err = run(["show", "--record", "1", SAMPLE,
                        os.path.join(TMP, "nope.jsonl")])
    assert rc == 0 and err == b"", err


@case
def show_folds_long_steps_and_marks():
    para = "Wait, " + " ".join(f"line {i} of a long step." for i in range(40))
    text = "<think>We are given x.\n\n" + "\n".join([para] * 3) + \
        "\n\nThus the answer is 5.</think>The answer is \\boxed{5}."
    rec = tmpfile("long.jsonl", json.dumps({"response": text}) + "\n")
    rc, out, _ = run(["show", rec])
    assert rc == 0
    s = out.decode()
    assert "folded:" in s and "--full shows them" in s
    assert "[1] problem_setup" in s and "[2] uncertainty_management" in s
    assert "[3] final_answer_emission" in s
    assert '\u00b7 "wait" \u00d73' in s and '"thus", "the answer is"' in s
    rc, out, _ = run(["show", "--full", rec])
    assert "folded" not in out.decode() and out.count(b"line 39") == 3
    assert "boxed \"5\"" in s and "\u2500\u2500 answer" in s


@case
def show_keeps_the_terminal_safe():
    evil = "<think>Look: \u001b[2J\u001b]0;pwned\u0007 and \u009b31m here." \
        "</think>ok"
    rec = tmpfile("evil.jsonl", json.dumps({"response": evil}) + "\n")
    for args in (["show", rec], ["show", "--color", "always", rec]):
        rc, out, _ = run(args)
        assert rc == 0
        plain = safe(out)
        assert "\ufffd[2J".encode() in plain and b"\xc2\x9b" not in plain


@case
def show_by_sentence_and_thought():
    rec = tmpfile("t.jsonl", json.dumps({"response": "<think>First we set "
                                         "up. Then compute 2+2=4.\n\nWait, "
                                         "that is wrong.</think>4"}) + "\n")
    rc, out, _ = run(["show", "--by", "sentence", rec])
    assert rc == 0 and b"[3] uncertainty_management" in out
    rc, out, _ = run(["show", "--by", "thought", rec])
    assert rc == 0 and b"[2] " in out and b"[3]" not in out


@case
def show_loop_by_sentence():
    """The loop is folded on its bytes whatever the steps: sentences
    inside the folded part have no heading."""
    rec = loop_record()
    rc, out, _ = show(["--by", "sentence", "--width", "0", rec])
    assert rc == 0 and out.count("recompute") == 1
    assert "repeats 7 more times (112 words)" in out
    n = len(re.findall(r"(?m)^\[\d+\]", out))
    rc, full, _ = show(["--by", "sentence", "--no-fold", rec])
    assert full.count("recompute") == 8
    assert len(re.findall(r"(?m)^\[\d+\]", full)) > n


# ---- moved from test_output.py: no string from the data reaches a
# terminal raw ---------------------------------------------------------------


@case
def show_writes_no_control_from_the_data():
    path, pats = evil_inputs(TMP)
    for args in (["--color", "always"], ["--color", "never"],
                 ["--color", "always", "--no-fold", "--width", "25"]):
        rc, out, err = run(["show", "--patterns", pats] + args + [path])
        assert rc == 4, (rc, err)       # the NaN line
        assert b"PWNED" in out and b"\xef\xbf\xbd" in out
        assert b"reference \"4\\u001b]0;PWNED" in out, out[:900]
        assert "\u27f2".encode() in out
        assert_terminal_safe(out, args)
        assert_terminal_safe(err, "show's stderr")
        assert b"malformed" in err
    # on a terminal, with the progress line possible, through a pager
    # and not
    paged, _ = pager_files("evil")
    for args, env in ((["--no-pager"], {}),
                      ([], {"PAGER": f"cat > '{paged}'"})):
        rc, out = on_pty(["show", "--patterns", pats] + args + [path], env)
        assert rc == 4
        if env:
            out = open(paged, "rb").read()
        assert b"PWNED" in out
        # the progress line's erasing
        out = out.replace(b"\r\x1b[K", b"")
        assert_terminal_safe(out, "show on a terminal")


main()
