"""tap.py - what the end-to-end tests share: @case collects the cases,
main() runs them in order and prints TAP, each result followed by its
run time as a comment (a case returning "skip REASON" is skipped; any
exception fails it) and removes the scratch folder TMP;
run() runs cotlog, tmpfile() writes a file into TMP.

Every test is run as TEST.py COTLOG SRCDIR, with the corpus folder in
COTLOG_CORPUS (empty: the corpus cases are skipped) and our own fixtures
of the same shapes in COTLOG_DATA (tests/data). @corpus_case registers a
case twice: on the corpus (skipped without it) and on the fixtures."""
import glob
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

COTLOG = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
CORPUS = os.environ.get("COTLOG_CORPUS", "")
DATA = os.environ.get("COTLOG_DATA") or os.path.join(SRC, "tests", "data")
SAMPLE = os.path.join(SRC, "examples", "traces.jsonl")
TMP = tempfile.mkdtemp(prefix="cotlog-test-")

results = []


def run(args, stdin=b"", env=None, **kw):
    """cotlog ARGS: (exit status, stdout, stderr). NO_COLOR is taken out
    of the environment, so colour is decided by the terminal alone."""
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    e.update(env or {})
    p = subprocess.run([COTLOG] + args, input=stdin, capture_output=True,
                       timeout=900, env=e, **kw)
    return p.returncode, p.stdout, p.stderr


def read_pty(pid, fd, timeout=300):
    """All a child of pty.fork() writes to its terminal (until it closes
    it, or timeout seconds of silence), then its exit status."""
    chunks = []
    while True:
        try:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                break
            data = os.read(fd, 65536)
        except OSError:     # the child is gone: EIO on Linux
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), b"".join(chunks)


def tmpfile(name, data):
    """Write data (bytes or str) to TMP/name; its path."""
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def case(fn):
    results.append(fn)
    return fn


def have_corpus():
    return bool(CORPUS) and os.path.isdir(CORPUS)


# The three shapes reference.py reads on its own, by folder: Ollama rows
# (thinking, content), flat rows (full_response), Sky-T1 eval rows
# (code[0]); in the corpus and in the fixtures.
SHAPE_DIRS = {
    "ollama": ("ollama-qwen3-thinking", "ollama"),
    "topology": ("trace-topology-r1-api-and-distill", "topology"),
    "sky": ("skythought-qwen25math-eval", "skythought"),
}


def shape_dir(root, shape):
    """The folder of shape below root (CORPUS or DATA)."""
    return os.path.join(root, SHAPE_DIRS[shape][root == DATA])


def all_files(root):
    """Every *.json and *.jsonl file below root."""
    return sorted(glob.glob(os.path.join(root, "**", "*.json*"),
                            recursive=True))


def shaped_files(root):
    """(path, shape) of every JSON Lines file of the three shapes."""
    for shape in SHAPE_DIRS:
        for path in sorted(glob.glob(os.path.join(shape_dir(root, shape),
                                                  "*.jsonl"))):
            yield path, shape


def corpus_case(fn):
    """Register fn(root, fixtures) twice: as fn.__name__ on the corpus
    (fixtures False; skipped when there is none), and as
    fn.__name__ + "_on_fixtures" on tests/data (fixtures True), where the
    counts fn expects are those make.py plants."""
    def on_corpus():
        if not have_corpus():
            return "skip no corpus"
        return fn(CORPUS, False)

    def on_fixtures():
        assert os.path.isdir(DATA), DATA
        return fn(DATA, True)
    on_corpus.__name__ = fn.__name__
    on_fixtures.__name__ = fn.__name__ + "_on_fixtures"
    results.append(on_corpus)
    results.append(on_fixtures)
    return fn


def main():
    """Run every case, then remove TMP."""
    print(f"1..{len(results)}")
    failed = 0
    for n, fn in enumerate(results, 1):
        start = time.monotonic()
        try:
            skip = fn()
        except Exception as e:      # noqa: BLE001 - report any failure
            failed += 1
            print(f"not ok {n} - {fn.__name__}")
            for line in repr(e).splitlines()[:20]:
                print(f"# {line[:500]}")
            continue
        if isinstance(skip, str) and skip.startswith("skip"):
            print(f"ok {n} - {fn.__name__} # SKIP {skip[5:]}")
        else:
            print(f"ok {n} - {fn.__name__}")
        # where a slow suite spends its time, in the test log
        print(f"# {time.monotonic() - start:.1f} s")
        sys.stdout.flush()
    shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(1 if failed else 0)
