"""Summary gives what `cotlog stats` gives, byte for byte: JSON, TSV and
the table, with --by and --fields, its partials interoperating with
--partial and --merge both ways."""
import gzip
import os

import pytest

import cotlog
from conftest import SETS, DATA, files_of, note, run

SPLITS = [dict(), dict(by="format"), dict(by="file"),
          dict(fields="think.*,closed,status", by="correct")]


def cli_args(kw):
    args = []
    if "by" in kw:
        args += ["--by", kw["by"]]
    if "fields" in kw:
        args += ["--fields", kw["fields"]]
    return args


@pytest.mark.parametrize("which", SETS)
@pytest.mark.parametrize("kw", SPLITS, ids=lambda kw: ",".join(
    f"{k}={v}" for k, v in kw.items()) or "all")
def test_render_equals_stats(which, kw):
    files = files_of(which)
    s = cotlog.Summary(**kw)
    for f in files:
        s.add_file(f)
    for fmt, flag in (("json", ["--json"]), ("tsv", ["--tsv"]),
                      ("table", [])):
        want = run(["stats", "-q", *cli_args(kw), *flag, *files],
                   check=False)[1]
        assert s.render(fmt).encode() == want, fmt
    assert s.partial() == run(["stats", "-q", "--partial", *cli_args(kw),
                               *files], check=False)[1]
    note(f"{s.counts}")


def test_merge_any_split_and_partials_both_ways(tmp_path):
    files = files_of("data")
    whole = run(["stats", "-q", "--json", "--by", "format", *files],
                check=False)[1]
    # halves summarized apart, merged in both orders
    a = cotlog.Summary(by="format")
    b = cotlog.Summary(by="format")
    for k, f in enumerate(files):
        (a if k % 2 else b).add_file(f)
    ab = cotlog.Summary.from_partial(a.partial()).merge(b)
    ba = cotlog.Summary.from_partial(b.partial()).merge(a)
    assert ab.render("json").encode() == whole
    assert ba.render("json").encode() == whole
    # a Python partial merged by the command, and the command's read here
    pa = tmp_path / "a.partial"
    pa.write_bytes(a.partial())
    pb = run(["stats", "-q", "--partial", "--by", "format",
              *[f for k, f in enumerate(files) if k % 2 == 0]], check=False)[1]
    assert run(["stats", "--merge", "--json", str(pa), "-"],
               stdin=pb) == whole
    got = cotlog.Summary.from_partial(pb).merge(
        cotlog.Summary.from_partial(pa.read_bytes()))
    assert got.render("json").encode() == whole
    # a summary can be pickled (as its partial)
    import pickle
    assert pickle.loads(pickle.dumps(got)).render("json").encode() == whole


def test_gzip_stdin_name_and_malformed(tmp_path):
    data = open(os.path.join(DATA, "topology", "r1.jsonl"), "rb").read()
    bad = data + b"{not json\n\n" + data[:40] + b"\n"
    gz = tmp_path / "bad.jsonl.gz"
    gz.write_bytes(gzip.compress(bad))
    s = cotlog.Summary(by="file")
    s.add_file(str(gz))
    assert s.counts["malformed"] == 2
    want = run(["stats", "-q", "--json", "--by", "file", str(gz)],
               check=False)[1]
    assert s.render("json").encode() == want
    # bytes are named as the command names stdin when asked to
    m = cotlog.Summary(by="file")
    m.add_file(bad, name="<stdin>")
    assert m.render("json").encode() == run(
        ["stats", "-q", "--json", "--by", "file"], stdin=bad, check=False)[1]


def test_add_record_and_text():
    s = cotlog.Summary(fields="think.words,closed,correct", by="rec.model")
    t = cotlog.Summary(fields="think.words,closed,correct")
    lines = [b'{"model": "a", "response": "<think>2 + 2 = 4.</think>4"}',
             b'{"model": "b", "response": "<think>Wait, 3.</think>3"}']
    for line in lines:
        s.add_record(line)
    t.add_text("<think>2 + 2 = 4.</think>\\boxed{4}", reference="4")
    t.add_text("<think>x</think>\\boxed{5}", reference="4")
    want = run(["stats", "--json", "--fields", "think.words,closed,correct",
                "--by", "rec.model"], stdin=b"\n".join(lines) + b"\n")
    assert s.render("json").encode() == want
    j = t.json()
    assert j["traces"] == 2 and j["fields"]["correct"]["true"] == 1
    assert s.counts["records"] == 2 and s.groups == 2


def test_summary_errors():
    with pytest.raises(cotlog.InvalidArgument, match="nosuch"):
        cotlog.Summary(fields="nosuch")
    with pytest.raises(cotlog.ExpressionError) as e:
        cotlog.Summary(by="think.words +")
    assert e.value.column > 0
    with pytest.raises(cotlog.ParseError):
        cotlog.Summary.from_partial(b'{"a": 1}')
    with pytest.raises(cotlog.InvalidArgument):
        cotlog.Summary(ngram=2).merge(cotlog.Summary())
    with pytest.raises(cotlog.LimitError):
        s = cotlog.Summary(by="think.words", max_groups=2)
        s.add_file(os.path.join(DATA, "topology", "r1.jsonl"))
    with pytest.raises(cotlog.InvalidArgument):
        cotlog.Summary().render("html")
    # a by expression that fails on a value: the total only, as stats
    s = cotlog.Summary(by="rec.model + 1")
    s.add_record(b'{"model": "x", "response": "<think>a</think>b"}')
    assert s.counts["by_errors"] == 1 and len(s.by_errors) == 1
