"""Errors searchidx reports to its users. Each message says what went wrong and what to do."""

from __future__ import annotations


class SearchidxError(Exception):
    """Base class: an expected failure with a message written for the user."""


class IndexNotFound(SearchidxError):
    """No index has been built at the given location yet."""


class IndexUnreadable(SearchidxError):
    """The index exists but cannot be used (corrupt, foreign, or from another schema version)."""


class IndexUnwritable(SearchidxError):
    """A build cannot write the index: the disk is full, or the folder is not writable."""


class IndexBusy(SearchidxError):
    """Another process holds the write lock and did not release it in time."""


class ArticlesNotFound(SearchidxError):
    """None of the paths a build was given exists: a typo, or a drive not mounted."""


class QueryError(SearchidxError):
    """A query (or a filter such as a date) that cannot be understood."""
