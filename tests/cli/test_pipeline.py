#!/usr/bin/env python3
"""test_pipeline.py - end-to-end tests of filter and the pipeline
behaviours (exit statuses, byte-exact output, counts, pipes, -o, -j).

Usage: test_pipeline.py COTLOG SRCDIR (TAP output)."""
import gzip
import json
import os
import pty
import select
import subprocess
import time

from tap import (
    COTLOG, SAMPLE, SRC, TMP, case, corpus_case, main, run, tmpfile,
    read_pty)

PRETTY = os.path.join(SRC, "examples", "responses.json")


def counts(err):
    """kept, rejected, malformed, records from --stats."""
    line = [l for l in err.decode().splitlines() if l.startswith("kept")][0]
    parts = dict(p.strip().rsplit(" ", 1) for p in line.split(","))
    return {k: int(v) for k, v in parts.items()}


MIXED = (b'{"response":"<think>a b c</think>x"}\n'
         b'{"response":"<think>one</think>y","model":"m1"}\r\n'
         b'\n'
         b'{"bad": NaN}\n'
         b'[{"response":"<think>p q</think>"}, {"text":"no tags here"}, 7]\n'
         b'{"generations":["<think>a</think>1","<think>a b c d</think>2"]}\n'
         b'{"note":"no trace"}\n'
         b'"<think>string record</think>"\n'
         b'{"response":"last line, no newline"}')


@case
def filter_keeps_bytes_and_counts():
    p = tmpfile("mixed.jsonl", MIXED)
    rc, out, err = run(["filter", "--where", "think.words >= 2", "--stats",
                        p])
    assert rc == 4, (rc, err)      # the NaN line is malformed
    c = counts(err)
    assert c["kept"] + c["rejected"] + c["malformed"] == c["records"]
    assert c == {"kept": 6, "rejected": 3, "malformed": 1, "records": 10}, c
    lines = out.split(b"\n")
    assert lines[0] == b'{"response":"<think>a b c</think>x"}'
    assert lines[1] == b'{"response":"<think>p q</think>"}'
    assert lines[2] == b'{"text":"no tags here"}'   # untagged: reasoning
    assert lines[3].startswith(b'{"generations"')
    assert lines[4] == b'"<think>string record</think>"'
    assert lines[5] == b'{"response":"last line, no newline"}'
    assert out.endswith(b"\n")


@case
def filter_counts_hold_in_every_mode():
    p = tmpfile("mixed2.jsonl", MIXED)
    for extra in ([], ["--all"], ["--per-trace"], ["-v"], ["--all", "-v"],
                  ["--per-trace", "-v"]):
        for where in ("think.words >= 2", "true", "false",
                      "rec.model == \"m1\""):
            rc, out, err = run(["filter", "--where", where, "--stats",
                                "--rejects", os.path.join(TMP, "rj")] +
                               extra + [p])
            c = counts(err)
            assert c["kept"] + c["rejected"] + c["malformed"] == \
                c["records"] == 10, (extra, where, c)
            rej = open(os.path.join(TMP, "rj"), "rb").read()
            # each rejected record and each malformed line is one line
            assert rej.count(b"\n") == c["rejected"] + c["malformed"], \
                (extra, where, rej)
            if "--per-trace" not in extra:
                assert out.count(b"\n") == c["kept"]


@case
def filter_all_any_per_trace():
    p = tmpfile("gens.jsonl",
                b'{"generations":["<think>a</think>","<think>a b</think>"]}'
                b'\n')
    _, out, _ = run(["filter", "--where", "think.words == 2", p])
    assert out.count(b"\n") == 1
    _, out, _ = run(["filter", "--all", "--where", "think.words == 2", p])
    assert out == b""
    _, out, _ = run(["filter", "--all", "--where", "think.words >= 1", p])
    assert out.count(b"\n") == 1
    _, out, _ = run(["filter", "--per-trace", "--where", "think.words >= 1",
                     p])
    recs = [json.loads(l) for l in out.splitlines()]
    assert [r["cot_trace"] for r in recs] == [0, 1]
    _, out, _ = run(["filter", "--per-trace", "--key", "i", "--where",
                     "index == 1", p])
    assert json.loads(out)["i"] == 1


@case
def filter_array_and_document_records_become_lines():
    rc, out, _ = run(["filter", "--where", "true", PRETTY])
    assert rc == 0
    lines = out.decode().splitlines()
    assert len(lines) == 3
    doc = json.load(open(PRETTY))
    assert [json.loads(l) for l in lines] == doc
    assert all("\n" not in l for l in lines)


@case
def filter_gzip_and_stdin():
    _, plain, _ = run(["filter", "--where", "closed", SAMPLE])
    data = open(SAMPLE, "rb").read()
    rc, out, _ = run(["filter", "--where", "closed", "-"],
                     stdin=gzip.compress(data))
    assert rc == 0 and out == plain and plain


@case
def expression_errors_exit_3_with_caret():
    rc, out, err = run(["filter", "--where", "think.wrods < 5", SAMPLE])
    assert rc == 3 and out == b""
    text = err.decode().splitlines()
    assert "did you mean 'think.words'" in text[0]
    assert text[1] == "  think.wrods < 5" and text[2] == "  ^"
    rc, _, err = run(["filter", "--where", "format == 3", SAMPLE])
    assert rc == 3 and b"cannot compare a string with a number" in err
    assert err.decode().splitlines()[2] == "         ^"
    rc, _, err = run(["filter", SAMPLE])
    assert rc == 2 and b"--where EXPR is required" in err


@case
def runtime_type_error_reported_with_record():
    p = tmpfile("types.jsonl", b'{"text":"a","n":"str"}\n'
                b'{"text":"b","n":5}\n')
    rc, out, err = run(["filter", "--where", "rec.n > 3", "--stats", p])
    assert rc == 3, rc
    assert b"types.jsonl:1: --where: cannot order a string and a number" \
        in err, err
    assert out == b'{"text":"b","n":5}\n'
    c = counts(err)
    assert c["kept"] == 1 and c["rejected"] == 1


@case
def exit_status_e_and_highest_wins():
    rc, out, _ = run(["filter", "-e", "--where", "false", SAMPLE])
    assert rc == 1 and out == b""
    rc, _, _ = run(["filter", "-e", "--where", "true", SAMPLE])
    assert rc == 0
    bad = tmpfile("bad.jsonl", b'{"x": NaN}\n')
    rc, _, _ = run(["filter", "-e", "--where", "false", bad])
    assert rc == 4                  # malformed outranks "nothing kept"
    rc, _, _ = run(["filter", "-e", "--where", "true",
                    os.path.join(TMP, "missing")])
    assert rc == 2


@case
def strict_stops_at_first_malformed():
    p = tmpfile("strict.jsonl", b'{"text":"a"}\n{"x": NaN}\n{"text":"b"}\n')
    rc, out, err = run(["filter", "--strict", "--where", "true", p])
    assert rc == 4 and out == b'{"text":"a"}\n'
    assert err.count(b"\n") == 1


@case
def closed_pipe_stops_reading():
    # an endless input: cotlog must stop when head is done, or this
    # pipeline never ends
    cmd = (f"yes '{{\"text\":\"<think>a</think>b\"}}' | '{COTLOG}' filter "
           f"--where 'closed' | head -1; echo \"${{PIPESTATUS[1]}}\"")
    p = subprocess.run(cmd, shell=True, executable="/bin/bash",
                       capture_output=True, timeout=60)
    out = p.stdout.decode().splitlines()
    assert out == ['{"text":"<think>a</think>b"}', "0"], out
    assert p.stderr == b""


@case
def write_error_exits_2():
    with open("/dev/full", "wb") as full:
        p = subprocess.run([COTLOG, "filter", "--where", "true", SAMPLE],
                           stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert p.returncode == 2 and b"write error" in p.stderr


@case
def output_file_is_atomic():
    dest = os.path.join(TMP, "out.jsonl")
    rc, out, _ = run(["filter", "--where", "true", "-o", dest, SAMPLE])
    assert rc == 0 and out == b""
    _, plain, _ = run(["filter", "--where", "true", SAMPLE])
    assert open(dest, "rb").read() == plain
    # interrupted: the destination keeps its old content, no temp left
    open(dest, "wb").write(b"old\n")
    proc = subprocess.Popen(
        f"yes '{{\"text\":\"a\"}}' | '{COTLOG}' filter --where true "
        f"-o '{dest}'", shell=True, stderr=subprocess.PIPE,
        start_new_session=True)
    time.sleep(1.0)
    os.killpg(proc.pid, 2)
    proc.wait(timeout=30)
    assert open(dest, "rb").read() == b"old\n"
    assert not [f for f in os.listdir(TMP) if ".tmp." in f]


@case
def unbuffered_flushes_per_record():
    proc = subprocess.Popen([COTLOG, "filter", "--unbuffered", "--where",
                             "true"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    proc.stdin.write(b'{"text":"a"}\n')
    proc.stdin.flush()
    ready, _, _ = select.select([proc.stdout], [], [], 10)
    assert ready, "no output before the input ended"
    assert proc.stdout.readline() == b'{"text":"a"}\n'
    proc.stdin.close()
    proc.wait(timeout=10)


@case
def progress_only_on_a_terminal():
    big = tmpfile("big.jsonl", open(SAMPLE, "rb").read() * 30000)
    # not a terminal: nothing on stderr
    rc, _, err = run(["filter", "--where", "true", big])
    assert rc == 0 and err == b""
    # a terminal: a progress line, erased at the end
    pid, fd = pty.fork()
    if pid == 0:
        # stderr stays on the terminal; the records go nowhere
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.execv(COTLOG, [COTLOG, "filter", "--where",
                          "think.words > 0 && lower(format) =~ 'o'", big,
                          big, big, big])
    _, out = read_pty(pid, fd)
    assert b"records," in out and b"MB/s" in out and b"left" in out, \
        out[-300:]


@case
def workers_give_the_bytes_of_one():
    """-j N: same stdout, same stderr (messages in input order), same
    exit status as -j 1, on inputs with malformed lines, documents, gzip
    damage, and many records (several batches)."""
    big = open(SAMPLE, "rb").read() * 400 + MIXED + b"\n" + \
        b'{"rec": "x", "text": "<think>y</think>"}\n' * 3000
    cut = gzip.compress(big)
    inputs = [tmpfile("jbig.jsonl", big), PRETTY,
              tmpfile("jcut.gz", cut[:len(cut) // 2]),
              tmpfile("jdoc.json", b'[\n {"text":"a"},\n {"text":"b"},\n]\n')]
    for args in (["annotate"], ["annotate", "--stats"],
                 ["filter", "--where", "think.words > 1", "--stats"],
                 ["filter", "--per-trace", "--where", "index >= 0"],
                 ["filter", "--where", "rec.rec > 1"],
                 ["stats", "--json"], ["stats", "--json", "--by", "format"],
                 ["stats", "--partial", "--by", "file"], ["stats"]):
        one = run(args + ["-j", "1"] + inputs)
        for n in ("2", "3", "8"):
            many = run(args + ["-j", n] + inputs)
            assert many == one, (args, n, one[0], many[0],
                                 one[2][-300:], many[2][-300:])
    assert one[0] == 4 and one[2]


@case
def filter_computes_only_what_it_reads():
    """filter runs only the passes its expression needs: the kept
    records are those of the full analysis (forced here by a clause
    that reads a field of the last pass and cannot change the verdict),
    and an unread field of a later pass is null in the profile."""
    big = tmpfile("lazy.jsonl", open(SAMPLE, "rb").read() * 50 + MIXED)
    for where in ("think.words < 20", "rec.model == \"m1\"",
                  "status == \"complete\"", "closed && steps > 1"):
        lazy = run(["filter", "--where", where, big])
        full = run(["filter", "--where",
                    f"{where} || (exists(efficiency) && false)", big])
        assert lazy == full, where


def pick(profile, names):
    """The dotted fields names of a JSON profile, nested as cotlog nests
    them."""
    out = {}
    for name in names:
        src, dst, parts = profile, out, name.split(".")
        for k in parts[:-1]:
            src = src[k]
            dst = dst.setdefault(k, {})
        dst[parts[-1]] = src[parts[-1]]
    return out


@case
def annotate_fields_hold_only_the_chosen():
    """annotate --fields: each profile holds exactly the chosen fields
    (names and patterns), nested and ordered as in the full profile,
    with the values of the full analysis; the record bytes around it
    are unchanged; -j 2 gives the same bytes; an unknown name exits 2."""
    big = tmpfile("sel.jsonl", open(SAMPLE, "rb").read() * 20 + MIXED)
    names = [l.split()[0] for l in
             run(["fields"])[1].decode().splitlines()]
    full = run(["annotate", big])
    assert full[0] == 4
    for spec in ("think.words", "status,think.*,loop.found",
                 "families.*.count,structure.sentences",
                 "patterns.r1_wait.*,correct,efficiency,lang.mix",
                 "think.words,think.words"):
        chosen = [n for n in names if any(
            __import__("fnmatch").fnmatchcase(n, t)
            for t in spec.split(","))]
        sel = run(["annotate", "--fields", spec, big])
        assert sel[0] == full[0] and sel[2] == full[2], spec
        assert run(["annotate", "-j", "2", "--fields", spec, big]) == sel
        lines = list(zip(full[1].splitlines(), sel[1].splitlines()))
        assert len(lines) == len(full[1].splitlines())
        for a, b in lines:
            try:
                fa, fb = json.loads(a), json.loads(b)
            except ValueError:
                fa = fb = None
            # records: an object, or the objects of an array line
            ra = fa if isinstance(fa, list) else [fa]
            rb = fb if isinstance(fb, list) else [fb]
            if not any(isinstance(r, dict) and "cot" in r for r in ra):
                assert a == b     # malformed or no record: unchanged
                continue
            for x, y in zip(ra, rb):
                if not isinstance(x, dict):
                    assert x == y
                    continue
                assert [pick(p, chosen) for p in x["cot"]] == y["cot"]
                for p in y["cot"]:     # registry order, nested
                    flat = []

                    def walk(d, pre):
                        for k, v in d.items():
                            if isinstance(v, dict) and \
                                    pre + k not in chosen:
                                walk(v, pre + k + ".")
                            else:
                                flat.append(pre + k)
                    walk(p, "")
                    assert flat == chosen, (spec, flat[:5])
                del x["cot"], y["cot"]
                assert x == y
    rc, out, err = run(["annotate", "--fields", "think.words,nope", big])
    assert rc == 2 and out == b"" and b"no field 'nope'" in err, err


@case
def stats_fields_runs_only_what_it_shows():
    """stats --fields computes only the passes of the chosen fields (and
    of --by), and summarizes them exactly as the full analysis does."""
    big = tmpfile("sfields.jsonl", open(SAMPLE, "rb").read() * 20 + MIXED)
    for by in ([], ["--by", "loop.found"], ["--by", "status"]):
        every = json.loads(run(["stats", "--json"] + by + [big])[1])
        for spec in ("think.words,structure.sentences", "status,correct",
                     "think.*", "lang.mix,solution_rounds"):
            rc, out, err = run(["stats", "--json", "--fields", spec] +
                               by + [big])
            assert rc == 4, err       # MIXED holds a malformed line
            one = json.loads(out)
            groups = [one] + one.get("groups", [])
            full = [every] + every.get("groups", [])
            assert len(groups) == len(full), (spec, by)
            for g, f in zip(groups, full):
                assert g.get("key") == f.get("key")
                for k in ("records", "traces", "no_trace", "malformed"):
                    assert g[k] == f[k], (spec, by, k)
                assert g["fields"] and all(
                    v == f["fields"][name]
                    for name, v in g["fields"].items()), (spec, by)


@corpus_case
def corpus_filter_counts(top, fixtures):
    files = []
    for root, _, names in os.walk(top):
        files += [os.path.join(root, n) for n in names
                  if n.endswith((".jsonl", ".json"))]
    assert len(files) >= 20, files
    kept = 0
    for path in sorted(files):
        rc, out, err = run(["filter", "--stats", "--where",
                            "closed && think.words > 100", path])
        assert rc == 0, (path, err)
        c = counts(err)
        assert c["kept"] + c["rejected"] + c["malformed"] == c["records"]
        assert out.count(b"\n") == c["kept"]
        kept += c["kept"]
    assert kept >= (10 if fixtures else 500), kept



@case
def big_records_come_out_the_same_with_workers():
    """Records of more than 4 KB are written by reference to the input's
    bytes while a worker holds them: interleaved with small ones and
    malformed ones, every byte is that of -j 1, for annotate, filter and
    the rejects."""
    big = "Wait, let me check this step again. " * 400
    lines = []
    for i in range(300):
        if i % 7 == 3:
            lines.append('{"bad": %d,' % i)          # malformed
        elif i % 2:
            lines.append(json.dumps({"id": i, "response":
                                     "<think>%s %d</think>%d" % (big, i, i)}))
        else:
            lines.append(json.dumps({"id": i, "text": "<think>a</think>b"}))
    p = tmpfile("big-records.jsonl", "\n".join(lines) + "\n")
    for argv in (["annotate", "--fields", "think.words"],
                 ["filter", "--where", "think.words > 10"]):
        _, one, _ = run(argv + ["-j", "1", p])
        _, two, _ = run(argv + ["-j", "2", p])
        assert one == two, argv
        assert len(one) > 100 * 14000, len(one)
    rej1, rej2 = tmpfile("rej1.jsonl", ""), tmpfile("rej2.jsonl", "")
    run(["filter", "--where", "think.words > 10", "--rejects", rej1, "-j",
         "1", p])
    run(["filter", "--where", "think.words > 10", "--rejects", rej2, "-j",
         "2", p])
    a, b = open(rej1, "rb").read(), open(rej2, "rb").read()
    assert a == b and a.count(b"\n") > 150, a.count(b"\n")


main()
