"""tap_plugin.py - pytest results as TAP on stdout, for meson: one line
per test ("ok N - name", "ok N - name # SKIP reason", "not ok N - name"
and the failure as "# " lines), then the notes a test left with
conftest.note() (timings) as "# " lines after its result."""
import os

import pytest

_out = None
_n = 0
_notes = []


def _write(text):
    os.write(_out, text.encode("utf-8", "replace"))


def note(text):
    """A line to print, as a TAP comment, after the current test."""
    _notes.append(str(text))


def pytest_configure(config):
    global _out
    # COTLOG_TAP_FD (run.py), else a copy of stdout made before pytest
    # captures fd 1 in tests
    fd = os.environ.get("COTLOG_TAP_FD")
    _out = os.dup(int(fd)) if fd else os.dup(1)


def pytest_collection_finish(session):
    _write(f"1..{len(session.items)}\n")


def pytest_collectreport(report):
    if report.failed:
        _write("Bail out! collecting %s failed\n" % report.nodeid)
        for line in str(report.longrepr).splitlines():
            _write(f"# {line}\n")


def pytest_runtest_logreport(report):
    global _n
    name = report.nodeid.replace("#", "No.")
    if report.when == "call" or (report.when == "setup" and
                                 not report.passed):
        _n += 1
        if report.skipped:
            reason = report.longrepr[2] if isinstance(
                report.longrepr, tuple) else str(report.longrepr)
            reason = reason.replace("Skipped: ", "", 1)
            _write(f"ok {_n} - {name} # SKIP {reason}\n")
        elif report.passed:
            _write(f"ok {_n} - {name} ({report.duration:.2f} s)\n")
        else:
            _write(f"not ok {_n} - {name}\n")
            for line in str(report.longrepr).splitlines():
                _write(f"# {line}\n")
    elif report.when == "teardown" and report.failed:
        _n += 1
        _write(f"not ok {_n} - {name} (teardown)\n")
        for line in str(report.longrepr).splitlines():
            _write(f"# {line}\n")
    if report.when == "teardown":
        for line in _notes:
            _write(f"# {line}\n")
        _notes.clear()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    if _out is not None:
        os.close(_out)
