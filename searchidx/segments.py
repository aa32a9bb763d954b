"""A new Whoosh segment written a term at a time, for the index workers (`searchidx.parallel`).

Whoosh's `SegmentWriter` puts every posting (field, term, document, weight, value) into a
sorting pool as a tuple, sorts them all, then hands them one at a time to the codec, reading
each document's field length back from disk; that was about half of a worker's indexing time.
A worker adds documents to a fresh segment in order, so here each posting goes straight into
its term's lists, the field lengths stay in memory, only terms are sorted, and each term's
postings are handed to the codec's block writer a block at a time. A reader finds the very same
terms, postings and statistics as in a segment Whoosh writes (tested); only the postings of
terms found in one document are stored uncompressed.
"""

from __future__ import annotations

import heapq
import pickle
from array import array
from collections.abc import Iterable, Iterator

from whoosh.util import random_name
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

# Rough bytes of memory one new term and one posting take in the pool, to know when to spill.
_TERM_BYTES = 400
_POSTING_BYTES = 120

# (field name, term bytes, [document number, weight, encoded value, ...]): one term's postings
# in one flat list (three lists or arrays per term took twice as long to fill).
TermPostings = tuple[str, bytes, list]


class TermPool:
    """The postings of a segment being written, grouped by term. Past `limitmb` of postings the
    pool spills them to a sorted run in `tempstorage`; `terms` merges the runs back."""

    def __init__(self, tempstorage, limitmb: int) -> None:  # type: ignore[no-untyped-def]
        self.tempstorage = tempstorage
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.postings: dict[str, dict[bytes, list]] = {}
        self.runs: list[str] = []

    def add(self, fieldname: str, docnum: int, items: Iterable) -> int:  # type: ignore[type-arg]
        """Add a document's postings in one field, as `field.index()` gives them; returns the
        field's length (its number of words)."""
        postings = self.postings.get(fieldname)
        if postings is None:
            postings = self.postings[fieldname] = {}
        length = 0
        new_terms = 0
        for term, frequency, weight, value in items:
            length += frequency
            found = postings.get(term)
            if found is None:
                postings[term] = [docnum, weight, value]
                new_terms += 1
            else:
                found += (docnum, weight, value)
        # A posting's value grows with the word's frequency: counting words over-estimates.
        self.size += new_terms * _TERM_BYTES + length * _POSTING_BYTES
        if self.size > self.limit:
            self._spill()
        return length

    def _held(self) -> Iterator[TermPostings]:
        for fieldname in sorted(self.postings):
            postings = self.postings[fieldname]
            for term in sorted(postings):
                yield fieldname, term, postings[term]

    def _spill(self) -> None:
        """Write the postings held so far, in term order, to a run file and forget them."""
        # Every worker's writer has the index's one temporary folder: names must not collide.
        name = f"{random_name()}.run"
        with self.tempstorage.create_file(name).raw_file() as run:
            for record in self._held():
                pickle.dump(record, run, pickle.HIGHEST_PROTOCOL)
        self.runs.append(name)
        self.postings = {}
        self.size = 0

    def terms(self) -> Iterator[TermPostings]:
        """Every term's postings, in field and term order, documents in order."""
        if not self.runs:
            yield from self._held()
            return
        # Runs hold earlier documents than later runs and than the postings still held, and
        # `heapq.merge` keeps that order among equal terms, so joining them keeps documents in
        # order.
        runs = [self._read_run(name) for name in self.runs]
        merged = heapq.merge(*runs, self._held(), key=lambda t: (t[0], t[1]))
        current = next(merged, None)
        for following in merged:
            if current is not None and following[:2] == current[:2]:
                current[2].extend(following[2])
            else:
                yield current  # type: ignore[misc]
                current = following
        if current is not None:
            yield current

    def _read_run(self, name: str) -> Iterator[TermPostings]:
        with self.tempstorage.open_file(name).raw_file() as run:
            while True:
                try:
                    yield pickle.load(run)
                except EOFError:
                    return

    def cleanup(self) -> None:
        """Delete the run files."""
        for name in self.runs:
            self.tempstorage.delete_file(name)
        self.runs = []


class TermSegmentWriter(SegmentWriter):
    """A `SegmentWriter` for a new segment that postings reach a term at a time (see the module
    docstring). Only what searchidx's schemas use: no term vectors, no separate spelling
    fields, no per-document boosts, no merging of other segments."""

    def __init__(self, ix, limitmb: int = 128, **options) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ix, limitmb=limitmb, **options)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"field {name!r} needs Whoosh's own SegmentWriter")
        self.pool = TermPool(self._tempstorage, limitmb)
        # Each field's length byte per document, as the lengths column stores it.
        self.length_bytes: dict[str, array] = {}

    def add_document(self, **fields) -> None:  # type: ignore[no-untyped-def]
        """Add one document (what `SegmentWriter.add_document` does, without boosts)."""
        self._check_state()
        names = sorted(fields)
        self._check_fields(self.schema, names)
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = self.schema[name]
                length = 0
                if field.indexed:
                    length = self.pool.add(name, docnum, field.index(value))
                    if not field.scorable:
                        length = 0
                    elif length:
                        self._record_length(name, docnum, length)
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _record_length(self, name: str, docnum: int, length: int) -> None:
        lengths = self.length_bytes.get(name)
        if lengths is None:
            lengths = self.length_bytes[name] = array("B")
        missing = docnum - self.docbase + 1 - len(lengths)
        if missing > 0:
            lengths.extend(bytes(missing))
        lengths[docnum - self.docbase] = length_to_byte(length)

    def add_reader(self, reader) -> None:  # type: ignore[no-untyped-def]
        """Not supported: merging needs Whoosh's sorting pool."""
        raise NotImplementedError("a TermSegmentWriter only writes new documents")

    def _flush_segment(self) -> None:
        """Write every term's postings through the codec's field writer."""
        self.perdocwriter.close()
        fields = self.fieldwriter
        level = self.codec._compression
        current = None
        for fieldname, term, flat in self.pool.terms():
            docnums, weights, values = flat[0::3], flat[1::3], flat[2::3]
            if fieldname != current:
                if current is not None:
                    fields.finish_field()
                fields.start_field(fieldname, self.schema[fieldname])
                current = fieldname
            fields.start_term(term)
            postings = fields._postwriter
            # zlib makes a block of one posting longer, not shorter, and compressing one costs
            # as much as writing it (most terms of a segment occur in one document): those
            # blocks are written plain, which the codec's reader supports block by block.
            postings._compression = level if len(docnums) > 1 else 0
            _add_postings(postings, docnums, weights, values, self._lengths_of(fieldname, docnums))
            fields.finish_term()
        if current is not None:
            fields.finish_field()
        fields.close()

    def _lengths_of(self, fieldname: str, docnums: list[int]) -> list[int]:
        """The field lengths Whoosh's codec would read back for these documents, quantised to
        a byte; none for a field without lengths. A document with a posting in a scorable field
        has a length there."""
        lengths = self.length_bytes.get(fieldname)
        if lengths is None:
            return []
        base = self.docbase
        return [byte_to_length(lengths[docnum - base]) for docnum in docnums]


def _add_postings(writer, docnums: list, weights: list, values: list, lengths: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Fill a `W3PostingsWriter` with one term's postings a block at a time, as its
    `add_posting` would one at a time: a full block is written before the next posting, and
    per block the highest weight, the shortest and longest field length, the non-empty values.
    Block statistics only need the lengths of the block's documents; a term's postings of a
    scorable field all have a length, so `lengths` is in step with `docnums` or empty."""
    limit = writer._blocklimit
    for start in range(0, len(docnums), limit):
        if start:
            writer._write_block()
        end = start + limit
        writer._ids.extend(docnums[start:end])
        block_weights = weights[start:end]
        writer._weights.extend(block_weights)
        writer._maxweight = max(writer._maxweight, max(block_weights))
        writer._values.extend(value for value in values[start:end] if value)
        block_lengths = lengths[start:end]
        if block_lengths:
            shortest = min(block_lengths)
            if writer._minlength is None or shortest < writer._minlength:
                writer._minlength = shortest
            writer._maxlength = max(writer._maxlength, max(block_lengths))
