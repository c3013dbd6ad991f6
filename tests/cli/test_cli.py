#!/usr/bin/env python3
"""test_cli.py - end-to-end tests of the cotlog command (TAP output).

Usage: test_cli.py COTLOG SRCDIR. Each case runs the real binary on real
bytes and checks exit status, stdout byte for byte where it is fixed, and
stderr messages. The corpus cases read ../shared/corpus (COTLOG_CORPUS)
and are skipped when it is absent."""
import gzip
import json
import os
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402


from tap import (  # noqa: E402
    COTLOG, SAMPLE, SRC, TMP, all_files, case, corpus_case, main, run,
    shaped_files, tmpfile)


def strip_annotations(inp, out, key=b"cot"):
    """Check that out is inp with only '"KEY":[...]' insertions, each
    right before a '}' of the input (with a ',' unless the object was
    empty). Returns the list of inserted profile arrays."""
    found = []
    i = o = 0
    dec = json.JSONDecoder()
    ins = b',"' + key + b'":'
    ins_empty = b'"' + key + b'":'
    while i < len(inp) or o < len(out):
        if i < len(inp) and o < len(out) and inp[i] == out[o]:
            i += 1
            o += 1
            continue
        assert i < len(inp) and inp[i:i + 1] == b"}", \
            f"difference at input byte {i}, output byte {o}"
        if out.startswith(ins, o):
            o += len(ins)
        elif out.startswith(ins_empty, o):
            o += len(ins_empty)
        else:
            raise AssertionError(f"unexpected bytes at output {o}: "
                                 f"{out[o:o + 40]!r}")
        # the profiles end before the line does (what follows may be a
        # line cut inside a character)
        nl = out.find(b"\n", o)
        rest = out[o:nl if nl >= 0 else len(out)].decode("utf-8")
        arr, end = dec.raw_decode(rest)
        assert isinstance(arr, list)
        assert "\n" not in rest[:end]
        found.append(arr)
        o += len(rest[:end].encode("utf-8"))
    return found


# ---- the command itself -------------------------------------------------

@case
def help_and_version():
    rc, out, _ = run(["--help"])
    assert rc == 0 and b"annotate" in out and b"fields" in out
    rc, out, _ = run(["--version"])
    assert rc == 0 and out.startswith(b"cotlog 0.")
    rc, out, _ = run(["annotate", "--help"])
    assert rc == 0 and b"--field PATH" in out and b"Exit status" in out
    rc, out, _ = run(["fields", "--help"])
    assert rc == 0 and b"--json" in out


@case
def usage_errors_exit_2():
    for args, msg in ((["nosuch"], b"unknown command 'nosuch'"),
                      ([], b"no command given"),
                      (["annotate", "--bogus"], b"unknown option"),
                      (["annotate", "--untagged", "x"], b"--untagged"),
                      (["annotate", "--field", "a..b"],
                       b"invalid path 'a..b'")):
        rc, out, err = run(args)
        assert rc == 2, (args, rc)
        assert msg in err, (args, err)
        assert out == b""


@case
def fields_lists_the_registry():
    rc, out, _ = run(["fields", "--json"])
    assert rc == 0
    rows = [json.loads(line) for line in out.splitlines()]
    names = [r["name"] for r in rows]
    for want in ("format", "index", "tagged", "closed", "think.bytes",
                 "think.chars", "think.words", "answer.bytes",
                 "answer.chars", "answer.words", "steps",
                 "answer_extracted"):
        assert want in names, want
    assert all(len(r["doc"]) > 20 for r in rows)
    # the README documents every field
    readme = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    for n in names:
        assert f"`{n}`" in readme, f"README lacks field {n}"


# ---- annotate on the sample --------------------------------------------

@case
def annotate_sample_line_for_line():
    inp = open(SAMPLE, "rb").read()
    rc, out, err = run(["annotate", SAMPLE])
    assert rc == 0, err
    assert out.count(b"\n") == inp.count(b"\n")
    arrays = strip_annotations(inp, out)
    # 13 object records (one line is a JSON string), one with no trace
    assert len(arrays) == 13
    assert sum(len(a) for a in arrays) == 13
    assert [] in arrays
    formats = [p["format"] for a in arrays for p in a]
    for f in ("openai-chat", "anthropic", "gemini", "openai-responses",
              "message", "openr1", "sharegpt", "text", "chat"):
        assert f in formats, f


@case
def annotate_profiles_match_reference():
    """Every tagged text of the sample, recomputed independently."""
    _, out, _ = run(["annotate", SAMPLE])
    lines = out.decode().splitlines()
    rec = json.loads(lines[8])      # the R1-Zero <answer> record
    text = rec["response"]
    sp = reference.split(text)
    prof = rec["cot"][0]
    want = reference.profile(sp["reasoning"], sp["answer"])
    for k, v in want.items():
        a, b = k.split(".") if "." in k else (k, None)
        got = prof[a][b] if b else prof[a]
        assert got == v, (k, got, v)
    assert prof["dialect"] == "think" and prof["closed"] is True
    assert prof["ref"] == "2" and prof["label"] is True
    openr1 = json.loads(lines[6])["cot"]
    assert [p["prefilled"] for p in openr1] == [True, False]
    assert [p["answer_extracted"] for p in openr1] == ["42", "42"]
    assert openr1[1]["think_blocks"] == 1
    anth = json.loads(lines[2])["cot"][0]
    assert anth["redacted"] == 1 and anth["finish_reason"] == "end_turn"


@case
def annotate_key_option_and_stats():
    rc, out, err = run(["annotate", "--key", "prof\"x", "--stats", SAMPLE])
    assert rc == 0
    strip_annotations(open(SAMPLE, "rb").read(), out, key=b'prof\\"x')
    assert b"records 14, traces 14, no_trace 1, tool_only 0, malformed 0" \
        in err, err


@case
def annotate_stdin_and_several_files():
    inp = open(SAMPLE, "rb").read()
    _, one, _ = run(["annotate", SAMPLE])
    rc, out, _ = run(["annotate"], stdin=inp)
    assert rc == 0 and out == one
    rc, out, _ = run(["annotate", "-", SAMPLE], stdin=inp)
    assert rc == 0 and out == one + one


# ---- input forms -------------------------------------------------------

@case
def gzip_single_and_multi_member():
    inp = open(SAMPLE, "rb").read()
    _, plain, _ = run(["annotate", SAMPLE])
    gz = tmpfile("s.jsonl.x", gzip.compress(inp))   # name says nothing
    rc, out, _ = run(["annotate", gz])
    assert rc == 0 and out == plain
    half = inp.index(b"\n", len(inp) // 2) + 1
    multi = gzip.compress(inp[:half]) + gzip.compress(inp[half:]) + \
        b"\0" * 1024
    rc, out, _ = run(["annotate", tmpfile("m.gz", multi)])
    assert rc == 0 and out == plain


@case
def gzip_truncated_keeps_decoded_records():
    """A damaged gzip stream: everything decoded is written back, the
    line the damage cut as it was decoded (reported, not analysed), then
    the error; exit 2. Cut at every offset of the last kilobyte, the
    output is exactly what zlib decodes of the cut file, with profiles
    added to the whole records."""
    inp = open(SAMPLE, "rb").read() * 4
    gz = gzip.compress(inp)
    assert len(gz) > 1024
    for cut in range(len(gz) - 1024, len(gz)):
        path = tmpfile("t.gz", gz[:cut])
        rc, out, err = run(["annotate", "--fields", "status", path])
        assert rc == 2, (cut, rc, err)
        assert b"truncated" in err and path.encode() in err, err
        decoded = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(
            gz[:cut])
        strip_annotations(decoded, out)
        partial = not decoded.endswith(b"\n")
        assert (b"incomplete)" in err) == partial, (cut, err)
        assert (b"line cut short where the input is damaged" in err) == \
            partial, (cut, err)
    rc, out, err = run(["annotate", tmpfile("g.gz", gz + b"garbage")])
    assert rc == 2 and b"trailing" in err


@case
def other_compressions_are_one_error():
    for name, magic in (("zstd", b"\x28\xb5\x2f\xfd"),
                        ("xz", b"\xfd7zXZ\x00"), ("bzip2", b"BZh9")):
        p = tmpfile("c." + name, magic + b"\x00" * 100 + b"\n" * 50)
        rc, out, err = run(["annotate", p])
        assert rc == 2, name
        assert err.count(b"\n") == 1 and name.encode() in err, err
        assert out == b""


@case
def malformed_lines_reported_and_kept():
    inp = (b'{"response":"<think>a</think>b"}\n'
           b'{"bad": NaN}\n'
           b'not json at all\n'
           b'\n'
           b'{"x": [1,2,]}\n'
           b'{"t":"\xff"}\n'
           b'{"a":1} {"b":2}\n'
           b'{"response":"ok"}\n')
    p = tmpfile("bad.jsonl", inp)
    rc, out, err = run(["annotate", p])
    assert rc == 4, rc
    lines_in = inp.split(b"\n")
    lines_out = out.split(b"\n")
    assert len(lines_in) == len(lines_out)
    for n in (2, 3, 4, 5, 6, 7):
        assert lines_out[n - 1] == lines_in[n - 1], n
    for n in (2, 3, 5, 6, 7):
        assert f"{p}:{n}: malformed JSON".encode() in err, (n, err)
    assert err.count(b"\n") == 5
    assert b"column" in err
    rc, out, err = run(["annotate", "--strict", p])
    assert rc == 4 and out.count(b"\n") == 2 and err.count(b"\n") == 1
    rc, out, err = run(["annotate", "-q", p])
    assert rc == 4 and err == b""


@case
def missing_file_then_next_file():
    rc, out, err = run(["annotate", os.path.join(TMP, "nope.jsonl"),
                        SAMPLE])
    assert rc == 2
    assert b"nope.jsonl: No such file or directory" in err
    assert out.count(b"\n") == open(SAMPLE, "rb").read().count(b"\n")
    rc, _, err = run(["annotate", TMP])
    assert rc == 2 and b"Is a directory" in err


@case
def bom_crlf_no_final_newline_preserved():
    inp = (b'\xef\xbb\xbf{"response":"<think>x\\ny</think>z"}\r\n'
           b'\r\n'
           b'{"response":"q"}')
    rc, out, _ = run(["annotate", tmpfile("crlf.jsonl", inp)])
    assert rc == 0
    arrays = strip_annotations(inp, out)
    assert len(arrays) == 2 and arrays[0][0]["think"]["bytes"] == 3


@case
def pretty_documents_stream_line_for_line():
    for name in ("responses.json",):
        path = os.path.join(SRC, "examples", name)
        inp = open(path, "rb").read()
        rc, out, err = run(["annotate", path])
        assert rc == 0, err
        assert out.count(b"\n") == inp.count(b"\n")
        arrays = strip_annotations(inp, out)
        assert [len(a) for a in arrays] == [1, 1, 0]
        doc = json.loads(out)
        assert doc[1]["cot"][0]["prefilled"] is True
        assert doc[2] == {"cot": []}


@case
def array_per_line_and_keyed_dump():
    inp = (b'[{"response":"a</think>b"}, {"text":"c"}, 5, "<think>d"]\n'
           b'{"p1": {"responses": {"0.7": {"content": "x", '
           b'"correctness": true}}, "answer": "x"}, '
           b'"p2": {"response": "y"}}\n')
    rc, out, _ = run(["annotate", tmpfile("arr.jsonl", inp)])
    assert rc == 0
    arrays = strip_annotations(inp, out)
    assert [len(a) for a in arrays] == [1, 1, 2]
    keyed = arrays[2]
    assert keyed[0]["format"] == "skythought" and keyed[0]["label"] is True
    assert keyed[0]["ref"] == "x" and keyed[1]["index"] == 1


@case
def document_syntax_error_exits_4_keeps_bytes():
    inp = b'[\n  {"response": "a"},\n  {"response": "b"},\n]\n'
    rc, out, err = run(["annotate", tmpfile("trail.json", inp)])
    assert rc == 4
    assert b"trail.json:4:" in err and b"trailing comma" in err
    arrays = strip_annotations(inp, out)
    assert len(arrays) == 2     # both records end before the error


@case
def field_options_end_to_end():
    inp = (b'{"a":{"b":[{"t":"<think>r1</think>x"},{"t":"r2"}]},'
           b'"gold":7,"ans":["A","B"]}\n')
    p = tmpfile("f.jsonl", inp)
    rc, out, _ = run(["annotate", "--field", "a.b[*].t",
                      "--ref-field", "gold", p])
    assert rc == 0
    cot = json.loads(out)["cot"]
    assert [c["think"]["bytes"] for c in cot] == [2, 2]
    assert [c["format"] for c in cot] == ["field", "field"]
    assert cot[0]["ref"] == "7" and cot[1]["tagged"] is False
    rc, out, _ = run(["annotate", "--field", "a.b[-1].t",
                      "--answer-field", "ans[-1]", p])
    cot = json.loads(out)["cot"]
    assert len(cot) == 1 and cot[0]["answer"]["bytes"] == 1
    rc, out, _ = run(["annotate", "--untagged", "answer", "--field",
                      "a.b[1].t", p])
    cot = json.loads(out)["cot"]
    assert cot[0]["think"]["bytes"] == 0 and cot[0]["answer"]["bytes"] == 2


# ---- pipes, disks, sizes ------------------------------------------------

@case
def closed_pipe_stops_quietly():
    big = tmpfile("big.jsonl", open(SAMPLE, "rb").read() * 20000)
    p = subprocess.run(f"'{COTLOG}' annotate '{big}' | head -1 >/dev/null;"
                       " echo ${PIPESTATUS[0]}", shell=True,
                       executable="/bin/bash", capture_output=True,
                       timeout=600)
    assert p.stdout.strip() == b"0", p.stdout
    assert p.stderr == b"", p.stderr


@case
def write_error_exits_2():
    if not os.path.exists("/dev/full"):
        return "skip no /dev/full"
    with open("/dev/full", "wb") as full:
        p = subprocess.run([COTLOG, "annotate", SAMPLE], stdout=full,
                           stderr=subprocess.PIPE, timeout=60)
    assert p.returncode == 2 and b"write error" in p.stderr, p.stderr


@case
def hundred_megabyte_line():
    n = 100 * 1000 * 1000
    path = os.path.join(TMP, "huge.jsonl")
    with open(path, "wb") as f:
        f.write(b'{"response":"<think>')
        chunk = b"word \\n" * 100000          # 700 kB of source text
        written = 0
        while written + len(chunk) <= n:
            f.write(chunk)
            written += len(chunk)
        f.write(b'</think>\\\\boxed{7}"}\n')
    rc, out, err = run(["annotate", path])
    assert rc == 0, err
    # the profile is what annotate added after the input's bytes
    tail = out[out.rindex(b'"cot":') + 6:-2].decode()
    prof = json.loads(tail)[0]
    words = written // 7
    assert prof["think"]["words"] == words, prof
    assert prof["think"]["bytes"] == words * 6
    assert prof["steps"] == 1 and prof["answer_extracted"] == "7"
    os.unlink(path)


# ---- the real corpus, and the fixtures of its shapes -----------------------

@corpus_case
def corpus_annotates_every_file(root, fixtures):
    files = all_files(root)
    assert len(files) >= 20, files
    for path in files:
        inp = open(path, "rb").read()
        rc, out, err = run(["annotate", path])
        assert rc == 0, (path, rc, err[:300])
        assert out.count(b"\n") == inp.count(b"\n"), path
        strip_annotations(inp, out)


@corpus_case
def corpus_core_fields_match_reference(root, fixtures):
    checked = 0
    for path, shape in shaped_files(root):
        _, out, _ = run(["annotate", path])
        for line in out.decode().splitlines():
            rec = json.loads(line)
            prof = rec["cot"][0]
            r, a = reference.record_texts(rec, shape)
            want = reference.profile(r, a)
            for k, v in want.items():
                a1, _, b1 = k.partition(".")
                got = prof[a1][b1] if b1 else prof[a1]
                assert got == v, (path, k, got, v)
            checked += 1
    assert checked >= (60 if fixtures else 1000), checked


# ---- -o FILE.gz ------------------------------------------------------------

@case
def output_named_gz_is_gzip():
    """-o and --rejects with a name ending in .gz write a gzip stream
    (what zcat reads back), through a temporary file as ever; any other
    name gets the plain bytes."""
    rc, plain, _ = run(["filter", "--where", "closed", SAMPLE])
    rc, dropped, _ = run(["filter", "-v", "--where", "closed", SAMPLE])
    assert rc == 0 and plain and dropped
    d = os.path.join(TMP, "gz-out")
    os.mkdir(d)
    out = os.path.join(d, "kept.jsonl.gz")
    rej = os.path.join(d, "dropped.jsonl.gz")
    for jobs in ("1", "2"):
        rc, _, err = run(["filter", "-j", jobs, "--where", "closed", "-o",
                          out, "--rejects", rej, SAMPLE])
        assert rc == 0, err
        with open(out, "rb") as f:
            assert f.read(2) == b"\x1f\x8b"
        assert gzip.decompress(open(out, "rb").read()) == plain
        assert gzip.decompress(open(rej, "rb").read()) == dropped
        zcat = subprocess.run(["zcat", out], capture_output=True)
        assert zcat.returncode == 0 and zcat.stdout == plain
        # no temporary file left behind
        assert sorted(os.listdir(d)) == ["dropped.jsonl.gz",
                                         "kept.jsonl.gz"], os.listdir(d)
    # more than the 1 MiB buffer, and the empty output: still gzip
    big = os.path.join(d, "big.jsonl")
    with open(big, "wb") as f:
        f.write(open(SAMPLE, "rb").read() * 600)
    rc, want, _ = run(["filter", "--where", "true", big])
    rc, _, err = run(["filter", "--where", "true", "-o", out, big])
    assert rc == 0 and len(want) > 1 << 20, err
    assert gzip.decompress(open(out, "rb").read()) == want
    rc, _, _ = run(["filter", "--where", "false", "-o", out, SAMPLE])
    assert rc == 0 and gzip.decompress(open(out, "rb").read()) == b""
    plain_out = os.path.join(d, "kept.jsonl")
    rc, _, _ = run(["filter", "--where", "closed", "-o", plain_out, SAMPLE])
    assert rc == 0 and open(plain_out, "rb").read() == plain
    for name in os.listdir(d):
        os.remove(os.path.join(d, name))
    os.rmdir(d)



@case
def every_command_listing_jobs_takes_its_short_form():
    """A command whose --help lists "-j, --jobs" takes both spellings,
    with the same result (show and steps once refused -j)."""
    rc, out, _ = run(["--help"])
    commands = [line.split()[0] for line in out.decode().splitlines()
                if line.startswith("  ") and line.split()]
    extra = {"filter": ["--where", "true"],
             "tokens": ["--tokenizer", os.path.join(SRC, "tests", "data",
                                                    "tokens", "tiny.json")]}
    checked = []
    for cmd in commands:
        _, text, _ = run([cmd, "--help"])
        if b"-j, --jobs" not in text:
            continue
        args = extra.get(cmd, []) + [SAMPLE]
        short = run([cmd, "-j", "2"] + args)
        long = run([cmd, "--jobs", "2"] + args)
        assert short[0] != 2 and short[:2] == long[:2], (cmd, short[2])
        checked.append(cmd)
    assert {"annotate", "show", "steps", "stats", "report"} <= \
        set(checked), checked


# ---- runner -------------------------------------------------------------


main()
