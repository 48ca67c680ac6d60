"""User documents: validate an upload, store it under ``<corpus>/uploads/`` and refresh the index.

Uploads persist across restarts because they live in the corpus folder; adding one
re-indexes with the embedding cache, so only the new document's chunks are embedded.
A rejected file changes nothing: validation happens before anything is written, and a
failed re-index removes the file again.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .corpus import LoadResult, load_corpus, read_document
from .errors import CorpusError

UPLOAD_DIR = "uploads"
ALLOWED = (".txt", ".md", ".pdf")
# 5 MB is ~2.5 million Korean characters (a few hundred report pages); larger files are
# almost always scans or data dumps, and would block the shared 2-core machine while indexing.
MAX_BYTES = 5 * 1024 * 1024

_lock = threading.Lock()


@dataclass(frozen=True)
class DocumentInfo:
    """One row of the documents panel."""

    doc_id: str
    chunks: int
    uploaded: bool


def safe_name(filename: str) -> str:
    """A file name that cannot escape the upload folder or hide as a dotfile."""
    base = unicodedata.normalize("NFC", Path(filename).name)
    base = re.sub(r"[^\w.\- 가-힣]", "_", base).strip(" .")
    return base or "document"


def extract_text(path: Path, original_name: str) -> str:
    """Text of an uploaded .txt/.md/.pdf; raises :class:`CorpusError` with a user-facing reason."""
    suffix = Path(original_name).suffix.lower()
    if suffix not in ALLOWED:
        raise CorpusError(f"{original_name}: only {', '.join(ALLOWED)} files can be added (got '{suffix or 'no extension'}')")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CorpusError(f"{original_name}: {size / 1e6:.1f} MB is over the {MAX_BYTES // (1024 * 1024)} MB limit; split it")
    if size == 0:
        raise CorpusError(f"{original_name}: file is empty")
    if suffix == ".pdf":
        return _pdf_text(path, original_name)
    return read_document(path, original_name).text


def _pdf_text(path: Path, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise CorpusError(f"{name}: the PDF is encrypted; save an unlocked copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise CorpusError(f"{name}: not a readable PDF ({type(exc).__name__})") from exc
    # A form feed starts every page after the first, as pdftotext writes it: the repair
    # step reads it as page evidence (page numbers, running headers, wrapped lines).
    text = "\n\f".join(pages)
    if not text.strip():
        raise CorpusError(f"{name}: the PDF has no extractable text (a scanned image?); add a text version")
    return text


class DocumentStore:
    """Add, list and remove documents of an :class:`~untact_qa.engine.Engine`'s corpus."""

    def __init__(self, engine) -> None:
        self.engine = engine

    @property
    def upload_dir(self) -> Path:
        return Path(self.engine.settings.corpus_dir) / UPLOAD_DIR

    def list(self) -> list[DocumentInfo]:
        """Indexed documents with their chunk counts, in corpus order."""
        counts = self.engine.index.doc_counts()
        return [DocumentInfo(d, n, d.startswith(UPLOAD_DIR + "/")) for d, n in counts.items()]

    def add(self, path: str | Path, original_name: str | None = None) -> DocumentInfo:
        """Validate, store and index one file; returns its row. Raises CorpusError on a bad file."""
        path = Path(path)
        name = original_name or path.name
        text = extract_text(path, name)
        target_name = safe_name(name)
        if not target_name.lower().endswith((".txt", ".md")):
            target_name += ".txt"  # PDFs are stored as their extracted text
        with _lock:
            self.upload_dir.mkdir(parents=True, exist_ok=True)
            target = self.upload_dir / target_name
            existed = target.exists()
            previous = target.read_bytes() if existed else None
            fd, tmp = tempfile.mkstemp(dir=self.upload_dir, prefix=".upload-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, target)
            try:
                self._reindex(changed=f"{UPLOAD_DIR}/{target_name}")
            except Exception:
                if previous is None:
                    target.unlink(missing_ok=True)
                else:
                    target.write_bytes(previous)
                raise
        doc_id = f"{UPLOAD_DIR}/{target_name}"
        info = next((d for d in self.list() if d.doc_id == doc_id), None)
        if info is None:
            self.remove(doc_id)
            raise CorpusError(f"{name}: no sentences were found in it, so nothing was added")
        return info

    def remove(self, doc_id: str) -> None:
        """Delete an uploaded document and re-index. The bundled corpus cannot be removed here."""
        if not doc_id.startswith(UPLOAD_DIR + "/") or ".." in doc_id:
            raise CorpusError(f"{doc_id}: only uploaded documents can be removed here")
        with _lock:
            target = Path(self.engine.settings.corpus_dir) / doc_id
            if not target.is_file():
                raise CorpusError(f"{doc_id}: no such uploaded document")
            backup = target.read_bytes()
            target.unlink()
            try:
                self._reindex(removed=doc_id)
            except Exception:
                target.write_bytes(backup)
                raise

    def _reindex(self, changed: str | None = None, removed: str | None = None) -> None:
        """Bring the active store up to date with the corpus folder.

        The local store is rebuilt (a new version, atomically; the loaded index is the
        embedding cache, so only the new document is embedded). Milvus changes in place:
        the new document's chunks are upserted, a removed one is deleted by document, and the
        corpus fingerprint in its manifest follows — O(document), not O(corpus).
        """
        from .engine import build_index
        from .index import corpus_fingerprint, make_records
        from .milvus_store import MilvusStore

        store = self.engine.index
        if not isinstance(store, MilvusStore):
            build_index(self.engine.settings, progress=False, embedder=self.engine.embedder, previous=store)
            self.engine.reload()
            return
        corpus = load_corpus(Path(self.engine.settings.corpus_dir))
        fields = {"corpus": {**corpus_fingerprint(corpus), "repair": store.manifest["corpus"].get("repair", {})}}
        if removed:
            fields["corpus"]["repair"].pop(removed, None)
            store.delete_doc(removed, corpus_fields=fields)
        if changed:
            one = LoadResult(documents=[d for d in corpus.documents if d.doc_id == changed], settings=corpus.settings)
            records, _, doc_fields = make_records(one, self.engine.embedder, self.engine.settings.chunking)
            fields["corpus"]["repair"].update(doc_fields["corpus"]["repair"])
            store.upsert(records, corpus_fields=fields)
        self.engine.reload()
