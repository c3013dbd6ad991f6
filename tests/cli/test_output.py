#!/usr/bin/env python3
"""test_output.py - what -o and --rejects do to the files they name
(symbolic links, FIFOs, devices, modes, the same file twice), the rule
for failed runs (an incomplete run leaves FILE as it was unless
--partial-ok), and that no string from the data reaches a terminal raw.

Usage: test_output.py COTLOG SRCDIR (TAP output)."""
import gzip
import json
import os
import resource
import signal
import stat
import subprocess
import time

from tap import (
    COTLOG, SAMPLE, TMP, case, main, run, tmpfile)
from terminal import EVIL, assert_terminal_safe, evil_inputs

PLAIN = None


def plain():
    """What filter --where true writes for the sample."""
    global PLAIN
    if PLAIN is None:
        PLAIN = run(["filter", "--where", "true", SAMPLE])[1]
    return PLAIN


def no_temp_left(folder=TMP):
    left = [f for f in os.listdir(folder) if ".tmp." in f]
    assert not left, left


def fresh(name):
    """A folder of its own under TMP."""
    d = os.path.join(TMP, name)
    os.makedirs(d)
    return d


@case
def output_through_a_symlink_keeps_the_link():
    d = fresh("link")
    target = os.path.join(d, "target.jsonl")
    link = os.path.join(d, "link.jsonl")
    open(target, "wb").write(b"old\n")
    os.symlink("target.jsonl", link)
    rc, out, err = run(["filter", "--where", "true", "-o", link, SAMPLE])
    assert rc == 0 and out == b"", (rc, err)
    assert os.path.islink(link), "the link was replaced"
    assert open(target, "rb").read() == plain()
    # a link to a name not yet taken: the file is made where it points
    os.symlink("made.jsonl", os.path.join(d, "dangling"))
    rc, _, err = run(["filter", "--where", "true", "-o",
                      os.path.join(d, "dangling"), SAMPLE])
    assert rc == 0, err
    assert os.path.islink(os.path.join(d, "dangling"))
    assert open(os.path.join(d, "made.jsonl"), "rb").read() == plain()
    no_temp_left(d)


@case
def output_to_a_fifo_writes_into_it():
    d = fresh("fifo")
    fifo = os.path.join(d, "pipe")
    os.mkfifo(fifo)
    r = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        rc, _, err = run(["filter", "--where", "true", "-o", fifo, SAMPLE])
        assert rc == 0, err
        got = b""
        while True:
            try:
                chunk = os.read(r, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            got += chunk
    finally:
        os.close(r)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO was replaced"
    assert got == plain()
    no_temp_left(d)


@case
def output_to_a_device_stays_a_device():
    # a node of our own, like /dev/null: a cotlog that replaced it would
    # not take the system's /dev/null with it
    dev = os.path.join(fresh("dev"), "null")
    try:
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError:
        dev = os.devnull    # not root: replacing it would fail anyway
    rc, _, err = run(["filter", "--where", "think.words > 50", "-o",
                      dev, "--rejects", dev, SAMPLE])
    assert rc == 0, err
    assert stat.S_ISCHR(os.stat(dev).st_mode)


@case
def output_dash_is_standard_output():
    d = fresh("dash")
    rc, out, err = run(["filter", "--where", "true", "-o", "-", SAMPLE],
                       cwd=d)
    assert rc == 0 and out == plain(), err
    assert os.listdir(d) == [], os.listdir(d)


@case
def output_keeps_the_mode_and_honours_the_umask():
    d = fresh("mode")
    old = os.path.join(d, "old.jsonl")
    open(old, "wb").write(b"old\n")
    os.chmod(old, 0o640)
    rc, _, err = run(["filter", "--where", "true", "-o", old, SAMPLE])
    assert rc == 0, err
    assert stat.S_IMODE(os.stat(old).st_mode) == 0o640
    new = os.path.join(d, "new.jsonl")
    p = subprocess.run([COTLOG, "filter", "--where", "true", "-o", new,
                        "--rejects", new + ".rej", SAMPLE],
                       preexec_fn=lambda: os.umask(0o027),
                       capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert stat.S_IMODE(os.stat(new).st_mode) == 0o640
    assert stat.S_IMODE(os.stat(new + ".rej").st_mode) == 0o640
    p = subprocess.run([COTLOG, "filter", "--where", "true", "-o",
                        new + ".2", SAMPLE],
                       preexec_fn=lambda: os.umask(0o002),
                       capture_output=True, timeout=60)
    assert stat.S_IMODE(os.stat(new + ".2").st_mode) == 0o664


@case
def output_and_rejects_may_not_be_one_file():
    d = fresh("same")
    x = os.path.join(d, "x.jsonl")
    os.symlink("x.jsonl", os.path.join(d, "lx"))
    for rej in (x, os.path.join(d, ".", "x.jsonl"),
                os.path.join(d, "..", "same", "x.jsonl"),
                os.path.join(d, "lx")):
        for exists in (False, True):
            if exists:
                open(x, "wb").write(b"old\n")
            elif os.path.exists(x):
                os.unlink(x)
            rc, out, err = run(["filter", "--where", "think.words > 50",
                                "-o", x, "--rejects", rej, SAMPLE])
            assert rc == 2 and b"same file" in err, (rej, exists, rc, err)
            assert os.path.exists(x) == exists
            if exists:
                assert open(x, "rb").read() == b"old\n"
    # standard output redirected to the rejects file
    open(x, "wb").write(b"old\n")
    with open(x, "ab") as f:
        p = subprocess.run([COTLOG, "filter", "--where", "think.words > 50",
                            "--rejects", x, SAMPLE], stdout=f,
                           stderr=subprocess.PIPE, timeout=60)
    assert p.returncode == 2 and b"same file" in p.stderr, p.stderr
    assert open(x, "rb").read() == b"old\n"
    no_temp_left(d)


def failing_inputs(d):
    """(name, path, status, records before the damage)."""
    big = open(SAMPLE, "rb").read() * 50
    z = gzip.compress(big)
    doc = (b'[{"text":"<think>a</think>1"},\n{"text":"<think>b</think>2"},'
           b'\n{"text": nope}, {"text":"c"}]\n')
    return [
        ("cut gzip", tmpfile("cut.jsonl.gz", z[:len(z) // 2]), 2),
        ("broken document", tmpfile("broken.json", doc), 4),
        ("missing input", os.path.join(d, "no-such-file.jsonl"), 2),
    ]


@case
def failed_input_leaves_the_output_as_it_was():
    d = fresh("fail")
    out = os.path.join(d, "out.jsonl.gz")
    rej = os.path.join(d, "rej.jsonl")
    for name, path, status in failing_inputs(d):
        open(out, "wb").write(b"good\n")
        open(rej, "wb").write(b"good rejects\n")
        rc, _, err = run(["filter", "--where", "think.words > 1", "-o",
                          out, "--rejects", rej, SAMPLE, path])
        assert rc == status, (name, rc, err)
        assert open(out, "rb").read() == b"good\n", name
        assert open(rej, "rb").read() == b"good rejects\n", name
        assert b"left as they were" in err, (name, err)
        no_temp_left(d)
        # --partial-ok: what was read is written
        rc, _, err = run(["filter", "--where", "think.words > 1", "-o",
                          out, "--rejects", rej, "--partial-ok", SAMPLE,
                          path])
        assert rc == status, (name, rc, err)
        got = gzip.decompress(open(out, "rb").read())
        want = run(["filter", "--where", "think.words > 1", SAMPLE])[1]
        assert got.startswith(want) and len(got) >= len(want), name
        assert open(rej, "rb").read() != b"good rejects\n", name
        no_temp_left(d)


@case
def strict_stop_leaves_the_output_as_it_was():
    d = fresh("strict")
    out = os.path.join(d, "out.jsonl")
    p = tmpfile("strict-out.jsonl",
                b'{"text":"a"}\n{"x": NaN}\n{"text":"b"}\n')
    open(out, "wb").write(b"good\n")
    rc, _, _ = run(["filter", "--strict", "--where", "true", "-o", out, p])
    assert rc == 4 and open(out, "rb").read() == b"good\n"
    rc, _, _ = run(["filter", "--strict", "--partial-ok", "--where", "true",
                    "-o", out, p])
    assert rc == 4 and open(out, "rb").read() == b'{"text":"a"}\n'
    no_temp_left(d)


def limit_file_size(n):
    def f():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
    return f


@case
def write_error_leaves_both_files_as_they_were():
    d = fresh("full")
    out = os.path.join(d, "out.jsonl")
    rej = os.path.join(d, "rej.jsonl")
    big = tmpfile("full.jsonl", open(SAMPLE, "rb").read() * 2000)
    for where in ("true", "false"):     # the error on -o, on --rejects
        for extra in ([], ["--partial-ok"], ["-j", "1"]):
            open(out, "wb").write(b"good\n")
            open(rej, "wb").write(b"good rejects\n")
            p = subprocess.run([COTLOG, "filter", "--where", where, "-o",
                                out, "--rejects", rej] + extra + [big],
                               preexec_fn=limit_file_size(100000),
                               capture_output=True, timeout=120)
            assert p.returncode == 2 and b"write error" in p.stderr, \
                (where, p.returncode, p.stderr)
            assert b"left as they were" in p.stderr, p.stderr
            assert open(out, "rb").read() == b"good\n", where
            assert open(rej, "rb").read() == b"good rejects\n", where
            no_temp_left(d)


@case
def signals_leave_the_output_as_it_was():
    d = fresh("signal")
    out = os.path.join(d, "out.jsonl")
    rej = os.path.join(d, "rej.jsonl")
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        for extra in ("", "--partial-ok"):
            open(out, "wb").write(b"old\n")
            open(rej, "wb").write(b"old rejects\n")
            yes = subprocess.Popen(["yes", '{"text":"a"}'],
                                   stdout=subprocess.PIPE)
            proc = subprocess.Popen(
                [COTLOG, "filter", "--where", "think.words > 0", "-o", out,
                 "--rejects", rej] + ([extra] if extra else []),
                stdin=yes.stdout, stderr=subprocess.PIPE)
            yes.stdout.close()
            # once cotlog has made its temporary files
            for _ in range(200):
                if len([f for f in os.listdir(d) if ".tmp." in f]) == 2:
                    break
                time.sleep(0.05)
            else:
                assert False, "no temporary files while running"
            time.sleep(0.2)
            proc.send_signal(sig)
            assert proc.wait(timeout=30) == -sig
            yes.wait(timeout=30)
            assert open(out, "rb").read() == b"old\n", sig
            assert open(rej, "rb").read() == b"old rejects\n", sig
            no_temp_left(d)


# ---- no string from the data reaches a terminal raw ----


@case
def diagnostics_write_no_control_from_the_data():
    path, pats = evil_inputs(TMP)
    for args in (["show", "--record", "9", path],
                 ["filter", "--where", "true", path],
                 ["filter", "--where", "rec.model > 1", path],
                 ["steps", path + ".missing"],
                 ["patterns", "--patterns", pats + ".missing"],
                 ["filter", "--where", "true", "-o",
                  os.path.join(path + ".no", "x")],
                 ["show", "--pattern", "x=(" + EVIL, path]):
        rc, out, err = run(args)
        assert err, args
        assert_terminal_safe(err, args)


@case
def patterns_and_steps_write_no_control_from_the_data():
    path, pats = evil_inputs(TMP)
    rc, out, err = run(["patterns", "--patterns", pats])
    assert rc == 0 and b"evilfam" in out, err
    assert_terminal_safe(out, "patterns")
    for args in (["patterns", "--json", "--patterns", pats],
                 ["steps", "--patterns", pats, path]):
        rc, out, err = run(args)
        assert_terminal_safe(out, args)
        for line in out.splitlines():
            json.loads(line)



@case
def stats_table_writes_no_control_from_the_data():
    path, pats = evil_inputs(TMP)
    for by in ([], ["--by", "rec.model"], ["--by", "finish_reason"],
               ["--by", "file"]):
        rc, out, err = run(["stats", "--patterns", pats] + by + [path])
        assert rc == 4, (by, rc, err)
        assert_terminal_safe(out, ["stats"] + by)
        assert_terminal_safe(err, ["stats"] + by)


main()
