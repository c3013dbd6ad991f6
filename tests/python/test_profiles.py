"""Every profile the package gives equals the command's: read() and
profile_record() against `cotlog annotate` on every record of the
fixtures and the corpus; profile() against the record {"text": ...} it
stands for; fields= against --fields; annotate() byte for byte."""
import json
import os

import pytest

import cotlog
from conftest import SETS, DATA, files_of, note, run


def annotated(path, *args):
    """The "cot" lists `cotlog annotate` adds, in record order (records
    that are not objects give None), read back with cotlog.read."""
    out = run(["annotate", "-q", *args, path], check=False)[1]
    got = []
    for _, rec, _ in cotlog.read(out, fields="status"):
        v = json.loads(rec)
        got.append(v["cot"] if isinstance(v, dict) else None)
    return got


@pytest.mark.parametrize("which", SETS)
def test_read_equals_annotate(which):
    az = cotlog.Analyzer()
    traces = 0
    for path in files_of(which):
        want = annotated(path)
        got = [p for _, _, p in cotlog.read(path, analyzer=az)]
        assert len(got) == len(want), path
        for k, (g, w) in enumerate(zip(got, want)):
            if w is None:
                continue
            assert g == w, f"{path}: record {k}"
            traces += len(g)
    note(f"{traces} traces compared")
    assert traces > 0


@pytest.mark.parametrize("which", SETS)
def test_profile_record_equals_annotate(which):
    az = cotlog.Analyzer()
    n = 0
    for path in files_of(which):
        for (_, rec, profiles) in cotlog.read(path, analyzer=az):
            if not isinstance(profiles, list):
                continue
            assert az.profile_record(rec) == profiles
            if rec.startswith(b"{"):
                assert az.profile_record(json.loads(rec)) == profiles
            n += 1
    note(f"{n} records")


@pytest.mark.parametrize("which", SETS)
def test_profile_equals_text_record(which, tmp_path):
    """profile(text, reference=, finish_reason=, model=) is the profile
    of {"text": text, "ground_truth": ref, "finish_reason": ...,
    "model": ...} in the command (but its format, "string"), for every
    reasoning and answer of the input made into a completion text."""
    az = cotlog.Analyzer()
    cases = []
    for path in files_of(which):
        for (_, rec, profiles) in cotlog.read(path, analyzer=az):
            if not profiles:
                continue
            res = az._thread().res.ptr
            for i, p in enumerate(profiles):
                think = _text(res, i, "reasoning")
                ans = _text(res, i, "answer")
                text = f"<think>\n{think}\n</think>\n{ans}"
                cases.append((text, p["ref"], p["finish_reason"],
                              p["model"]))
                if (think + ans).strip():
                    # (an empty text field is no trace; profile()
                    # makes one of any text)
                    cases.append((think + ans, None, None, None))
    lines = []
    for text, ref, fin, model in cases:
        rec = {"text": text}
        for k, v in (("ground_truth", ref), ("finish_reason", fin),
                     ("model", model)):
            if v is not None:
                rec[k] = v
        lines.append(json.dumps(rec))
    f = tmp_path / "texts.jsonl"
    f.write_text("\n".join(lines) + "\n")
    want = annotated(str(f))
    assert len(want) == len(cases)
    for (text, ref, fin, model), w in zip(cases, want):
        # the one difference the header documents: a text analysed
        # alone is of format "string" (the record's is "text")
        assert w[0]["format"] == "text"
        w[0]["format"] = "string"
        assert [az.profile(text, reference=ref, finish_reason=fin,
                           model=model)] == w
    note(f"{len(cases)} texts")


def _text(res, i, which):
    import ctypes
    from cotlog import _lib as L
    n = ctypes.c_size_t()
    fn = L.lib.cot_result_reasoning if which == "reasoning" else \
        L.lib.cot_result_answer
    fn.restype = ctypes.c_void_p
    fn.argtypes = [ctypes.c_void_p, ctypes.c_size_t,
                   ctypes.POINTER(ctypes.c_size_t)]
    p = fn(res, i, ctypes.byref(n))
    return ctypes.string_at(p, n.value).decode("utf-8", "replace") \
        if n.value else ""


def test_fields_selection_equals_annotate_fields():
    path = os.path.join(DATA, "topology", "r1.jsonl")
    for sel in ("think.*,status", ["closed", "families.*.count"],
                "reward.*,correct,repeat.ngram"):
        az = cotlog.Analyzer(fields=sel)
        arg = sel if isinstance(sel, str) else ",".join(sel)
        want = annotated(path, "--fields", arg)
        got = [p for _, _, p in cotlog.read(path, analyzer=az)]
        assert got == want
        assert az.match_fields(sel) == sorted(set(az.match_fields(sel)))


def test_options_equal_command_options(tmp_path):
    """Analyzer options reach the library as the command's do."""
    pat = tmp_path / "p.txt"
    pat.write_text("mine  custom  \\bhmm\\b\n")
    path = os.path.join(DATA, "topology", "distill.jsonl")
    for kw, args in (
            (dict(ngram=2), ["--ngram", "2"]),
            (dict(target_script="Han"), ["--target-script", "Han"]),
            (dict(patterns=["wow=\\bwow\\b"], no_builtin_patterns=True),
             ["--pattern", "wow=\\bwow\\b", "--no-builtin-patterns"]),
            (dict(patterns_file=str(pat)), ["--patterns", str(pat)]),
            (dict(untagged="answer"), ["--untagged", "answer"]),
            (dict(tokenizer=os.path.join(DATA, "tokens", "tiny.json")),
             ["--tokenizer", os.path.join(DATA, "tokens", "tiny.json")])):
        az = cotlog.Analyzer(**kw)
        got = [p for _, _, p in cotlog.read(path, analyzer=az)]
        assert got == annotated(path, *args), kw


def test_annotate_bytes_equal_command():
    for path in files_of("data"):
        with open(path, "rb") as f:
            data = f.read()
        assert cotlog.Analyzer().annotate(data) == run(
            ["annotate", "-q", path], check=False)[1], path
    az = cotlog.Analyzer(fields="think.words")
    data = b'{"a": 1}\n{}\nnot json\n\n["<think>x</think>y", {"r": "z"}]\r\n'
    p = os.path.join(os.environ.get("TMPDIR", "/tmp"), "cotlog-py-ann.jsonl")
    with open(p, "wb") as f:
        f.write(data)
    try:
        assert az.annotate(data, key="k\n") == run(
            ["annotate", "-q", "--key", "k\n", "--fields", "think.words", p],
            check=False)[1]
    finally:
        os.unlink(p)


def test_registry():
    az = cotlog.Analyzer()
    fields = az.fields
    names = [f.name for f in fields]
    want = [json.loads(l) for l in run(["fields", "--json"]).splitlines()]
    assert [(f.name, f.type, f.unit, f.doc) for f in fields] == \
        [(w["name"], w["type"], w["unit"], w["doc"]) for w in want]
    p = az.profile("<think>a b c</think>d")
    assert cotlog.get(p, "think.words") == 3
    assert cotlog.get(p, "reward.tag_count") == p["reward"]["tag_count"]
    assert all(f.type in ("bool", "int", "real", "string", "json")
               for f in fields)
