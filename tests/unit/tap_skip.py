#!/usr/bin/env python3
"""tap_skip.py - run a cmocka test (TEST [ARGS...]) and pass its TAP
output on, with skipped tests reported as TAP says they should be.

cmocka 1.1.5 (Debian 12) prints a skipped test as "not ok N # SKIP name";
TAP and meson read "not ok" as a failure whatever the directive, so a test
that skips (the corpus is absent) would fail the suite. This wrapper
rewrites exactly that line to "ok N - name # SKIP REASON" (the reason
the test printed on the line before, if any) and leaves every other
line, the stderr stream and the exit status as they are; a child killed by
a signal kills the wrapper with the same signal, so meson reports it the
same way."""
import os
import re
import signal
import subprocess
import sys

SKIPPED = re.compile(rb"^not ok (\d+) # SKIP (.*?)\r?$")

# the reason a test prints on the line before it skips ("# no corpus",
# from skip_without_corpus in corpus.h), carried onto the skip line
REASON = re.compile(rb"^# (.*?)\r?$")

p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
out = sys.stdout.buffer
why = b""
for line in p.stdout:          # bytes: test output need not be UTF-8
    m = SKIPPED.match(line.rstrip(b"\n"))
    if m:
        line = b"ok %s - %s # SKIP %s\n" % (m.group(1), m.group(2), why)
    r = REASON.match(line.rstrip(b"\n"))
    why = r.group(1) if r else b""
    out.write(line)
    out.flush()
rc = p.wait()
if rc < 0:
    signal.signal(-rc, signal.SIG_DFL)
    os.kill(os.getpid(), -rc)
sys.exit(rc)
