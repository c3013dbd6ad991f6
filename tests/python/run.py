#!/usr/bin/env python3
"""run.py - run the pytest tests of the Python package as one TAP test.

Meson runs this with its python3; pytest may live in another interpreter
(tools/deps.sh installs Debian's python3-pytest and python3-dask for
/usr/bin/python3, while PATH may lead to a pyenv python): the first of
this interpreter and /usr/bin/python3 that imports pytest runs the tests.
Without one, or in a sanitizer build (COTLOG_SANITIZED), the test is
skipped with the reason. Arguments are passed on to pytest (-k NAME).
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def skip(reason):
    print(f"1..0 # SKIP {reason}")
    return 0


def main():
    if sys.version_info < (3, 8):
        return skip(f"python {sys.version.split()[0]} is older than 3.8")
    if os.environ.get("COTLOG_SANITIZED"):
        return skip("sanitizer build: an ASan libcotlog loads into python "
                    "only with LD_PRELOAD of libasan, whose leak checks "
                    "would report python's own allocations")
    for exe in dict.fromkeys([sys.executable, "/usr/bin/python3"]):
        if not os.path.exists(exe):
            continue
        ok = subprocess.run([exe, "-c", "import pytest"],
                            capture_output=True).returncode == 0
        if ok:
            break
    else:
        return skip("pytest is not installed (Debian: python3-pytest, "
                    "which tools/deps.sh installs)")
    env = dict(os.environ)
    env["COTLOG_TEST_PYTHON"] = sys.executable
    env["PYTHONPATH"] = os.pathsep.join(
        [os.path.join(env["COTLOG_SRC"], "python"), HERE] +
        ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # TAP goes to our stdout through a descriptor of its own; pytest's
    # report goes to stderr, which meson keeps in its log
    tap = os.dup(1)
    env["COTLOG_TAP_FD"] = str(tap)
    cmd = [exe, "-m", "pytest", HERE, "-p", "no:cacheprovider",
           "-p", "tap_plugin", "-q", "-rs"] + sys.argv[1:]
    print(f"# {exe} -m pytest (python {sys.version.split()[0]} ran meson)",
          flush=True)
    return subprocess.run(cmd, env=env, cwd=HERE, stdout=sys.stderr,
                          pass_fds=(tap,)).returncode


if __name__ == "__main__":
    sys.exit(main())
