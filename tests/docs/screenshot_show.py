#!/usr/bin/env python3
"""screenshot_show.py - make docs/show.png, the README's picture of
`cotlog show`: its colour output on a looping trace (written here, our
own text), turned into HTML and rendered by headless Chromium.

Usage: screenshot_show.py COTLOG [OUT.png] (default docs/show.png next
to this script's tests/). Needs chromium on PATH."""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))

# A trace that gets stuck: a plan, a computation, a doubt, then the same
# check over and over until the length limit cuts it.
CHECK = ("Wait, let me verify: 3 * 15 = 45 and 45 + 7 = 52, "
         "so the total is 52. ")
REASONING = (
    "We need the number of marbles after the trade.\n\n"
    "Plan:\n"
    "  - count the blue bags first: there are 3 bags of 15 marbles "
    "each, which is the bulk of the total\n"
    "  - then add the 7 loose red marbles that Ana keeps in her pocket\n\n"
    "3 * 15 = 45, and 45 + 7 = 52.\n\n"
    "Hmm, but did the trade change the count? She gave 4 and got 4 "
    "back, so no.\n\n" + CHECK * 14)
RECORD = {"id": "demo-loop", "model": "demo-reasoner", "answer": "52",
          "choices": [{"finish_reason": "length", "message": {
              "reasoning_content": REASONING, "content": None}}]}

# The SGR codes cotlog show writes, as CSS.
STYLE = {"1": "font-weight:bold", "2": "opacity:0.6",
         "4": "text-decoration:underline",
         "31": "color:#e06c75", "32": "color:#98c379",
         "33": "color:#e5c07b", "34": "color:#61afef",
         "35": "color:#c678dd", "36": "color:#56b6c2"}
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def ansi_to_html(text):
    """Text with SGR sequences as HTML spans; any other code is dropped."""
    out, open_span, pos = [], False, 0
    for m in SGR.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        pos = m.end()
        if open_span:
            out.append("</span>")
            open_span = False
        css = [STYLE[c] for c in m.group(1).split(";") if c in STYLE]
        if css:
            out.append('<span style="%s">' % ";".join(css))
            open_span = True
    out.append(html.escape(text[pos:]))
    if open_span:
        out.append("</span>")
    return "".join(out)


def main():
    cotlog = os.path.abspath(sys.argv[1])
    png = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else
                          os.path.join(SRC, "docs", "show.png"))
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("screenshot_show.py: no chromium on PATH")
    tmp = tempfile.mkdtemp(prefix="cotlog-shot-")
    try:
        rec = os.path.join(tmp, "demo.jsonl")
        with open(rec, "w") as f:
            f.write(json.dumps(RECORD) + "\n")
        env = dict(os.environ)
        env.pop("NO_COLOR", None)
        p = subprocess.run([cotlog, "show", "--color", "always", "--width",
                            "88", "--no-pager", rec], capture_output=True,
                           check=True, env=env, cwd=tmp)
        text = p.stdout.decode().replace(tmp + "/", "")
        page = os.path.join(tmp, "show.html")
        with open(page, "w") as f:
            f.write('<!doctype html><meta charset="utf-8"><body style="'
                    'margin:0;background:#282c34"><pre style="margin:0;'
                    'padding:14px 16px;color:#dcdfe4;font:13px/1.35 '
                    "'DejaVu Sans Mono',monospace\">" + ansi_to_html(text) +
                    "</pre></body>")
        lines = text.count("\n") + 1
        height = int(lines * 13 * 1.35 + 32)
        subprocess.run([chromium, "--headless", "--no-sandbox",
                        "--disable-gpu", "--hide-scrollbars",
                        "--screenshot=" + png,
                        f"--window-size=900,{height}",
                        "file://" + page], check=True,
                       capture_output=True, timeout=120)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{png}: {os.path.getsize(png)} bytes, {lines} lines")


if __name__ == "__main__":
    main()
