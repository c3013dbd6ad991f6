"""Errors are Python exceptions carrying the library's message; loading
the library says where it looked; a library of another version is
refused."""
import os
import subprocess
import sys

import pytest

import cotlog
from conftest import DATA, SRC


def python(code, **env):
    e = dict(os.environ)
    e.update(env)
    e["PYTHONPATH"] = os.path.join(SRC, "python")
    return subprocess.run([sys.executable, "-c", code], env=e,
                          capture_output=True, text=True, timeout=120)


def test_hierarchy_and_messages():
    with pytest.raises(cotlog.InvalidArgument) as e:
        cotlog.Analyzer(field="a[")
    assert isinstance(e.value, cotlog.Error) and isinstance(e.value,
                                                            ValueError)
    assert e.value.code == -7 and e.value.column > 0 and e.value.message
    with pytest.raises(cotlog.PatternError, match="x"):
        cotlog.Analyzer(patterns=["x=("])
    with pytest.raises(cotlog.InvalidArgument, match="nosuch"):
        cotlog.Analyzer(fields="nosuch.*")
    with pytest.raises(cotlog.InvalidArgument):
        cotlog.Analyzer(untagged="maybe")
    with pytest.raises(cotlog.InputError):
        cotlog.Analyzer(tokenizer="/nonexistent/tokenizer.json")
    with pytest.raises(cotlog.ParseError):
        cotlog.Analyzer(tokenizer=os.path.join(
            DATA, "tokens", "refused", "byte-fallback.json"))
    az = cotlog.Analyzer()
    with pytest.raises(cotlog.ParseError) as e:
        az.profile_record(b'{"a": }')
    assert e.value.column == 7
    with pytest.raises(cotlog.InvalidArgument, match="UTF-8"):
        az.profile(b"<think>\xff</think>", replace_invalid=False)
    assert az.profile(b"<think>\xff</think>")["think"]["chars"] == 1
    with pytest.raises(cotlog.ExpressionError) as e:
        az.where("think.words >")
    assert e.value.column > 0
    with pytest.raises(TypeError):
        az.profile(12)
    with pytest.raises(TypeError):     # not read as empty text
        az.profile(None)


def test_expression_values_and_filter():
    az = cotlog.Analyzer()
    e = az.where("think.words > 2")
    assert e.values('{"text": "<think>a b c</think>d"}') == [True]
    assert e.values({"n": 1}) == [None]     # no trace: the record alone
    assert e.holds(b'["<think>a</think>", "<think>a b c</think>"]')
    assert not e.holds(b'["<think>a</think>", "<think>a b c</think>"]',
                       mode="all")
    assert az.where("rec.n").values({"n": 3}) == [3]
    with pytest.raises(cotlog.ExpressionError):
        az.where("rec.n + 1").values({"n": "x"})


def test_library_not_found_says_where():
    r = python("import cotlog", COTLOG_LIBRARY="/nonexistent/libcotlog.so.1")
    assert r.returncode != 0
    assert "LibraryNotFound" in r.stderr and "/nonexistent" in r.stderr
    env = {"PKG_CONFIG_PATH": "/nonexistent", "LD_LIBRARY_PATH": ""}
    r = subprocess.run(
        [sys.executable, "-c", "import cotlog"], capture_output=True,
        text=True, env={**{k: v for k, v in os.environ.items()
                           if k != "COTLOG_LIBRARY"}, **env,
                        "PYTHONPATH": os.path.join(SRC, "python")})
    if r.returncode == 0:
        pytest.skip("a libcotlog is installed where the linker looks")
    for where in ("COTLOG_LIBRARY: not set", "pkg-config",
                  "find_library", "libcotlog.so.1"):
        assert where in r.stderr, where


def test_version_mismatch(tmp_path):
    """A copy of the package that expects another version refuses this
    library, naming both."""
    import shutil
    shutil.copytree(os.path.join(SRC, "python", "cotlog"),
                    tmp_path / "cotlog")
    lib = tmp_path / "cotlog" / "_lib.py"
    text = lib.read_text()
    assert 'EXPECTED_VERSION = "0.2"' in text
    lib.write_text(text.replace('EXPECTED_VERSION = "0.2"',
                                'EXPECTED_VERSION = "9.9"'))
    e = dict(os.environ, PYTHONPATH=str(tmp_path))
    r = subprocess.run([sys.executable, "-c", "import cotlog"], env=e,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "VersionMismatch" in r.stderr
    assert "is libcotlog 0.2." in r.stderr
    assert "this Python package is for 9.9.x" in r.stderr
    assert cotlog.version.startswith("0.2.")
    assert cotlog.library_path == os.environ["COTLOG_LIBRARY"]


def test_help_documents_the_api():
    import pydoc
    text = pydoc.render_doc(cotlog, renderer=pydoc.plaintext)
    for name in ("Analyzer", "read", "Summary", "rewards", "profile",
                 "COTLOG_LIBRARY"):
        assert name in text, name
