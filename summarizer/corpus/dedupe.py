"""Near-duplicate articles: the same story published by two sites.

Similarity is the **Jaccard index of word 5-gram shingles**, estimated with MinHash:

* Text is lower-cased, common Unicode punctuation (curly quotes, dashes, ellipsis) is
  turned into spaces, and a *word* is a run of ASCII letters and digits or of non-ASCII
  characters. A shingle is five consecutive words (a text of fewer than five words is one
  shingle). Each shingle is hashed to 64 bits, deterministically (no ``hash()``).
* The signature is **one-permutation MinHash with rotation densification** (Li, Owen and
  Zhang 2012; Shrivastava and Li 2014): the 64-bit hash space is cut into
  :data:`NUM_BINS` bins, each bin keeps the smallest shingle hash falling in it, and an
  empty bin borrows from the next non-empty bin to its right. Two signatures agree at a
  position with probability equal to the Jaccard index, so the fraction of agreeing
  positions estimates it (standard error about ``sqrt(J(1-J)/128)``, 0.044 at 0.5).
* Candidate pairs come from **LSH banding** (32 bands of 4 positions; a pair at J = 0.5
  shares a band with probability 0.87, at J = 0.7 with 0.999, at J = 0.1 with 0.003) and
  are kept when the estimate is at least :data:`DEFAULT_THRESHOLD`.

On the seeds the exact 5-gram Jaccard of 001 and 002 (one Xinhua story, two sites) is
0.70 (estimated 0.76); every other pair is at most 0.002 (estimated 0.0). The threshold,
0.5, sits between them with a margin of several standard errors.

Only signatures are kept, never texts, and not in memory: each block of
:data:`_BLOCK` documents (128 x 4 bytes of signature and 32 x 4 bytes of band keys per
document) is appended to an anonymous temporary file when full, so memory holds one
block (640 KB) and each document's id, whatever the folder's size. :meth:`groups`
reads one band's keys at a time and only the signatures of candidate pairs.
One-permutation hashing costs one sort of the shingle hashes per document, so
:meth:`NearDuplicateIndex.add` takes about 0.4 ms for a 6,000-character article;
:meth:`NearDuplicateIndex.groups` sorts each band once (0.2 s for 20,000 articles).

Exact duplicates (identical sha256) are found elsewhere, by the pipeline.
"""

from __future__ import annotations

import array
import itertools
import math
import os
import tempfile
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from summarizer.corpus._keys import DiskKeys

__all__ = ["DEFAULT_THRESHOLD", "NUM_BINS", "SHINGLE_WORDS", "NearDuplicateIndex"]

SHINGLE_WORDS = 5
"""Words per shingle."""
NUM_BINS = 128
"""Signature length (one-permutation MinHash bins)."""
DEFAULT_THRESHOLD = 0.5
"""Estimated Jaccard index at or above which two documents are near-duplicates."""

_BANDS = 32
_ROWS = NUM_BINS // _BANDS
_BIN_BITS = 7  # log2(NUM_BINS): the top bits of a shingle hash pick its bin
_SMALL_BUCKET = 32  # band buckets up to this size yield candidate pairs one by one
_MAX_BUCKET = 2000  # in a larger bucket, members are checked against the first 2000 only
_BLOCK = 1024  # documents per block of the spill files
_SIG_BYTES = NUM_BINS * 4
_VERIFY_PAIRS = 1024  # candidate pairs (or rows of a cluster) checked at once: a few MB
_BLOCK_ROWS = 8  # cluster rows compared with a chunk at once: 8 x 1024 x 128 bools, 1 MB

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]

# Punctuation outside ASCII that would otherwise glue itself to words ("“You" != "\"You").
_UNICODE_PUNCT = "“”„‘’‚«»‹›—–‐‑‒―…·•、，。！？；：（）【】《》「」『』\u00a0\u2009\u200b"
# bytes.translate table: 1 for bytes that belong to words (ASCII letters and digits, and
# every byte of a multi-byte UTF-8 character), 0 for the rest.
_WORD_TABLE = bytes(
    1 if (chr(b).isascii() and chr(b).isalnum()) or b >= 0x80 else 0 for b in range(256)
)

_P = np.uint64(0x100000001B3)  # odd, so invertible modulo 2**64
_P_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_BIN_STARTS = np.arange(NUM_BINS, dtype=np.uint64) << np.uint64(64 - _BIN_BITS)
_BIN_IDS = np.arange(NUM_BINS, dtype=np.uint64)


def _splitmix(x: U64) -> U64:
    """The splitmix64 finaliser: a cheap, well-spread 64-bit mix (arrays wrap mod 2**64)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX2
    return x ^ (x >> np.uint64(31))


class _Powers:
    """``P**i`` and ``P**-i`` modulo 2**64, grown on demand."""

    def __init__(self) -> None:
        self.fwd: U64 = np.ones(1, dtype=np.uint64)
        self.inv: U64 = np.ones(1, dtype=np.uint64)

    def upto(self, n: int) -> tuple[U64, U64]:
        if len(self.fwd) < n:
            size = max(n, 2 * len(self.fwd), 1 << 14)
            self.fwd = np.ones(size, dtype=np.uint64)
            np.cumprod(np.full(size - 1, _P, dtype=np.uint64), out=self.fwd[1:])
            self.inv = np.ones(size, dtype=np.uint64)
            np.cumprod(np.full(size - 1, _P_INV, dtype=np.uint64), out=self.inv[1:])
        return self.fwd[:n], self.inv[:n]


_POWERS = _Powers()


def _word_hashes(text: str) -> U64:
    """One 64-bit hash per word, computed on the UTF-8 bytes without a Python loop."""
    lowered = text.lower()
    for ch in _UNICODE_PUNCT:
        if ch in lowered:
            lowered = lowered.replace(ch, " ")
    raw_bytes = lowered.encode("utf-8", "replace")
    n = len(raw_bytes)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    padded = np.zeros(n + 2, dtype=bool)
    padded[1:-1] = np.frombuffer(raw_bytes.translate(_WORD_TABLE), dtype=bool)
    starts = np.flatnonzero(padded[1:] > padded[:-1])
    ends = np.flatnonzero(padded[:-1] > padded[1:])
    if starts.size == 0:
        return np.zeros(0, dtype=np.uint64)
    fwd, inv = _POWERS.upto(n)
    # Polynomial hash of each word from prefix sums: (H[end] - H[start]) * P**-start.
    prefix = np.zeros(n + 1, dtype=np.uint64)
    weighted = np.frombuffer(raw_bytes, dtype=np.uint8).astype(np.uint64)
    np.multiply(weighted, fwd, out=weighted)
    np.cumsum(weighted, out=prefix[1:])
    words = (prefix[ends] - prefix[starts]) * inv[starts]
    return _splitmix(words + (ends - starts).astype(np.uint64))


_SHINGLE_MULT = [np.uint64(pow(0x9E3779B97F4A7C15, k + 1, 2**64) | 1) for k in range(SHINGLE_WORDS)]


def _shingle_hashes(text: str) -> U64:
    """One 64-bit hash per word 5-gram (a weighted sum of mixed word hashes, mixed again)."""
    words = _word_hashes(text)
    if words.size == 0:
        return words
    n = max(1, words.size - SHINGLE_WORDS + 1)
    acc = words[:n] * _SHINGLE_MULT[0]
    for k in range(1, min(SHINGLE_WORDS, words.size)):
        acc += words[k : k + n] * _SHINGLE_MULT[k]
    return _splitmix(acc)


def _signature(text: str) -> U32 | None:
    """The densified one-permutation MinHash of ``text``; None when it has no words."""
    hashes = _shingle_hashes(text)
    if hashes.size == 0:
        return None
    ordered = np.sort(hashes)
    idx = np.minimum(np.searchsorted(ordered, _BIN_STARTS), ordered.size - 1)
    mins = ordered[idx]
    filled = (mins >> np.uint64(64 - _BIN_BITS)) == _BIN_IDS
    if filled.all():
        low: U32 = mins.astype(np.uint32)  # the low 32 bits of a well-mixed hash
        return low
    # Rotation densification: an empty bin takes the next non-empty bin to its right
    # (circularly), offset by the distance so borrowed values differ from genuine ones.
    full = np.flatnonzero(filled)
    doubled = np.concatenate([full, full + NUM_BINS])
    nxt = doubled[np.searchsorted(doubled, np.arange(NUM_BINS))]
    distance = (nxt - np.arange(NUM_BINS)).astype(np.uint64)
    borrowed: U32 = (mins[nxt % NUM_BINS] + distance * _GOLDEN).astype(np.uint32)
    return borrowed


_BAND_MULT = np.array(
    [pow(0x9E3779B97F4A7C15, k + 1, 2**64) | 1 for k in range(_ROWS)], dtype=np.uint64
)
_BAND_SALT = _splitmix(np.arange(_BANDS, dtype=np.uint64))


def _band_keys(sig: U32) -> U32:
    """One 32-bit key per band of :data:`_ROWS` signature positions.

    32 bits suffice: a chance collision only makes a candidate pair, which the
    signatures then reject.
    """
    rows = sig.reshape(_BANDS, _ROWS).astype(np.uint64)
    keys = _splitmix((rows * _BAND_MULT).sum(axis=1, dtype=np.uint64) + _BAND_SALT)
    low: U32 = keys.astype(np.uint32)
    return low


class NearDuplicateIndex:
    """Finds near-duplicate documents among those added, keeping only signatures.

    >>> index = NearDuplicateIndex()
    >>> index.add("a", "the quick brown fox jumps over the lazy dog " * 3)
    >>> index.add("b", "the quick brown fox jumps over the lazy dog " * 3 + "today")
    >>> index.groups()
    {'a': ['b'], 'b': ['a']}
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        """``threshold``: the estimated Jaccard index at or above which documents link."""
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {threshold!r}")
        self.threshold = threshold
        self._min_agree = math.ceil(threshold * NUM_BINS - 1e-9)
        # Ids by row, on disk (a list and a dict of them grew with the folder).
        self._ids = DiskKeys()
        # The current block; full blocks go to the spill files (band keys stored band by
        # band within a block, so one band's keys are a contiguous 4 KB per block).
        self._sigs: U32 = np.zeros((_BLOCK, NUM_BINS), dtype=np.uint32)
        self._bands: U32 = np.zeros((_BLOCK, _BANDS), dtype=np.uint32)
        self._flushed = 0  # rows already in the spill files
        self._sig_file: Any = None
        self._band_file: Any = None
        self._empty: set[int] = set()
        self._groups: dict[str, list[str]] | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._ids

    def add(self, doc_id: str, text: str) -> None:
        """Add a document's signature; the text itself is not kept.

        Raises ``ValueError`` when ``doc_id`` was already added.
        """
        row = self._ids.add(doc_id)
        if row is None:
            raise ValueError(f"document {doc_id!r} was already added to the index")
        sig = _signature(text)
        slot = row - self._flushed
        if sig is None:
            self._empty.add(row)  # no words: never anyone's near-duplicate
            self._sigs[slot] = 0
            self._bands[slot] = 0
        else:
            self._sigs[slot] = sig
            self._bands[slot] = _band_keys(sig)
        self._groups = None
        if slot + 1 == _BLOCK:
            self._flush()

    def _flush(self) -> None:
        if self._sig_file is None:
            # Anonymous files, removed by the OS when closed (with the index).
            self._sig_file = tempfile.TemporaryFile(prefix="summarizer-minhash-")  # noqa: SIM115
            self._band_file = tempfile.TemporaryFile(prefix="summarizer-bands-")  # noqa: SIM115
        self._sig_file.write(self._sigs.tobytes())
        self._band_file.write(np.ascontiguousarray(self._bands.T).tobytes())
        self._sig_file.flush()
        self._band_file.flush()
        self._flushed += _BLOCK

    def _band(self, band: int) -> U32:
        """Every document's key in ``band``, in row order."""
        parts = []
        if self._band_file is not None:
            fd, size = self._band_file.fileno(), _BLOCK * 4
            for block in range(self._flushed // _BLOCK):
                raw = os.pread(fd, size, (block * _BANDS + band) * size)
                parts.append(np.frombuffer(raw, dtype=np.uint32))
        parts.append(self._bands[: len(self._ids) - self._flushed, band])
        return np.concatenate(parts)

    def _rows(self, rows: Iterable[int]) -> U32:
        """The signatures of ``rows``, in that order."""
        rows = list(rows)
        out = np.empty((len(rows), NUM_BINS), dtype=np.uint32)
        fd = self._sig_file.fileno() if self._sig_file is not None else -1
        for i, row in enumerate(rows):
            if row >= self._flushed:
                out[i] = self._sigs[row - self._flushed]
            else:
                raw = os.pread(fd, _SIG_BYTES, row * _SIG_BYTES)
                out[i] = np.frombuffer(raw, dtype=np.uint32)
        return out

    def similarity(self, a_id: str, b_id: str) -> float:
        """The estimated Jaccard index of two added documents' 5-gram shingles, in [0, 1].

        Raises ``KeyError`` for an id that was never added.
        """
        a, b = self._ids.row(a_id), self._ids.row(b_id)
        if a is None or b is None:
            raise KeyError(a_id if a is None else b_id)
        if a == b:
            return 1.0 if a not in self._empty else 0.0
        if a in self._empty or b in self._empty:
            return 0.0
        sa, sb = self._rows((a, b))
        return float(np.count_nonzero(sa == sb)) / NUM_BINS

    def groups(self) -> dict[str, list[str]]:
        """``{doc_id: [ids of its near-duplicates, sorted]}`` for every document that has one.

        Links are pairwise (estimated Jaccard >= threshold), not a transitive closure:
        A ~ B and B ~ C does not put C under A unless A ~ C too.
        """
        if self._groups is None:
            self._groups = self._compute_groups()
        return {k: list(v) for k, v in self._groups.items()}

    def _linked_pairs(self) -> set[tuple[int, int]]:
        """Row pairs that share a band and whose estimated similarity passes the threshold.

        Memory stays bounded: one band's keys at a time, small buckets' pairs checked band
        by band in batches, large buckets' clusters checked block by block.
        """
        n = len(self._ids)
        if n < 2:
            return set()
        live = np.setdiff1d(np.arange(n, dtype=np.int64), np.fromiter(self._empty, np.int64))
        linked: set[tuple[int, int]] = set()
        # Union-find over the rows of large buckets, in flat arrays (8 bytes a document,
        # not a dict entry): many rows of a big folder sit in large buckets.
        parent = array.array("q", range(n))
        in_big = bytearray(n)

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for band in range(_BANDS):
            keys = self._band(band)[live]
            order = np.argsort(keys, kind="stable")
            sorted_keys = keys[order]
            starts = np.flatnonzero(np.diff(sorted_keys, prepend=~sorted_keys[:1]))
            lengths = np.diff(starts, append=sorted_keys.size)
            pairs: list[tuple[int, int]] = []
            # Only buckets of two or more make pairs (not a list of every key: ~n ints).
            shared = lengths >= 2
            for start, length in zip(
                starts[shared].tolist(), lengths[shared].tolist(), strict=True
            ):
                members = sorted(live[order[start : start + length]].tolist())
                if length <= _SMALL_BUCKET:
                    pairs.extend(p for p in itertools.combinations(members, 2) if p not in linked)
                    if len(pairs) >= _VERIFY_PAIRS:
                        linked.update(self._verify_pairs(pairs))
                        pairs = []
                else:
                    root = find(members[0])
                    in_big[members[0]] = 1
                    for m in members[1:]:
                        parent[find(m)] = root
                        in_big[m] = 1
            linked.update(self._verify_pairs(pairs))
        # Many copies of one story share buckets in every band: check each cluster of
        # large buckets once, as a block, instead of pair by pair and band by band.
        big = np.flatnonzero(np.frombuffer(bytes(in_big), dtype=np.uint8))
        if big.size:
            roots = np.array([find(int(row)) for row in big], dtype=np.int64)
            order = np.argsort(roots, kind="stable")
            bounds = np.flatnonzero(np.diff(roots[order], prepend=-1))
            for rows in np.split(big[order], bounds[1:]):
                linked.update(self._verify_block(rows.astype(np.int64)))
        return linked

    def _verify_pairs(self, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The pairs whose signatures agree enough, checked _VERIFY_PAIRS at a time."""
        out: list[tuple[int, int]] = []
        for lo in range(0, len(pairs), _VERIFY_PAIRS):
            batch = pairs[lo : lo + _VERIFY_PAIRS]
            needed: dict[int, int] = {}
            for a, b in batch:
                needed.setdefault(a, len(needed))
                needed.setdefault(b, len(needed))
            sigs = self._rows(needed)
            arr = np.array([(needed[a], needed[b]) for a, b in batch], dtype=np.int64)
            agree = np.count_nonzero(sigs[arr[:, 0]] == sigs[arr[:, 1]], axis=1)
            ok = (agree >= self._min_agree).tolist()
            out.extend(p for p, keep in zip(batch, ok, strict=True) if keep)
        return out

    def _verify_block(self, rows: npt.NDArray[np.int64]) -> list[tuple[int, int]]:
        """Linked pairs within ``rows``; past _MAX_BUCKET rows, only pairs with the first ones.

        The first rows are compared with every row, a chunk of rows at a time.
        """
        head = self._rows(rows[:_MAX_BUCKET].tolist())
        out: list[tuple[int, int]] = []
        for at in range(0, len(rows), _VERIFY_PAIRS):
            chunk_rows = rows[at : at + _VERIFY_PAIRS]
            if at + len(chunk_rows) <= len(head):
                chunk = head[at : at + len(chunk_rows)]
            else:
                chunk = self._rows(chunk_rows.tolist())
            for lo in range(0, min(len(head), at + len(chunk_rows)), _BLOCK_ROWS):
                block = head[lo : lo + _BLOCK_ROWS]
                agree = np.count_nonzero(block[:, None, :] == chunk[None, :, :], axis=2)
                ii, jj = np.nonzero(agree >= self._min_agree)
                keep = jj + at > ii + lo
                out.extend(
                    zip(rows[ii[keep] + lo].tolist(), chunk_rows[jj[keep]].tolist(), strict=True)
                )
        return out

    def _compute_groups(self) -> dict[str, list[str]]:
        linked: dict[int, set[int]] = {}
        for a, b in self._linked_pairs():
            linked.setdefault(a, set()).add(b)
            linked.setdefault(b, set()).add(a)
        key = self._ids.key
        groups = {key(a): sorted(key(b) for b in others) for a, others in linked.items()}
        return dict(sorted(groups.items()))

    def stats(self) -> dict[str, Any]:
        """Counts for a run report: documents indexed, empty ones, signature bytes held."""
        return {
            "documents": len(self._ids),
            "empty": len(self._empty),
            "signature_bytes": int(self._sigs.nbytes + self._bands.nbytes),
            "spilled_bytes": self._flushed * (_SIG_BYTES + _BANDS * 4),
        }
