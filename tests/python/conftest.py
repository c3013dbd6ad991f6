"""conftest.py - what the tests of the Python package share.

The library under test is COTLOG_LIBRARY (this build's libcotlog.so.1),
the command COTLOG_EXE (this build's cotlog); the fixtures are
COTLOG_DATA (tests/data), the corpus COTLOG_CORPUS (skipped when
absent). run.py sets them from meson; run by hand:

  COTLOG_LIBRARY=build-py/lib/libcotlog.so.1 COTLOG_EXE=build-py/tools/cotlog \\
  COTLOG_SRC=$PWD PYTHONPATH=python:tests/python \\
  python3 -m pytest -p tap_plugin tests/python
"""
import glob
import os
import subprocess

import pytest

from tap_plugin import note  # noqa: F401  (for the tests)

SRC = os.environ.get("COTLOG_SRC") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
EXE = os.environ.get("COTLOG_EXE", "")
DATA = os.environ.get("COTLOG_DATA") or os.path.join(SRC, "tests", "data")
CORPUS = os.environ.get("COTLOG_CORPUS", "")

if not os.environ.get("COTLOG_LIBRARY") or not EXE:
    raise pytest.UsageError("COTLOG_LIBRARY and COTLOG_EXE must name this "
                            "build's library and command (run.py sets them)")


def run(args, stdin=b"", check=True):
    """cotlog ARGS: its stdout (bytes); a failure raises, unless
    check=False, which returns (status, stdout, stderr)."""
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.pop("COLUMNS", None)
    p = subprocess.run([EXE] + list(args), input=stdin, capture_output=True,
                       env=env, timeout=900)
    if not check:
        return p.returncode, p.stdout, p.stderr
    assert p.returncode == 0, (args, p.returncode, p.stderr.decode())
    return p.stdout


def inputs(root):
    """The record files under root: JSON Lines and JSON documents, the
    tokenizer files and stream chunks left out (other shapes)."""
    out = []
    for p in sorted(glob.glob(os.path.join(root, "**", "*.json*"),
                              recursive=True)):
        rel = os.path.relpath(p, root)
        if rel.startswith(("tokens" + os.sep, "streams" + os.sep)):
            continue
        out.append(p)
    return out


def have_corpus():
    return bool(CORPUS) and os.path.isdir(CORPUS)


# The two sets every comparison runs on: the fixtures, always; the
# corpus when it is beside the repository.
SETS = [pytest.param("data", id="fixtures"),
        pytest.param("corpus", id="corpus")]


def files_of(which):
    if which == "data":
        return inputs(DATA)
    if not have_corpus():
        pytest.skip("no corpus (COTLOG_CORPUS)")
    return inputs(CORPUS)
