"""cotlog.dask on a distributed.LocalCluster of processes (1 and 2
workers) over a ~100 MB workload in several files (the corpus repeated,
else the fixtures; written to a scratch folder, never to the
repository): the merged stats equal `cotlog stats --json` of the whole
input byte for byte; annotate and filter over a bag of lines equal the
command's output. Wall times are printed."""
import glob
import gzip
import os
import time

import pytest

import cotlog
from conftest import CORPUS, DATA, have_corpus, note, run

dask = pytest.importorskip("dask", reason="dask is not installed "
                           "(Debian: python3-dask)")
distributed = pytest.importorskip("distributed", reason="distributed is "
                                  "not installed (Debian: "
                                  "python3-distributed)")
import dask.bag as db  # noqa: E402

import cotlog.dask  # noqa: E402

SIZE = int(os.environ.get("COTLOG_DASK_MB", "100")) << 20
FILES = 6


@pytest.fixture(scope="module")
def workload(tmp_path_factory):
    """FILES files of about SIZE bytes in all, JSON Lines made of the
    corpus's (else the fixtures') JSON Lines records repeated; the last
    file gzip'd, one holding a malformed line."""
    root = CORPUS if have_corpus() else DATA
    lines = []
    for p in sorted(glob.glob(os.path.join(root, "**", "*.jsonl"),
                              recursive=True)):
        if os.sep + "tokens" + os.sep in p or os.sep + "streams" in p:
            continue
        with open(p, "rb") as f:
            lines += [ln for ln in f.read().split(b"\n") if ln.strip()]
    block = b"\n".join(lines) + b"\n"
    d = tmp_path_factory.mktemp("dask")
    paths = []
    per = SIZE // FILES
    for k in range(FILES):
        data = block * max(1, per // len(block))
        if k == 1:
            data += b'{"broken": \n'
        p = d / (f"part{k}.jsonl.gz" if k == FILES - 1 else
                 f"part{k}.jsonl")
        if k == FILES - 1:
            p.write_bytes(gzip.compress(data, 1))
        else:
            p.write_bytes(data)
        paths.append(str(p))
    total = sum(len(block) * max(1, per // len(block)) for _ in paths)
    note(f"workload: {FILES} files, {total / 1e6:.0f} MB of records from "
         f"{'the corpus' if root == CORPUS else 'the fixtures'}")
    return paths


@pytest.fixture(scope="module")
def whole(workload):
    t0 = time.monotonic()
    out = run(["stats", "-q", "--json", *workload], check=False)[1]
    note(f"cotlog stats --json (-j all cores): "
         f"{time.monotonic() - t0:.1f} s")
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_stats_on_local_cluster(workers, workload, whole):
    env = {"COTLOG_LIBRARY": os.environ["COTLOG_LIBRARY"],
           "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    os.environ.update(env)      # the worker processes inherit it
    t0 = time.monotonic()
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                  processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster, \
            distributed.Client(cluster):
        t1 = time.monotonic()
        got = cotlog.dask.stats(workload)
        t2 = time.monotonic()
        by = cotlog.dask.stats(workload, by="file",
                               fields="think.words,status", format="tsv")
    note(f"{workers} worker(s): cluster up in {t1 - t0:.1f} s, stats over "
         f"the workload in {t2 - t1:.1f} s")
    assert got.encode() == whole
    assert by.encode() == run(["stats", "-q", "--tsv", "--by", "file",
                               "--fields", "think.words,status", *workload],
                              check=False)[1]


def test_annotate_and_filter_bags(tmp_path):
    src = []
    for p in sorted(glob.glob(os.path.join(DATA, "**", "*.jsonl"),
                              recursive=True)):
        if os.sep + "tokens" + os.sep in p or os.sep + "streams" in p:
            continue
        src.append(open(p, "rb").read())
    data = b"".join(src) + b'{"bad": \n["<think>a b c</think>x", "y"]\n'
    f = tmp_path / "all.jsonl"
    f.write_bytes(data)
    lines = data.decode().splitlines(keepends=True)
    with dask.config.set(scheduler="processes", num_workers=2):
        bag = db.from_sequence(lines, npartitions=4)
        got = "".join(cotlog.dask.annotate(bag, fields="think.*,status")
                      .compute())
        assert got.encode() == run(["annotate", "-q", "--fields",
                                    "think.*,status", str(f)],
                                   check=False)[1]
        for where, kw, args in (("think.words > 50", {}, []),
                                ("closed", {"mode": "all"}, ["--all"]),
                                ("closed", {"invert": True}, ["-v"])):
            kept = "".join(cotlog.dask.filter(bag, where, **kw).compute())
            assert kept.encode() == run(["filter", "-q", "--where", where,
                                         *args, str(f)], check=False)[1]
        # bytes in, bytes out; a bag of lines summarized
        bbag = db.from_sequence(data.splitlines(keepends=True),
                                npartitions=3)
        assert b"".join(cotlog.dask.annotate(bbag).compute()) == run(
            ["annotate", "-q", str(f)], check=False)[1]
        assert cotlog.dask.stats(bbag).encode() == run(
            ["stats", "-q", "--json", str(f)], check=False)[1]
    with pytest.raises(cotlog.ExpressionError):
        cotlog.dask.filter(bag, "think.words >")
