"""`pip install ./python` into fresh virtual environments, offline
(PIP_NO_INDEX: pip may not reach an index), with every Python 3 here
(meson's and Debian's /usr/bin/python3); then the README's Python
example runs in it and prints what the command prints."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import SRC, note, run


def interpreters():
    out = {}
    for exe in (os.environ.get("COTLOG_TEST_PYTHON"), sys.executable,
                shutil.which("python3"), "/usr/bin/python3"):
        if exe and os.path.exists(exe):
            out.setdefault(os.path.realpath(exe), exe)
    return list(out.values())


def readme_example():
    text = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    section = text[text.index("\n## Python\n"):]
    section = section[:section.index("\n## ", 1)]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.parametrize("exe", interpreters())
def test_pip_install_offline_and_readme_example(exe, tmp_path):
    venv = tmp_path / "venv"
    r = subprocess.run([exe, "-m", "venv", str(venv)], capture_output=True,
                       text=True, timeout=300)
    if r.returncode != 0:
        pytest.skip(f"{exe} -m venv fails (Debian: python3-venv): "
                    f"{r.stderr.strip()[-200:]}")
    env = {k: v for k, v in os.environ.items() if k not in
           ("PYTHONPATH", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL")}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    # a copy, so that nothing pip writes lands in the source tree
    src = tmp_path / "python"
    shutil.copytree(os.path.join(SRC, "python"), src,
                    ignore=shutil.ignore_patterns("__pycache__"))
    r = subprocess.run([str(venv / "bin" / "pip"), "install", "./python"],
                       cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run([str(venv / "bin" / "python"), "-c",
                        readme_example()], cwd=SRC, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    stats = run(["stats", "--by", "format", "--fields", "think.words,closed",
                 os.path.join(SRC, "examples", "traces.jsonl")]).decode()
    assert r.stdout.endswith(stats)
    v = subprocess.run([str(venv / "bin" / "python"), "-c",
                        "import cotlog, sys; print(cotlog.__file__, "
                        "sys.version.split()[0])"], env=env, cwd=tmp_path,
                       capture_output=True, text=True)
    assert str(venv) in v.stdout
    note(f"{exe}: {v.stdout.strip()}")
