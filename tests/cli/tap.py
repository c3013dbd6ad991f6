"""tap.py - what the end-to-end tests share: @case collects the cases,
main() runs them in order and prints TAP (a case returning "skip REASON"
is skipped; any exception fails it) and removes the scratch folder TMP;
run() runs cotlog, tmpfile() writes a file into TMP.

Every test is run as TEST.py COTLOG SRCDIR, with the corpus folder in
COTLOG_CORPUS (empty: the corpus cases are skipped)."""
import os
import select
import shutil
import subprocess
import sys
import tempfile

COTLOG = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
CORPUS = os.environ.get("COTLOG_CORPUS", "")
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


def main():
    """Run every case, then remove TMP."""
    print(f"1..{len(results)}")
    failed = 0
    for n, fn in enumerate(results, 1):
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
        sys.stdout.flush()
    shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(1 if failed else 0)
