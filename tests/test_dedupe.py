"""Tests for summarizer.dedupe: the seeds, planted perturbations, exact Jaccard as oracle."""

from __future__ import annotations

import itertools
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summarizer.corpus.dedupe import DEFAULT_THRESHOLD, NUM_BINS, NearDuplicateIndex

SEEDS = Path(__file__).parent.parent / "seeds"


def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def jaccard(a: str, b: str, k: int = 5) -> float:
    """Exact Jaccard of word k-gram sets, with the index's notion of a word (ASCII text)."""

    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        return {tuple(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}

    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


def index_of(texts: dict[str, str]) -> NearDuplicateIndex:
    index = NearDuplicateIndex()
    for doc_id, text in texts.items():
        index.add(doc_id, text)
    return index


def replace_words(text: str, fraction: float, seed: int) -> str:
    rng = random.Random(seed)
    words = text.split()
    for i in rng.sample(range(len(words)), int(len(words) * fraction)):
        words[i] = f"zz{rng.randrange(10**6)}"
    return " ".join(words)


# --------------------------------------------------------------------------- seeds


def test_seed_001_and_002_are_near_duplicates_and_nothing_else() -> None:
    texts = seed_texts()
    index = index_of(texts)
    a, b = "001_4641404722756e64", "002_8b8e5aa601a30fad"
    assert index.groups() == {a: [b], b: [a]}
    assert index.similarity(a, b) >= DEFAULT_THRESHOLD + 0.1  # exact Jaccard is 0.70
    for x, y in itertools.combinations(texts, 2):
        if {x, y} != {a, b}:
            assert index.similarity(x, y) < 0.1, (x, y)


def test_similarity_is_symmetric_and_one_with_itself() -> None:
    texts = seed_texts()
    index = index_of(texts)
    a, b = "001_4641404722756e64", "002_8b8e5aa601a30fad"
    assert index.similarity(a, b) == index.similarity(b, a)
    assert index.similarity(a, a) == 1.0


# --------------------------------------------------------------------------- perturbations

BASE = seed_texts()["001_4641404722756e64"]


@pytest.mark.parametrize(
    ("name", "variant", "linked"),
    [
        ("identical", BASE, True),
        (
            "curly to straight quotes",
            BASE.replace("“", '"').replace("”", '"').replace("’", "'"),
            True,
        ),
        ("upper case", BASE.upper(), True),
        ("reflowed whitespace", " ".join(BASE.split()), True),
        ("5% of words replaced", replace_words(BASE, 0.05, 1), True),
        ("boilerplate appended", BASE + "\nRead more. " * 40 + "Cookies policy. " * 20, True),
        ("first half only", BASE[: len(BASE) // 2], False),
        ("40% of words replaced", replace_words(BASE, 0.4, 2), False),
        ("another article", seed_texts()["003_54e975f5c95d2ef2"], False),
    ],
)
def test_planted_perturbations(name: str, variant: str, linked: bool) -> None:
    index = index_of({"base": BASE, "variant": variant})
    assert ("variant" in index.groups().get("base", [])) is linked, (
        name,
        index.similarity("base", "variant"),
    )


@pytest.mark.parametrize("fraction", [0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5])
def test_estimate_tracks_exact_jaccard(fraction: float) -> None:
    variant = replace_words(BASE, fraction, 7)
    index = index_of({"a": BASE, "b": variant})
    exact = jaccard(BASE, variant)
    # Standard error is at most 0.5 / sqrt(128) = 0.044; allow three of them.
    assert abs(index.similarity("a", "b") - exact) <= 3 * 0.5 / NUM_BINS**0.5


def test_estimate_is_unbiased_over_many_pairs() -> None:
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(5000)]
    errors = []
    for _ in range(60):
        words = rng.choices(vocab, k=600)
        cut = rng.randrange(100, 500)
        a = " ".join(words[: cut + 100])
        b = " ".join(words[cut - 100 :] + rng.choices(vocab, k=rng.randrange(0, 300)))
        index = index_of({"a": a, "b": b})
        errors.append(index.similarity("a", "b") - jaccard(a, b))
    assert abs(sum(errors) / len(errors)) < 0.02


# --------------------------------------------------------------------------- edges


def test_empty_and_short_texts() -> None:
    index = index_of(
        {"empty": "", "blank": "  \n ", "short": "Hello world", "short2": "hello, WORLD!"}
    )
    assert index.similarity("empty", "blank") == 0.0
    assert index.similarity("empty", "empty") == 0.0
    assert index.similarity("short", "short2") == 1.0
    assert index.groups() == {"short": ["short2"], "short2": ["short"]}
    assert len(index) == 4 and "empty" in index


def test_errors() -> None:
    index = NearDuplicateIndex()
    index.add("a", "some text here for the index")
    with pytest.raises(ValueError, match="already added"):
        index.add("a", "again")
    with pytest.raises(KeyError):
        index.similarity("a", "missing")
    with pytest.raises(ValueError, match="threshold"):
        NearDuplicateIndex(threshold=0.0)


def test_many_copies_form_one_clique_and_groups_are_cached_until_add() -> None:
    texts = {f"copy{i:03d}": BASE for i in range(60)}
    texts["other"] = seed_texts()["004_777a6af17b3ba81c"]
    index = index_of(texts)
    groups = index.groups()
    assert "other" not in groups
    assert groups["copy000"] == [f"copy{i:03d}" for i in range(1, 60)]
    assert all(len(v) == 59 for v in groups.values())
    index.add("copy-late", BASE)
    assert "copy-late" in index.groups()["copy000"]


def test_signatures_do_not_depend_on_the_hash_seed() -> None:
    code = (
        "import sys; from summarizer.corpus.dedupe import _signature; "
        "print(_signature(sys.stdin.read()).tolist()[:16])"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            input=BASE,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1


def test_only_signatures_are_kept() -> None:
    index = index_of(seed_texts())
    stats = index.stats()
    assert stats["documents"] == 5
    # One block in memory: 128 x uint32 of signature + 32 x uint32 of band keys per row.
    assert stats["signature_bytes"] == 1024 * (NUM_BINS * 4 + 32 * 4)
    assert stats["spilled_bytes"] == 0


def test_full_blocks_go_to_disk_and_still_link() -> None:
    texts = list(seed_texts().values())
    index = NearDuplicateIndex()
    for i in range(2500):  # two full blocks spilled, one in memory
        index.add(f"d{i:04d}", texts[i % 3] + f" unique tail number {i}" * (i % 2))
    stats = index.stats()
    assert stats["spilled_bytes"] == 2048 * (NUM_BINS * 4 + 32 * 4)
    assert stats["signature_bytes"] == 1024 * (NUM_BINS * 4 + 32 * 4)
    groups = index.groups()
    # Rows 0 (spilled) and 2499 (in memory) hold alike texts; so do 3 and 1500.
    assert "d2499" in groups["d0000"]
    assert "d1500" in groups["d0003"]
    assert index.similarity("d0003", "d1500") == index.similarity("d1500", "d0003") > 0.5


def test_add_is_fast() -> None:
    texts = list(seed_texts().values())
    index = NearDuplicateIndex()
    start = time.process_time()
    n = 1000
    for i in range(n):
        index.add(str(i), texts[i % len(texts)] + f" variant {i}")
    per_doc = (time.process_time() - start) / n
    assert per_doc < 0.005, f"{per_doc * 1e3:.2f} ms per article"
    assert len(index.groups()) == n
