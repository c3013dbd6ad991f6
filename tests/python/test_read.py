"""read(): every input the command reads, malformed lines, broken
documents and damaged gzip, as documented."""
import gzip
import io
import json
import os

import pytest

import cotlog
from conftest import DATA, run

R1 = os.path.join(DATA, "topology", "r1.jsonl")


def test_gzip_equals_plain(tmp_path):
    plain = list(cotlog.read(R1))
    gz = tmp_path / "r1.jsonl.gz"
    gz.write_bytes(gzip.compress(open(R1, "rb").read()))
    assert list(cotlog.read(str(gz))) == plain
    assert list(cotlog.read(gz)) == plain                    # PathLike
    assert list(cotlog.read(gz.read_bytes())) == plain       # bytes
    with open(gz, "rb") as f:
        assert list(cotlog.read(f)) == plain                 # file object
    assert [ln for ln, _, _ in plain] == list(range(1, len(plain) + 1))


def test_malformed_lines_and_documents():
    data = (b'{"response": "<think>a b</think>c"}\n'
            b'{"response": nope}\n'
            b'\n'
            b'["<think>x</think>y", {"text": "<think>z</think>w"}]\n'
            b'\xff\xfe\n')
    got = list(cotlog.read(data, name="mem"))
    assert [g[0] for g in got] == [1, 2, 4, 4, 5]
    assert got[0][2][0]["think"]["words"] == 2
    bad = got[1][2]
    assert isinstance(bad, cotlog.MalformedRecord) and not bad
    assert bad.line == 2 and bad.column > 0 and bad.code == -4
    assert got[1][1] == b'{"response": nope}'
    assert got[2][1] == b'"<think>x</think>y"'
    assert got[3][2][0]["think"]["words"] == 1
    assert isinstance(got[4][2], cotlog.MalformedRecord)
    # what `stats` counts as malformed, read() yields as MalformedRecord
    s = json.loads(run(["stats", "-q", "--json", "--fields", "closed"],
                       stdin=data, check=False)[1])
    assert s["malformed"] == sum(isinstance(g[2], cotlog.MalformedRecord)
                                 for g in got)
    # a multi-line document broken by a syntax error: its records before
    # the error, then one MalformedRecord, then nothing of the rest
    doc = b'[\n {"text": "<think>a</think>b"},\n {"text": oops},\n {}\n]\n'
    got = list(cotlog.read(doc))
    assert len(got) == 2 and got[0][2][0]["closed"] is True
    assert isinstance(got[1][2], cotlog.MalformedRecord) and got[1][1] == b""


def test_damaged_gzip(tmp_path):
    data = open(R1, "rb").read()
    gz = gzip.compress(data)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gz[:len(gz) * 2 // 3])
    got = []
    with pytest.raises(cotlog.InputError) as e:
        for item in cotlog.read(str(cut)):
            got.append(item)
    assert "cut.jsonl.gz" in str(e.value)
    # everything decoded before the damage came first, the line it cut
    # as MalformedRecord with code COT_EIO, as the command reports it
    assert got and isinstance(got[-1][2], cotlog.MalformedRecord)
    assert got[-1][2].code == -3
    full = list(cotlog.read(R1))
    assert got[:-1] == full[:len(got) - 1]


def test_open_errors(tmp_path):
    with pytest.raises(cotlog.InputError, match="nosuch"):
        list(cotlog.read(str(tmp_path / "nosuch.jsonl")))
    with pytest.raises(TypeError):
        list(cotlog.read(42))
    z = tmp_path / "x.zst"
    z.write_bytes(b"\x28\xb5\x2f\xfd" + b"\0" * 20)
    with pytest.raises(cotlog.InputError, match="decompress"):
        list(cotlog.read(str(z)))


def test_failed_record():
    # a pattern with nested quantifiers past its match budget
    az = cotlog.Analyzer(patterns=["slow=(a+)+$"], match_limit=1)
    line = json.dumps({"text": "<think>" + "a" * 3000 + "!</think>x"})
    got = list(cotlog.read(line.encode() + b"\n", analyzer=az))
    assert isinstance(got[0][2], cotlog.FailedRecord)
    assert got[0][2].code == -6
    with pytest.raises(cotlog.LimitError):
        az.profile_record(line)


def test_stdin_text_stream():
    # a text file object is read as UTF-8
    got = list(cotlog.read(io.StringIO('"<think>é</think>x"\n')))
    assert got[0][2][0]["think"]["chars"] == 1
