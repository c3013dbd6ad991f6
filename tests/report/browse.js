// browse.js - open a report in Debian's chromium (headless, through
// playwright-core) and say, as one JSON object, what a person would
// meet: console errors, uncaught exceptions, every request the page
// made besides itself, each chart with its axes and legend, and the
// trace viewer opened from a table link by the keyboard alone; a
// screenshot of the top of the page, of the length charts and of the
// trace opened.
//
// Usage: node browse.js NODE_MODULES PAGE.html OUTDIR NAME
// Environment: CHROMIUM (default /usr/bin/chromium).
"use strict";
const path = require("path");
const [modules, file, outdir, name] = process.argv.slice(2);
const { chromium } = require(path.join(modules, "playwright-core"));

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 1000 },
  });
  // the page must need no network: with it off, a fetch fails loudly
  await context.setOffline(true);
  const page = await context.newPage();
  const url = "file://" + path.resolve(file);
  const r = { consoleErrors: [], pageErrors: [], requests: [] };
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning")
      r.consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => r.pageErrors.push(String(e)));
  page.on("request", (q) => {
    if (q.url().split("#")[0] !== url) r.requests.push(q.url());
  });
  const t0 = Date.now();
  await page.goto(url, { waitUntil: "load" });
  r.loadMs = Date.now() - t0;
  r.sections = await page.$$eval("main > section", (s) => s.map((x) => x.id));
  r.charts = await page.$$eval("figure.chart", (fs) =>
    fs.map((f) => ({
      id: f.id,
      stack: f.classList.contains("stack"),
      svgs: f.querySelectorAll("svg").length,
      xaxis: f.querySelectorAll("g.axis.x").length,
      yaxis: f.querySelectorAll("g.axis.y").length,
      labels: Array.from(f.querySelectorAll("g.axis text.label"),
                         (t) => t.textContent),
      legend: f.querySelectorAll("ul.legend li").length,
      drawn: f.querySelectorAll("polyline, circle, rect").length,
    })));
  await page.screenshot({ path: path.join(outdir, name + "-overview.png") });
  // the length charts, when there are any to show
  const grid = await page.$("#distributions .grid:has(figure)");
  if (grid)
    await grid.screenshot({ path: path.join(outdir, name + "-charts.png") });
  const link = await page.$("table a[href^='#t']");
  if (link) {
    r.link = await link.getAttribute("href");
    // by the keyboard: the link focused, then Enter
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction((h) => location.hash === h, r.link);
    r.visible = await page.$eval(r.link, (el) =>
      el.getBoundingClientRect().height > 0);
    r.focused = await page.evaluate(() => document.activeElement.id);
    r.steps = await page.$$eval(r.link + " ol.steps li", (l) => l.length);
    await page.screenshot({ path: path.join(outdir, name + "-trace.png") });
    await page.keyboard.press("n");
    r.afterN = await page.evaluate(() => location.hash);
    await page.keyboard.press("Escape");
    r.afterEscape = await page.evaluate(() => location.hash);
    r.hidden = await page.$eval(r.link, (el) =>
      el.getBoundingClientRect().height === 0);
  }
  process.stdout.write(JSON.stringify(r) + "\n");
  await browser.close();
})().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
