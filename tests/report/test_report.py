#!/usr/bin/env python3
"""test_report.py - end-to-end tests of cotlog report (TAP output).

Usage: test_report.py COTLOG SRCDIR ARTEFACTS. The page is checked as
text: well-formed, self-contained (nothing it would fetch), every link
to a trace resolves, hostile record text cannot break out of it; its
numbers against an independent computation in Python over the profiles
`cotlog annotate` writes (counts per group, the length and position
histograms point by point, accuracy by length, family rates, loop
rates); the same bytes with -j 1 and -j 2. Then in headless Chromium
(Debian's chromium driven by playwright-core, installed by npm ci from
package-lock.json into ~/.cache/cotlog/report or COTLOG_REPORT_CACHE),
for each folder of the corpus and of our fixtures, and for a 1 GB
workload: no console error, no request, every chart with its axes, a
trace opened from a table link by the keyboard; screenshots of the top
of the page and of that trace go to ARTEFACTS. A case skips, saying
why, without the corpus, chromium, node or npm; under the sanitizers
and in the scalar build (COTLOG_REPORT_TEXT_ONLY) the browser and the
1 GB cases skip: they test the page, which the default build makes the
same."""
import glob
import json
import math
import os
import subprocess
import sys
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cli"))
sys.path.insert(0, os.path.join(HERE, ".."))
from tap import (  # noqa: E402
    COTLOG, CORPUS, DATA, SAMPLE, TMP, case, have_corpus, main, run,
    tmpfile)
import npm_cache  # noqa: E402

ARTEFACTS = sys.argv[3] if len(sys.argv) > 3 else TMP
TEXT_ONLY = bool(os.environ.get("COTLOG_REPORT_TEXT_ONLY"))
SECTIONS = ["overview", "distributions", "behaviour", "correctness",
            "health", "traces"]
VOID = {"meta", "br", "img", "input", "link", "hr", "circle", "line",
        "rect", "polyline", "path"}


class Page(HTMLParser):
    """What the tests read in a page: tags (checked to nest), ids,
    links, attributes that would fetch, the points of each chart by
    series, and tables by their section."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors = [], []
        self.ids, self.hrefs, self.fetches = set(), [], []
        self.points = {}        # figure id -> series -> {i: v}
        self.figure = self.series = None
        self.section = None
        self.tables = []        # (section, [[cell text]])
        self.cell = None
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append("unclosed: %s" % self.stack[-5:])

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            if a["id"] in self.ids:
                self.errors.append("id twice: " + a["id"])
            self.ids.add(a["id"])
        for k in ("src", "href", "xlink:href", "action", "data"):
            v = a.get(k)
            if v is None:
                continue
            if k == "href" and v.startswith("#"):
                self.hrefs.append(v[1:])
            else:
                self.fetches.append((tag, k, v))
        if tag == "section" and a.get("id") in SECTIONS:
            self.section = a["id"]
        if tag == "figure":
            self.figure = a.get("id")
            self.points[self.figure] = []
        if tag == "g" and "series" in (a.get("class") or "").split():
            self.points[self.figure].append({})
        if tag == "circle" and "data-v" in a:
            self.points[self.figure][-1][int(a["data-i"])] = \
                float(a["data-v"])
        if tag == "table":
            self.tables.append((self.section, []))
        if tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        if tag in ("td", "th"):
            self.cell = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (
                tag, self.stack[-1] if self.stack else "nothing"))
            return
        self.stack.pop()
        if tag in ("td", "th") and self.cell is not None and self.tables:
            self.tables[-1][1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def table(self, section, first_header):
        """The rows of the table of section whose first header cell is
        first_header (the header row left out)."""
        for sec, rows in self.tables:
            if sec == section and rows and rows[0] and \
                    rows[0][0] == first_header:
                return rows[1:]
        raise KeyError((section, first_header))


def report(args, name="page.html"):
    """Run cotlog report ARGS -o TMP/name: (exit status, page text,
    stderr)."""
    out = os.path.join(TMP, name)
    rc, _, err = run(["report", "-q", "-o", out] + args)
    text = open(out, encoding="utf-8").read() if os.path.exists(out) \
        else None
    return rc, text, err


def check_page(text):
    """The page's structure: it parses, nests, fetches nothing, and
    every link to a trace names one; its Page."""
    assert text.startswith("<!DOCTYPE html>"), text[:50]
    p = Page(text)
    assert not p.errors, p.errors[:5]
    assert not p.fetches, p.fetches[:5]
    assert "url(" not in text and "@import" not in text
    for s in SECTIONS:
        assert s in p.ids, s
    missing = [h for h in p.hrefs if h not in p.ids]
    assert not missing, missing[:5]
    return p


def profiles(paths, args=()):
    """[(file, profile)] of every trace, from annotate, in input
    order."""
    found = []
    for path in paths:
        rc, out, err = run(["annotate", "-q", "--key", "__p__"] +
                           list(args) + [path])
        assert rc in (0, 4), err
        for line in out.splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict):
                for prof in rec.get("__p__") or []:
                    found.append((path, prof))
    return found


def get(prof, name):
    v = prof
    for part in name.split("."):
        v = v.get(part) if isinstance(v, dict) else None
    return v


def fixture_files():
    return sorted(f for f in glob.glob(os.path.join(DATA, "**", "*.json*"),
                                       recursive=True)
                  if os.sep + "tokens" + os.sep not in f)


def log_bin(v):
    """The distributions' bin of a count (page.c): 0, [1, 2), then half
    octaves from 2, written here from the definition."""
    if v < 1:
        return 0
    if v < 2:
        return 1
    e = math.floor(math.log2(v))
    while 2 ** e > v:
        e -= 1
    while 2 ** (e + 1) <= v:
        e += 1
    return 2 + 2 * (e - 1) + (v >= 1.5 * 2 ** e)


def shares(values, nbins, binof):
    n = len(values)
    counts = [0] * nbins
    for v in values:
        counts[binof(v)] += 1
    return {i: c / n for i, c in enumerate(counts)} if n else {}


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# ---- the page as text ------------------------------------------------

@case
def help_documents_every_option():
    rc, out, _ = run(["report", "--help"])
    assert rc == 0
    for opt in ("--output", "--by", "--traces", "--title", "--max-groups",
                "--tokenizer", "--jobs"):
        assert opt.encode() in out, opt


@case
def usage_errors_exit_2_and_leave_files_alone():
    keep = tmpfile("keep.html", "precious\n")
    for args in (["--traces", "0"], ["--max-groups", "x"], ["--nope"],
                 ["--by", ""]):
        rc, _, err = run(["report", "-o", keep] + args + [SAMPLE])
        assert rc == 2, (args, rc, err)
    rc, _, err = run(["report", "-o", keep, "--by", "think.words >",
                      SAMPLE])
    assert rc == 3 and b"^" in err, (rc, err)
    rc, _, err = run(["report", "-o", keep, os.path.join(TMP, "none")])
    assert rc == 2, (rc, err)
    assert open(keep).read() == "precious\n"


@case
def page_is_well_formed_and_self_contained():
    rc, text, err = report(["--by", "file"] + fixture_files())
    assert rc in (0, 4), err
    p = check_page(text)
    assert len(p.hrefs) > 20
    # the viewer holds its traces, at most --traces of them
    assert 10 <= text.count('<section class="trace"') <= 70


@case
def traces_are_bounded_by_the_option():
    for n in (1, 7, 12):
        rc, text, err = report(["--traces", str(n)] + fixture_files())
        assert rc in (0, 4), err
        check_page(text)
        got = text.count('<section class="trace"')
        assert 1 <= got <= n, (n, got)


@case
def hostile_text_stays_text():
    nasty = ('<script>alert(1)</script> </section></main> "quote" '
             "&amp; \u0007bell \u009b csi")
    rec = {"response": "<think>" + nasty + "\n\n" + nasty +
           "</think><b>answer</b>", "model": "<img src=x>"}
    path = tmpfile("a<b>&c.jsonl", json.dumps(rec) + "\n" +
                   '{"response": "<think>\\udcff broken</think>"}\n')
    with open(path, "ab") as f:        # bytes that are not UTF-8
        f.write(b'{"response": "<think>x\xff\xfe y</think>z"}\n')
    rc, _, err = run(["report", "-q", "-o", os.path.join(TMP, "h.html"),
                      "--by", "rec.model", "--title", "<i>t</i>", path])
    assert rc in (0, 4), err
    raw = open(os.path.join(TMP, "h.html"), "rb").read()
    text = raw.decode("utf-8")      # strictly UTF-8, or this raises
    check_page(text)
    assert "<script>alert" not in text and "<img" not in text
    assert "<i>t</i>" not in text and "&lt;i&gt;t&lt;/i&gt;" in text
    assert "\u0007" not in text and "\u009b" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@case
def jobs_give_the_same_page():
    files = fixture_files()
    _, one, _ = report(["-j", "1", "--by", "file"] + files, "j1.html")
    _, two, _ = report(["-j", "2", "--by", "file"] + files, "j2.html")
    assert one == two


def stats_groups(paths):
    rc, out, err = run(["stats", "-q", "--json", "--by", "file",
                        "--fields", "think.words"] + paths)
    assert rc in (0, 4), err
    return json.loads(out)["groups"]


def independent(paths, text):
    """Check the page's numbers against the profiles of annotate, the
    groups being the files."""
    p = check_page(text)
    profs = profiles(paths)
    # the groups: a file with a record or a malformed line (stats says
    # which), in the order of their names
    names = sorted(g["key"] for g in stats_groups(paths))
    by = {g: [q for f, q in profs if f == g] for g in names}
    # overview: traces per group
    rows = {r[0]: r for r in p.table("overview", "group")}
    for g in names:
        assert rows[g][2].replace(",", "") == str(len(by[g])), \
            (g, rows[g])
    # distributions, point by point
    for field, fig in (("think.words", "h-think-words"),
                       ("answer.words", "h-answer-words"),
                       ("steps", "h-steps")):
        series = p.points.get(fig)
        assert series is not None, fig
        assert len(series) == len(names), (fig, len(series))
        for g, got in zip(names, series):
            vals = [get(q, field) for q in by[g]]
            want = shares([v for v in vals if v is not None], 100,
                          log_bin)
            for i, v in got.items():
                assert close(v, want.get(i, 0)), (fig, g, i, v, want)
            assert all(i in got for i, w in want.items() if w), (fig, g)
    # where the families first appear
    for fig, series in p.points.items():
        if not fig.startswith("r-families-"):
            continue
        field = fig[2:].replace("-", ".").replace("first.rel",
                                                  "first_rel")
        for g, got in zip(names, series):
            vals = [get(q, field) for q in by[g]]
            want = shares([v for v in vals if v is not None], 20,
                          lambda x: min(int(x * 20), 19))
            for i, v in got.items():
                assert close(v, want[i]), (fig, g, i)
    # accuracy by length: correct / graded per octave
    acc = p.table("correctness", "group") if any(
        get(q, "correct") is not None for _, q in profs) else []
    for row in acc:
        g = row[0]
        cells = row[1:]
        graded = [q for q in by[g] if get(q, "correct") is not None]
        for q in graded:
            w = get(q, "think.words")
            assert w is not None
        total = sum(int(c.split(" / ")[1]) for c in cells)
        right = sum(int(c.split(" / ")[0]) for c in cells)
        assert total == len(graded), (g, total, len(graded))
        assert right == sum(get(q, "correct") is True for q in graded)
    # health: the loop rate
    for row in p.table("health", "group"):
        g = row[0]
        vals = [get(q, "loop.found") for q in by[g]]
        vals = [v for v in vals if v is not None]
        if vals:
            want = "%.1f%%" % (100 * sum(vals) / len(vals))
            assert row[1] == want, (g, row[1], want)
    return p


@case
def numbers_agree_with_the_profiles_on_fixtures():
    files = [f for f in fixture_files() if f.endswith(".jsonl")]
    rc, text, err = report(["--by", "file"] + files)
    assert rc in (0, 4), err
    independent(files, text)


@case
def numbers_agree_with_the_profiles_on_corpus():
    if not have_corpus():
        return "skip no corpus"
    files = sorted(glob.glob(os.path.join(CORPUS, "*", "*.jsonl")))
    rc, text, err = report(["--by", "file"] + files)
    assert rc in (0, 4), err
    independent(files, text)


def display(v):
    """A key's value as a group's name shows it: a string as it is, the
    rest as JSON."""
    return v if isinstance(v, str) else json.dumps(v)


@case
def groups_of_several_keys_are_those_of_stats():
    files = [f for f in fixture_files() if f.endswith(".jsonl")]
    by = ["--by", "status", "--by", "file"]
    rc, text, err = report(by + files)
    assert rc in (0, 4), err
    p = check_page(text)
    assert "grouped by <code>status</code> \u00d7 <code>file</code>" in text
    rc, out, err = run(["stats", "-q", "--json", "--fields",
                        "think.words"] + by + files)
    assert rc in (0, 4), err
    want = [(" \u00d7 ".join(display(v) for v in g["key"]), g["traces"])
            for g in json.loads(out)["groups"]]
    assert len(want) > 5, want
    got = [(r[0], int(r[2].replace(",", "")))
           for r in p.table("overview", "group")][:-1]     # not "all"
    assert got == want, (got[:3], want[:3])


@case
def loop_is_marked_in_its_trace():
    para = ("Let me recompute the sum of the digits once more, "
            "carefully.\n\n")
    rec = {"response": "<think>Start here.\n\n" + para * 40 +
           "</think>42"}
    path = tmpfile("loop.jsonl", json.dumps(rec) + "\n")
    rc, text, err = report([path])
    assert rc == 0, err
    (_, prof), = profiles([path])
    assert prof["loop"]["found"], prof["loop"]
    check_page(text)
    assert 'class="s f' in text and ' loop"' in text
    tag = "loop: %s repeats" % prof["loop"]["repeats"]
    assert tag in text, tag


@case
def a_view_stays_bounded_on_dense_traces():
    """Matches every six bytes, and steps of one word, over 200 kB of
    reasoning: each view stays under 1.2 MiB, says what it left out,
    and the page is still whole."""
    recs = [{"response": "<think>" + "Wait, " * 40000 + "</think>1"},
            {"response": "<think>" + "a\n\n" * 70000 + "</think>2"},
            {"response": "<think>" + "&<" * 60000 + "</think>3"}]
    path = tmpfile("dense.jsonl", "".join(json.dumps(r) + "\n"
                                          for r in recs))
    rc, text, err = report([path])
    assert rc == 0, err
    check_page(text)
    views = text.split('<section class="trace"')[1:]
    assert len(views) == 3, len(views)
    for v in views:
        assert len(v.encode()) < 1.2 * 2 ** 20, len(v)
    assert "left out" in text


# ---- in a browser -----------------------------------------------------

_browser = {}


def browser():
    """node_modules for browse.js, or a reason to skip."""
    if "modules" not in _browser:
        chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        if TEXT_ONLY:
            _browser["skip"] = "the browser opens the default build's " \
                "pages"
        elif not os.path.exists(chromium):
            _browser["skip"] = chromium + " not found (Debian package " \
                "chromium)"
        else:
            try:
                _browser["modules"] = npm_cache.npm_install(
                    HERE, npm_cache.default_cache("report",
                                                  "COTLOG_REPORT_CACHE"))
            except (npm_cache.SetupError, OSError,
                    subprocess.TimeoutExpired) as e:
                _browser["skip"] = str(e)
        _browser.setdefault("modules", None)
    return _browser["modules"], _browser.get("skip")


def browse(page, name, traces=True):
    """What browse.js met on page (its JSON), screenshots kept."""
    modules, _ = browser()
    os.makedirs(ARTEFACTS, exist_ok=True)
    p = subprocess.run(["node", os.path.join(HERE, "browse.js"), modules,
                        page, ARTEFACTS, name], capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    r = json.loads(p.stdout)
    assert not r["consoleErrors"], r["consoleErrors"][:5]
    assert not r["pageErrors"], r["pageErrors"][:5]
    assert not r["requests"], r["requests"][:5]
    assert r["sections"] == SECTIONS, r["sections"]
    if not traces:     # nothing to draw, nothing to open
        assert not r["charts"] and not r.get("link"), r
        return r
    assert r["charts"], "no chart"
    for c in r["charts"]:
        assert c["svgs"] >= 1 and c["xaxis"] == 1, c
        assert c["stack"] or c["yaxis"] == 1, c
        assert c["labels"] and all(c["labels"]), c
        assert c["legend"] >= 1 and c["drawn"] >= 1, c
    assert r.get("link"), "no table links to a trace"
    assert r["visible"] and r["focused"] == r["link"][1:], r
    assert r["steps"] >= 1, r
    assert r["afterEscape"] == "#traces" and r["hidden"], r
    for shot in ("overview", "trace"):
        assert os.path.getsize(os.path.join(ARTEFACTS, "%s-%s.png" % (
            name, shot))) > 1000
    return r


def browse_folders(root, label):
    _, skip = browser()
    if skip:
        return "skip " + skip
    folders = sorted(d for d in glob.glob(os.path.join(root, "*"))
                     if os.path.isdir(d) and not d.endswith("tokens"))
    assert folders
    for d in folders:
        files = sorted(glob.glob(os.path.join(d, "**", "*.json*"),
                                 recursive=True))
        name = "%s-%s" % (label, os.path.basename(d))
        page = os.path.join(TMP, name + ".html")
        rc, _, err = run(["report", "-q", "--by", "file", "-o", page] +
                         files)
        assert rc in (0, 4), (d, err)
        traces = sum(g["traces"] for g in stats_groups(files))
        r = browse(page, name, traces > 0)
        print("# %s: %d charts, %d ms to load" % (name, len(r["charts"]),
                                                  r["loadMs"]))
    return None


@case
def every_fixture_folder_in_a_browser():
    return browse_folders(DATA, "fixtures")


@case
def every_corpus_folder_in_a_browser():
    if not have_corpus():
        return "skip no corpus"
    return browse_folders(CORPUS, "corpus")


def peak(args):
    """Exit status and peak resident memory (bytes) of cotlog ARGS, in a
    fresh interpreter (so no earlier child counts)."""
    probe = ("import resource, subprocess, sys\n"
             "rc = subprocess.call(sys.argv[1:], "
             "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
             "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
             "print(rc, ru.ru_maxrss * 1024)\n")
    out = subprocess.run([sys.executable, "-c", probe, COTLOG] + args,
                         capture_output=True, text=True, check=True,
                         timeout=3600).stdout.split()
    return int(out[0]), int(out[1])


@case
def one_gigabyte_in_the_memory_of_stats():
    """1 GB of our fixtures' records over and over, grouped by model:
    the report's peak memory is that of stats on the same input plus
    its traces (at most 70 of 96 KiB of reasoning, a few times that as
    HTML), and the page opens as any other."""
    _, skip = browser()
    if TEXT_ONLY:
        return "skip measured in the default build"
    lines = []
    for f in fixture_files():
        if f.endswith(".jsonl"):
            lines += [x for x in open(f, "rb").read().splitlines()
                      if x.strip()]
    block = b"\n".join(lines) + b"\n"
    big = os.path.join(TMP, "big.jsonl")
    with open(big, "wb") as f:
        for _ in range((1 << 30) // len(block) + 1):
            f.write(block)
    size = os.path.getsize(big)
    page = os.path.join(TMP, "big.html")
    rc, rep = peak(["report", "-q", "--by", "rec.model", "-o", page, big])
    assert rc in (0, 4), rc
    rc, st = peak(["stats", "-q", "--by", "rec.model", big])
    assert rc in (0, 4), rc
    print("# %d MB: report %.1f MiB, stats %.1f MiB peak resident" % (
        size >> 20, rep / 2 ** 20, st / 2 ** 20))
    assert rep <= st + 64 * 2 ** 20, (rep >> 20, st >> 20)
    os.remove(big)
    check_page(open(page, encoding="utf-8").read())
    if skip:
        return None
    browse(page, "1gb")
    return None


if __name__ == "__main__":
    main()
