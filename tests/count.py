#!/usr/bin/env python3
"""count.py - sum test results from meson testlog.json files.

A TAP test counts once per "ok"/"not ok" line; any other test once.
Prints the failures, then "N passed, N failed" alone on the last line, and
exits 1 when anything failed or nothing ran."""
import json
import re
import sys

passed = failed = 0
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
        tap = re.findall(r"^(ok|not ok)\b.*$", out, re.M)
        bad = t["result"] not in ("OK", "EXPECTEDFAIL", "SKIP")
        if t.get("protocol") == "tap" or tap:
            p = sum(1 for s in tap if s == "ok")
            f = sum(1 for s in tap if s == "not ok")
            if bad and f == 0:
                f = 1          # crashed before reporting its subtests
            passed += p
            failed += f
        else:
            passed += not bad
            failed += bad
        if bad:
            print(f"FAILED: {path.split('/')[0]}: {t['name']}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
