#!/usr/bin/env python3
"""readme.py - run and compile the code blocks of README.md, and the
EXAMPLES of the man page, so that an example that no longer works fails
the test suite. One TAP case per block or man page example line; the
conventions are those of README.md, "Code in this README":

```sh       run by bash with `set -euo pipefail` in a fresh scratch
            directory (see fixture()), the built cotlog first on PATH;
            it must exit 0 and write nothing to stderr.
```console  lines starting with `$ ` are commands (a line ending in `\\`
            goes on with the next), run like ```sh blocks; the lines
            after a command, up to the next `$ `, are its exact stdout.
```c        a block with a main() is a program: compiled with
            -std=c11 -Wall -Wextra -Werror -pedantic against libcotlog,
            run, and it must exit 0; a block without one is a whole
            translation unit (functions a reader can paste), compiled
            with -c only.
<!-- not run: REASON -->
            on the line right before a fence: the block is reported as
            skipped, with the reason.
<!-- ci: REASON -->
            likewise skipped here (it installs, or needs what an
            install made), and run by `readme.py --ci README`, which
            .ci/run calls in the repository after examples/quickstart.sh
            built build/: those blocks only, in order, in the
            repository root, each as a ```sh block.

Other blocks (```text, ```python, none) are not run. A block whose
commands need a program that is not installed (jq, GNU parallel, less)
is skipped and says which. Each line of the man page's EXAMPLES is run
as a ```sh block.
"""
import argparse
import gzip
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

RUN = {"sh", "console", "c"}
CI_PREFIX = "run by .ci/run: "
# Programs the blocks may use that a minimal system may lack.
OPTIONAL = ("jq", "parallel", "less", "zcat", "gzip")
NOT_RUN = re.compile(r"^<!--\s*(not run|ci):\s*(.*?)\s*-->\s*$")


def blocks(path):
    """Yield (line, lang, text, not_run_reason) for every fenced block;
    the reason of a `ci:` block starts with "run by .ci/run: "."""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\S*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        start, lang = i, m.group(1)
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        prev = lines[start - 1] if start > 0 else ""
        nr = NOT_RUN.match(prev)
        reason = None
        if nr:
            reason = (nr.group(2) if nr.group(1) == "not run" else
                      CI_PREFIX + nr.group(2))
        yield (start + 1, lang, "\n".join(lines[start + 1:j]) + "\n",
               reason)
        i = j + 1


def man_examples(path):
    """Yield (line, command) for each line of the man page's EXAMPLES."""
    inside = False
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if line.startswith(".SH"):
            inside = line.strip() == ".SH EXAMPLES"
        elif inside and line and not line.startswith("."):
            yield n, line.replace("\\-", "-").replace("\\e", "\\")


def fixture(args, root):
    """The scratch directory a shell block runs in: the repository's
    examples/, build/tools/cotlog (the tool under test), and the data
    files the README's commands name, all made from
    examples/traces.jsonl."""
    shutil.copytree(args.examples, os.path.join(root, "examples"))
    os.makedirs(os.path.join(root, "build", "tools"))
    os.symlink(os.path.abspath(args.cotlog),
               os.path.join(root, "build", "tools", "cotlog"))
    with open(os.path.join(args.examples, "traces.jsonl"), "rb") as f:
        traces = f.read()
    for name in ("data.jsonl", "big.jsonl"):
        with open(os.path.join(root, name), "wb") as f:
            f.write(traces)
    for name in ("rollouts.jsonl.gz", "r.jsonl.gz"):
        with gzip.open(os.path.join(root, name), "wb") as f:
            f.write(traces)
    os.makedirs(os.path.join(root, "shards"))
    half = traces.split(b"\n")
    for k, part in enumerate((half[:7], half[7:])):
        with gzip.open(os.path.join(root, "shards", f"{k}.jsonl.gz"),
                       "wb") as f:
            f.write(b"\n".join(part).rstrip(b"\n") + b"\n")


def shell(args, script, cwd):
    env = dict(os.environ)
    env["PATH"] = (os.path.dirname(os.path.abspath(args.cotlog)) +
                   os.pathsep + env.get("PATH", ""))
    env.pop("NO_COLOR", None)
    return subprocess.run(["bash", "-c", "set -euo pipefail\n" + script],
                          cwd=cwd, env=env, capture_output=True,
                          timeout=120)


def missing(text):
    return [p for p in OPTIONAL
            if re.search(r"(^|[\s|(])" + p + r"\b", text)
            and shutil.which(p) is None]


def run_sh(args, text, tmp):
    fixture(args, tmp)
    r = shell(args, text, tmp)
    if r.returncode != 0 or r.stderr:
        # a message on stderr is a failure too: jq, for one, reports an
        # error on a record and still exits 0
        return (f"exit status {r.returncode}, stderr:\n" +
                r.stderr.decode(errors="replace"))
    return None


def console_cases(text):
    """[(command, expected stdout)] of a ```console block."""
    cases, cmd, out, cont = [], None, [], False
    for line in text.rstrip("\n").split("\n"):
        if cont:
            cmd += "\n" + line
            cont = line.endswith("\\")
        elif line.startswith("$ "):
            if cmd is not None:
                cases.append((cmd, out))
            cmd, out = line[2:], []
            cont = line.endswith("\\")
        elif cmd is not None:
            out.append(line)
    if cmd is not None:
        cases.append((cmd, out))
    return [(c, "".join(o + "\n" for o in out)) for c, out in cases]


def run_console(args, text, tmp):
    fixture(args, tmp)
    for cmd, want in console_cases(text):
        r = shell(args, cmd, tmp)
        got = r.stdout.decode(errors="replace")
        if r.returncode != 0 or r.stderr:
            return (f"$ {cmd}\nexit status {r.returncode}, stderr:\n" +
                    r.stderr.decode(errors="replace"))
        if got != want:
            return f"$ {cmd}\nexpected:\n{want}got:\n{got}"
    return None


def run_c(args, text, tmp):
    src = os.path.join(tmp, "block.c")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    cc = shlex.split(args.cc) + ["-std=c11", "-Wall", "-Wextra", "-Werror",
                                 "-pedantic"]
    for d in args.include:
        cc += ["-I", d]
    if args.sanitize and args.sanitize != "none":
        cc += ["-fsanitize=" + args.sanitize, "-fno-sanitize-recover=all"]
    program = re.search(r"\bint\s+main\s*\(", text) is not None
    if program:
        exe = os.path.join(tmp, "block")
        lib = os.path.abspath(args.lib)
        cc += [src, lib, "-Wl,-rpath," + os.path.dirname(lib), "-o", exe]
    else:
        cc += ["-c", src, "-o", os.path.join(tmp, "block.o")]
    r = subprocess.run(cc, capture_output=True, timeout=120)
    if r.returncode != 0:
        return ("compile failed: " + " ".join(cc) + "\n" +
                r.stderr.decode(errors="replace"))
    if program:
        r = subprocess.run([exe], cwd=tmp, capture_output=True, timeout=60)
        if r.returncode != 0:
            return (f"exit status {r.returncode}\n" +
                    r.stderr.decode(errors="replace"))
    return None


def run_ci(readme):
    """The `ci:` blocks of readme, in order, in the repository root."""
    todo = [b for b in blocks(readme)
            if b[3] is not None and b[3].startswith(CI_PREFIX)]
    print(f"1..{len(todo)}")
    failed = 0
    for n, (line, _, text, _) in enumerate(todo, 1):
        r = subprocess.run(["bash", "-c", "set -euo pipefail\n" + text],
                           cwd=os.path.dirname(os.path.abspath(readme)),
                           capture_output=True, timeout=900)
        if r.returncode == 0:
            print(f"ok {n} - ci block at README.md:{line}")
            continue
        failed += 1
        print(f"not ok {n} - ci block at README.md:{line}")
        for l in (r.stdout + r.stderr).decode(errors="replace").split("\n"):
            print("# " + l)
    return 1 if failed else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--ci":
        return run_ci(sys.argv[2])
    ap = argparse.ArgumentParser()
    ap.add_argument("--readme", required=True)
    ap.add_argument("--cotlog", required=True)
    ap.add_argument("--lib", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--include", action="append", default=[])
    ap.add_argument("--sanitize", default="none")
    ap.add_argument("--examples", required=True)
    ap.add_argument("--man")
    args = ap.parse_args()

    name = os.path.basename(args.readme)
    todo = [b for b in blocks(args.readme) if b[1] in RUN]
    if args.man:
        todo += [(n, "sh", cmd + "\n", None, os.path.basename(args.man))
                 for n, cmd in man_examples(args.man)]
    todo = [b if len(b) == 5 else b + (name,) for b in todo]
    print(f"1..{len(todo)}")
    failed = 0
    for n, (line, lang, text, not_run, where) in enumerate(todo, 1):
        title = (f"{lang} block at {where}:{line}" if where == name
                 else f"example at {where}:{line}")
        if not_run is not None:
            why = not_run if not_run.startswith(CI_PREFIX) else \
                "not run: " + not_run
            print(f"ok {n} - {title} # SKIP {why}")
            continue
        lack = missing(text) if lang != "c" else []
        if lack:
            print(f"ok {n} - {title} # SKIP needs {', '.join(lack)}")
            continue
        with tempfile.TemporaryDirectory(prefix="cotlog-readme-") as tmp:
            try:
                err = {"sh": run_sh, "console": run_console,
                       "c": run_c}[lang](args, text, tmp)
            except subprocess.TimeoutExpired as e:
                err = f"timed out: {e}"
        if err is None:
            print(f"ok {n} - {title}")
        else:
            failed += 1
            print(f"not ok {n} - {title}")
            for l in err.rstrip("\n").split("\n"):
                print("# " + l)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
