"""report.html in headless Chromium: no script errors, highlights at the right offsets.

Chromium runs twice, with no network and a throw-away profile: once with ``--dump-dom``
on a copy of the report that carries a probe script (it records errors, reads every
record's marks, clicks a record and toggles a filter, and writes what it saw as JSON into
the DOM), and once with ``--screenshot`` on the report itself. Without Chromium the test
skips, unless the environment variable CI is set: then it fails.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from summarizer.corpus.consolidate import consolidate
from summarizer.outputs.brief import write_report_html
from summarizer.records import RunFailure

from .test_report import seed_results, texts

pytestmark = pytest.mark.browser

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

ERROR_TRAP = """<script>
window.__errors = [];
window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
(function () {
  var original = console.error;
  console.error = function () {
    window.__errors.push(Array.prototype.join.call(arguments, " "));
    original.apply(console, arguments);
  };
})();
</script>"""

PROBE = """<script>
(function () {
  var out = { errors: window.__errors, records: [], texts: {}, flash: null, filter: null };
  try {
    var link = document.querySelector('header a[href="#left-out"]');
    out.leftOut = { rows: document.querySelectorAll("#left-out tr").length,
      linked: !!link && !!document.getElementById(link.getAttribute("href").slice(1)) };
    document.querySelectorAll(".text[data-doc]").forEach(function (el) {
      out.texts[el.getAttribute("data-doc")] = el.textContent;
    });
    document.querySelectorAll("li.rec[data-start]").forEach(function (li) {
      var rid = li.getAttribute("data-rid");
      var doc = li.closest("details").getAttribute("data-doc");
      var marks = window.summarizerReport.marksOf(rid);
      out.records.push({
        rid: rid, doc: doc, start: +li.getAttribute("data-start"), end: +li.getAttribute("data-end"),
        text: marks.map(function (m) { return m.textContent; }).join(""),
        inArticle: marks.every(function (m) { return m.closest(".text").getAttribute("data-doc") === doc; })
      });
    });
    var first = document.querySelector("li.rec[data-jump]");
    first.click();
    var flashed = window.summarizerReport.marksOf(first.getAttribute("data-rid"));
    out.flash = { rid: first.getAttribute("data-rid"), marks: flashed.length,
      flashing: flashed.filter(function (m) { return m.classList.contains("flash"); }).length };
    var box = document.querySelector('#filters input[data-filter="statistic"]');
    box.checked = false;
    box.dispatchEvent(new Event("change"));
    var onlyStat = Array.prototype.filter.call(document.querySelectorAll("mark"), function (m) {
      return m.getAttribute("data-types") === "statistic";
    });
    out.filter = {
      statMarks: onlyStat.length,
      statMarksOff: onlyStat.filter(function (m) { return m.classList.contains("off"); }).length,
      statItemsShown: document.querySelectorAll("li.rec-statistic:not(.hidden)").length,
      quoteItemsShown: document.querySelectorAll("li.rec-quote:not(.hidden)").length
    };
  } catch (e) {
    out.errors.push("probe: " + e);
  }
  var pre = document.createElement("pre");
  pre.id = "probe-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    message = "headless Chromium is needed: apt-get install -y chromium chromium-driver"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run_chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "HOME": str(profile)},
    )


def probe(report: Path, tmp_path: Path) -> dict[str, Any]:
    page = report.read_text(encoding="utf-8")
    page = page.replace("<head>", "<head>" + ERROR_TRAP, 1).replace("</body>", PROBE + "</body>", 1)
    probed = tmp_path / "probe.html"
    probed.write_text(page, encoding="utf-8")
    done = run_chromium(
        ["--virtual-time-budget=3000", "--enable-logging=stderr", "--dump-dom", probed.as_uri()],
        tmp_path / "profile-dom",
    )
    found = re.search(r'<pre id="probe-result">(.*?)</pre>', done.stdout, re.S)
    assert found, f"no probe result; chromium said:\n{done.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    result["console"] = [
        line for line in done.stderr.splitlines() if "CONSOLE" in line and "Uncaught" in line
    ]
    return result


def test_report_in_headless_chromium(tmp_path: Path) -> None:
    chromium()
    results = seed_results()
    article_texts = texts()
    failed = [RunFailure(id="bad", path="/in/bad.txt", reason='the model said "<no>"')]
    skipped = [RunFailure(id="empty", path="/in/empty.txt", reason="empty file")]
    report = write_report_html(
        consolidate(results),
        results,
        article_texts,
        tmp_path / "out",
        failed=failed,
        skipped=skipped,
    )

    seen = probe(report, tmp_path)
    assert seen["errors"] == [] and seen["console"] == []
    # The failed and skipped articles: a header row and one row each, linked from the top.
    assert seen["leftOut"] == {"rows": 3, "linked": True}
    # The rendered text is the article text, character for character.
    for result in results:
        doc_id = result.document.id
        assert seen["texts"][doc_id] == article_texts[doc_id]
    # Every placed record's marks spell article[start:end], inside its own article.
    placed = [rec for res in results for rec in (*res.statistics, *res.milestones, *res.quotes)]
    grounded = [r for r in placed if r.evidence.start is not None]
    assert len(seen["records"]) == len(grounded) > 5
    for rec in seen["records"]:
        assert rec["inArticle"], rec
        assert rec["text"] == article_texts[rec["doc"]][rec["start"] : rec["end"]], rec
    # Clicking a record flashes its span; unticking "Statistics" dims their marks.
    assert seen["flash"]["marks"] >= 1 and seen["flash"]["flashing"] == seen["flash"]["marks"]
    f = seen["filter"]
    assert f["statMarks"] > 0 and f["statMarksOff"] == f["statMarks"]
    assert f["statItemsShown"] == 0 and f["quoteItemsShown"] > 0

    shot = tmp_path / "report.png"
    done = run_chromium(
        ["--window-size=1400,2600", "--hide-scrollbars", f"--screenshot={shot}", report.as_uri()],
        tmp_path / "profile-shot",
    )
    assert shot.is_file(), done.stderr[-3000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
