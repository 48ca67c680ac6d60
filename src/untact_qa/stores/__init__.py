"""Where chunks live, behind one protocol (:class:`~untact_qa.stores.base.Store`):

* ``local`` (:mod:`untact_qa.stores.local`) — FAISS + BM25 files in a folder (a base and delta segments), the default;
* ``milvus`` (:mod:`untact_qa.stores.milvus`) — a Milvus server, cluster or milvus-lite file.

:func:`open_store` and :func:`write_store` are the only places that choose between them;
every caller (engine, uploads, CLI, eval) goes through them.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .base import Batch, ChunkRecord, CorpusStats, SentenceRecord, Store, store_kind

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["Batch", "ChunkRecord", "CorpusStats", "SentenceRecord", "Store", "has_index", "open_store", "salvage",
           "sole_writer", "store_kind", "write_store"]


def open_store(settings: Settings, expected_model: str | None = None) -> Store:
    """The live index of *settings*: the local folder, or Milvus when ``settings.store`` says so.
    Raises :class:`~untact_qa.errors.StoreError` for a missing, damaged or other-model index."""
    if store_kind(settings.store) == "milvus":
        from .milvus import MilvusStore, collection_name

        return MilvusStore.open(settings.store, collection_name(settings.index_dir), expected_model)
    from .local import LocalStore

    return LocalStore.load(settings.index_dir, expected_model=expected_model)


def write_store(settings: Settings, records: list[ChunkRecord], manifest: dict) -> Store:
    """Make *records* the whole live index of *settings* (atomically, in either store); returns it."""
    if store_kind(settings.store) == "milvus":
        from .milvus import MilvusStore, collection_name

        return MilvusStore.create(records, manifest, settings.store, collection_name(settings.index_dir))
    from .local import LocalStore

    store = LocalStore.from_records(records, {**manifest, "store": "local"})
    store.save(settings.index_dir)
    return store


def has_index(settings: Settings) -> bool:
    """Is there an index to open (a local folder's ``CURRENT``; Milvus says so when opened)?"""
    if store_kind(settings.store) == "milvus":
        return True
    return (Path(settings.index_dir) / "CURRENT").is_file()


@contextmanager
def sole_writer(settings: Settings):
    """The block writes the index of *settings* alone: a local folder is checked for
    writability first (before any model or embedding work: a clear error, nothing lost) and
    locked across processes (:class:`~untact_qa.locking.IndexLock`); Milvus orders writes itself."""
    if store_kind(settings.store) == "milvus":
        yield
        return
    from ..locking import IndexLock, ensure_writable

    ensure_writable(settings.index_dir)
    with IndexLock(settings.index_dir):
        yield


def salvage(settings: Settings, model_id: str, exc) -> Store | None:
    """When the live index cannot be opened because something in it is damaged: say so, and
    return the newest local version that still loads (its vectors are reused by the
    rebuild), else None."""
    if store_kind(settings.store) != "local" or exc.kind in ("model", "format") or not has_index(settings):
        return None
    import warnings

    from .local import LocalStore

    warnings.warn(f"{exc.reason}; building a new version", stacklevel=4)
    return LocalStore.newest_valid(settings.index_dir, model_id)
