#!/usr/bin/env python3
"""count.py - sum test results from meson testlog.json files.

A TAP test counts once per "ok"/"not ok" line; any other test once (exit
status 77 is meson's SKIP). "ok ... # SKIP" is a skip, as TAP and meson
read it; "not ok ... # SKIP" stays a failure, as meson reads it (cmocka's
form, which tests/unit/tap_skip.py rewrites). Prints the failures, then
"N passed, N failed, N skipped" alone on the last line, and exits 1 when
anything failed or nothing passed."""
import json
import re
import sys

TAP = re.compile(r"^(ok|not ok)\b(.*)$", re.M)
SKIP = re.compile(r"#\s*skip", re.I)

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        print(f"count.py: {e}")
        failed += 1
        continue
    for line in lines:
        t = json.loads(line)
        out = t.get("stdout") or ""
        tap = TAP.findall(out)
        bad = t["result"] not in ("OK", "EXPECTEDFAIL", "SKIP")
        if t.get("protocol") == "tap" or tap:
            p = sum(1 for s, rest in tap
                    if s == "ok" and not SKIP.search(rest))
            s = sum(1 for s, rest in tap if s == "ok" and SKIP.search(rest))
            f = sum(1 for s, _ in tap if s == "not ok")
            if bad and f == 0:
                f = 1          # crashed before reporting its subtests
            passed += p
            skipped += s
            failed += f
        elif t["result"] == "SKIP":
            skipped += 1
        else:
            passed += not bad
            failed += bad
        if bad:
            print(f"FAILED: {path.split('/')[0]}: {t['name']}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or not passed else 0)
