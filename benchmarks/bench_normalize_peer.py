"""The normaliser against test sets nobody here wrote (issue 10).

Peer data (copied into ``benchmarks/data/peer/``, sources and licences in its README):

* Microsoft Recognizers-Text English specs: ``CurrencyModel.json`` (money, mostly
  newswire sentences), ``PercentModel.json`` (percent), ``NumberModel.json`` (numbers; the
  ones written with a scale word form the "counts with scale words" category),
  ``DimensionModel.json`` (physical units).
* Duckling's English time corpus (``Time/EN/Corpus.hs``): the examples whose answer is a
  day, a month or a year (reference time Tuesday 2013-02-12 04:30). Times of day, weeks,
  quarters, intervals and holidays are another task: they are counted, not scored.

Every expected quantity is looked for among :func:`parse_quantities` of the input (same
value, and for money and units the same unit); every date is compared with
:func:`parse_period` at the expected grain, and also with ``dateparser`` (when installed)
to measure it. Each mismatch must be classified, case by case, in
``benchmarks/data/peer/classification.tsv`` as ``real_error``, ``convention`` or
``out_of_scope`` with a note; an unclassified mismatch counts as a real error. Accuracy
per category is correct / (correct + real errors).

It also replays every peer quantity as a model answer with the right value and counts
the cases where code replaces it by a value 1,000-fold away (target: zero).

    python benchmarks/bench_normalize_peer.py            # the table
    python benchmarks/bench_normalize_peer.py --list     # every mismatch with its class
    python benchmarks/bench_normalize_peer.py --draft    # unclassified mismatches as TSV rows
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT / "benchmarks" / "data" / "peer"
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))

from summarizer.ground.normalize import (  # noqa: E402
    normalize_statistic,
    parse_period,
    parse_quantities,
)
from summarizer.records import ExtractedStatistic  # noqa: E402

REFERENCE = "2013-02-12"  # Duckling's reference time: Tuesday 12 February 2013, 04:30
CATEGORIES = ("money", "percent", "counts with scale words", "physical units", "dates")
TARGETS = {"money": 0.95, "percent": 0.95, "counts with scale words": 0.95,
           "physical units": 0.9, "dates": 0.9}  # fmt: skip
_SCALE_WORD_RE = re.compile(
    r"(?i:hundred|thousand|million|billion|trillion|lakh|crore|dozen|\d\s?(?:k|m|b|bn|mn|tn)\b)"
)

# Recognizers-Text unit names -> this project's canonical units.
_CURRENCY = {"Dollar": "USD", "United States dollar": "USD", "Pound": "GBP", "British pound": "GBP",
             "Euro": "EUR", "Japanese yen": "JPY", "Yen": "JPY", "Chinese yuan": "CNY",
             "Canadian dollar": "CAD", "Australian dollar": "AUD", "Indian rupee": "INR",
             "Swiss franc": "CHF", "Hong Kong dollar": "HKD", "Rupee": "INR", "Yuan": "CNY",
             # Units this project keeps as the counted word, named as it names them.
             "Cent": "cents", "Franc": "francs", "Peseta": "pesetas", "Satoshi": "satoshis",
             "Bitcoin": "BTC"}  # fmt: skip
_DIMENSION = {"Mile": "miles", "Kilometer": "km", "Meter": "m", "Centimeter": "cm",
              "Millimeter": "mm", "Inch": "in", "Foot": "ft", "Yard": "yards", "Pound": "lb",
              "Kilogram": "kg", "Gram": "g", "Ton": "tonnes", "Metric ton": "tonnes",
              "Ounce": "oz", "Liter": "litres", "Gallon": "gallons", "Barrel": "barrels",
              "Square mile": "mi2", "Square kilometer": "km2", "Square meter": "m2",
              "Square foot": "ft2", "Acre": "acres", "Hectare": "hectares",
              "Cubic meter": "m3", "Cubic foot": "ft3", "Megabyte": "MB", "Gigabyte": "GB",
              "Terabyte": "TB", "Kilowatt": "kW", "Megawatt": "MW", "Gigawatt": "GW",
              "Kilowatt hour": "kWh", "Mile per hour": "mph", "Kilometer per hour": "km/h",
              "Meter per second": "m/s", "Knot": "knots", "Milliliter": "ml"}  # fmt: skip


@dataclass
class Item:
    """One expected answer of a peer test set."""

    id: str
    category: str
    text: str
    want: str  # "value unit", or an ISO date
    value: float | None = None
    unit: str | None = None
    span: str = ""


# --------------------------------------------------------------------------- loading


def _recognizers(name: str, category: str, keep: Any = None) -> list[Item]:
    data = json.loads((PEER / f"recognizers_{name}.json").read_text(encoding="utf-8"))
    out: list[Item] = []
    for i, case in enumerate(data):
        for j, res in enumerate(case.get("Results") or []):
            r = res.get("Resolution") or {}
            raw = str(r.get("value", "")).rstrip("%")
            try:
                value = float(raw)
            except ValueError:
                continue  # ranges and unresolved values are not single quantities
            cat = category if keep is None else keep(res)
            if cat is None:
                continue
            unit: str | None = None
            if category == "money":
                unit = r.get("isoCurrency") or _CURRENCY.get(r.get("unit", ""), r.get("unit"))
            elif category == "physical units":
                unit = _DIMENSION.get(r.get("unit", ""), r.get("unit"))
            elif category == "percent":
                unit = "percent"
            out.append(Item(f"{name}:{i}:{j}", cat, case["Input"], f"{value:g} {unit or ''}".strip(),
                            value, unit, res.get("Text", "")))  # fmt: skip
    return out


def _number_category(res: dict[str, Any]) -> str | None:
    return "counts with scale words" if _SCALE_WORD_RE.search(res.get("Text", "")) else None


def _hs_string(s: str) -> str:
    s = re.sub(r"\\x([0-9a-fA-F]+)", lambda m: chr(int(m.group(1), 16)), s)
    return s.replace("\\&", "").replace('\\"', '"').replace("\\\\", "\\")


def _duckling_dates() -> tuple[list[Item], int]:
    src = (PEER / "duckling_Time_EN_Corpus.hs").read_text(encoding="utf-8")
    body = src[src.index("allExamples :: [Example]") :]
    out: list[Item] = []
    skipped = 0
    pat = re.compile(
        r"examples\s*\((?P<expr>(?:[^()]|\([^()]*\))*)\)\s*\[(?P<list>.*?)\n\s*\]", re.S
    )
    for k, m in enumerate(pat.finditer(body)):
        strings = [_hs_string(s) for s in re.findall(r'"((?:[^"\\]|\\.)*)"', m.group("list"))]
        dm = re.fullmatch(r"\s*datetime\s*\((\d+),\s*(\d+),\s*(\d+),[^)]*\)\s*(Day|Month|Year)\s*",
                          m.group("expr"))  # fmt: skip
        if dm is None:
            skipped += len(strings)
            continue
        y, mo, d, grain = int(dm[1]), int(dm[2]), int(dm[3]), dm[4]
        want = {
            "Day": f"{y:04d}-{mo:02d}-{d:02d}",
            "Month": f"{y:04d}-{mo:02d}",
            "Year": f"{y:04d}",
        }[grain]
        for j, s in enumerate(strings):
            out.append(Item(f"time:{k}:{j}", "dates", s, want))
    return out, skipped


def load() -> tuple[list[Item], int]:
    """Every scored item, and how many Duckling time examples are out of this task."""
    items = [
        *_recognizers("CurrencyModel", "money"),
        *_recognizers("PercentModel", "percent"),
        *_recognizers("NumberModel", "counts", _number_category),
        *_recognizers("DimensionModel", "physical units"),
    ]
    dates, skipped = _duckling_dates()
    return items + dates, skipped


# --------------------------------------------------------------------------- scoring


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def check(item: Item) -> tuple[bool, str]:
    """Whether the normaliser gets ``item``, and what it gave."""
    if item.category == "dates":
        got = parse_period(item.text, reference_date=REFERENCE)
        return got == item.want, str(got)
    found = parse_quantities(item.text)
    got = "; ".join(f"{q.value:g} {q.unit or ''}".strip() for q in found) or "nothing"
    assert item.value is not None
    for q in found:
        if not _close(q.value, item.value):
            continue
        if item.category in ("money", "physical units", "percent") and q.unit != item.unit:
            continue
        return True, got
    return False, got


def dateparser_check(items: list[Item]) -> tuple[int, float] | None:
    """Correct answers of ``dateparser`` on the date items, and seconds taken."""
    try:
        import dateparser
    except ImportError:
        return None
    base = _dt.datetime(2013, 2, 12, 4, 30)
    settings = {"RELATIVE_BASE": base, "RETURN_TIME_AS_PERIOD": True}
    right = 0
    start = time.perf_counter()
    for it in items:
        got = dateparser.parse(it.text, languages=["en"], settings=settings)  # type: ignore[arg-type]
        if got is not None:
            iso = got.strftime("%Y-%m-%d")[: len(it.want)]
            right += iso == it.want
    return right, time.perf_counter() - start


def overrides(items: list[Item]) -> tuple[int, int]:
    """(cases, 1,000-fold overrides) when each peer quantity is a right model answer."""
    n = bad = 0
    for it in items:
        if it.value is None or not it.span or it.value == 0:
            continue
        stat = ExtractedStatistic(metric="figure", value=it.value, unit=it.unit, value_text=it.span,
                                  period=None, evidence=it.text)  # fmt: skip
        got = normalize_statistic(stat).value
        n += 1
        if got is not None and got != 0:
            ratio = max(abs(got), abs(it.value)) / min(abs(got), abs(it.value))
            bad += ratio >= 1000
    return n, bad


def classification() -> dict[str, tuple[str, str, str]]:
    """id -> (verdict, text, note) from the reviewed file."""
    out: dict[str, tuple[str, str, str]] = {}
    with (PEER / "classification.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and not row[0].startswith("#") and row[0] != "id":
                out[row[0]] = (row[1], row[2], row[3] if len(row) > 3 else "")
    return out


def main() -> int:
    """Score every category and print the table (or the mismatches)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--list", action="store_true", help="print every mismatch with its class")
    ap.add_argument("--draft", action="store_true", help="print unclassified mismatches as TSV")
    args = ap.parse_args()

    items, skipped = load()
    verdicts = classification()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    start = time.perf_counter()
    stale = 0
    for it in items:
        ok, got = check(it)
        if ok:
            counts[it.category]["correct"] += 1
            if it.id in verdicts:
                stale += 1  # classified as a mismatch but now right: the file needs a review
            continue
        verdict, text, _note = verdicts.get(it.id, ("unreviewed", "", ""))
        if verdict != "unreviewed" and text != it.text.replace("\t", " "):
            verdict = "unreviewed"  # the data changed under the review
        counts[it.category][verdict] += 1
        if args.draft and verdict == "unreviewed":
            print(f"{it.id}\t?\t{it.text}\twant {it.want}; got {got}")
        elif args.list:
            print(
                f"{verdict:12} {it.category:24} {it.id:22} want {it.want!r:24} got {got!r:30} | {it.text[:90]}"
            )
    seconds = time.perf_counter() - start
    if args.draft:
        return 0

    print(
        f"{'category':26}{'n':>5}{'correct':>9}{'real':>6}{'conv':>6}{'scope':>7}{'unrev':>7}{'accuracy':>10}{'target':>8}"
    )
    result: dict[str, Any] = {}
    for cat in (*CATEGORIES, "counts"):
        c = counts.get(cat)
        if not c:
            continue
        real = c["real_error"] + c["unreviewed"]
        acc = c["correct"] / (c["correct"] + real) if c["correct"] + real else 1.0
        n = sum(c.values())
        target = TARGETS.get(cat)
        print(f"{cat:26}{n:>5}{c['correct']:>9}{c['real_error']:>6}{c['convention']:>6}"
              f"{c['out_of_scope']:>7}{c['unreviewed']:>7}{acc:>10.3f}{target or '':>8}")  # fmt: skip
        result[cat] = {**c, "n": n, "accuracy": round(acc, 4)}
    dates = [it for it in items if it.category == "dates"]
    ours = counts["dates"]["correct"]
    print(
        f"\nDuckling time examples out of this task (times, weeks, intervals, holidays): {skipped}"
    )
    print(f"dates, strict (every mismatch counted): ours {ours}/{len(dates)}")
    dp = dateparser_check(dates)
    if dp is not None:
        print(f"dates, strict, dateparser: {dp[0]}/{len(dates)} in {dp[1]:.2f} s")
        result["dateparser_dates_correct"] = dp[0]
    n, bad = overrides([it for it in items if it.category != "dates"])
    print(f"right model values replayed: {n}; replaced by a value 1,000-fold away: {bad}")
    print(
        f"normaliser time: {seconds:.2f} s for {len(items)} items; stale classifications: {stale}"
    )
    result.update(overrides={"cases": n, "thousandfold": bad}, stale=stale, skipped_time=skipped)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "normalize_peer.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
