"""User documents: validate an upload, store it under ``<corpus>/uploads/`` and refresh the index.

Uploads persist across restarts because they live in the corpus folder; adding, replacing
or removing one is a write of that document to the store (a delta segment or a tombstone in
the local store), so only that document is read, chunked and embedded.
A rejected file changes nothing: validation happens before anything is written, and a
failed re-index removes the file again.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .corpus import META, LoadResult, load_settings, read_document, sources_dir
from .errors import CorpusError
from .sanitize import clean_line

UPLOAD_DIR = "uploads"

# what add() does when an upload's stored name is taken (see Uploads.add)
CONFLICT_POLICIES = ("keep", "replace", "refuse")

_lock = threading.RLock()
StageFn = Callable[[str, dict], None]


@dataclass(frozen=True)
class DocumentInfo:
    """One row of the documents panel."""

    doc_id: str
    chunks: int
    uploaded: bool
    replaced: bool = False  # add(): an upload of the same name was replaced
    renamed_from: str | None = None  # add(): stored under another name to keep both


def stored_name(filename: str) -> str:
    """The file name an upload is stored under: a document is stored as its extracted text —
    a PDF as ``name.pdf.txt`` (page text, read with the PDF repair), every other format as
    ``name.docx.md`` (headings, items and table rows as Markdown lines)."""
    target = safe_name(filename)
    if target.lower().endswith(".pdf"):
        target += ".txt"
    elif not target.lower().endswith((".txt", ".md")):
        target += ".md"
    return target


def _store_sources(upload_dir: Path, target_name: str, original: Path, name: str, extracted) -> Path | None:
    """Keep the original file and the location map of the upload stored as *target_name* in
    ``.sources/<target_name>/`` (the text stays the indexed document; a later download serves
    the original). Whatever was there is moved aside; returns where (None: nothing was)."""
    import json
    import shutil

    from .errors import disk_error

    folder = sources_dir(upload_dir / target_name)
    held = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        if folder.exists():
            held = folder.with_name(f".old-{os.urandom(6).hex()}-{folder.name}")
            os.replace(folder, held)
        tmp = folder.with_name(f".new-{os.urandom(6).hex()}-{folder.name}")
        tmp.mkdir()
        shutil.copyfile(original, tmp / safe_name(name))
        meta = {"name": safe_name(name), "format": extracted.format, "bytes": Path(original).stat().st_size,
                "notes": list(extracted.notes), "locations": [list(x) for x in extracted.locations]}
        (tmp / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder)
        return held
    except OSError as exc:
        if held is not None and not folder.exists():
            os.replace(held, folder)
        shutil.rmtree(folder.with_name(f".new-{folder.name}"), ignore_errors=True)
        raise disk_error(exc, subject=name) from exc


def _drop_sources(text_path: Path, held: Path | None = None, restore: bool = False) -> None:
    """Remove the ``.sources`` folder of a stored document (*restore*: put *held* back instead)."""
    import shutil

    folder = sources_dir(text_path)
    if restore:
        shutil.rmtree(folder, ignore_errors=True)
        if held is not None and held.exists():
            os.replace(held, folder)
        return
    shutil.rmtree(folder, ignore_errors=True)
    if held is not None:
        shutil.rmtree(held, ignore_errors=True)


def original_file(corpus_dir: str | Path, doc_id: str) -> Path | None:
    """The original file of an uploaded document (the .docx, .hwp, .pdf … as uploaded, kept
    beside its extracted text), or None when there is none (the bundled corpus, an upload
    made before originals were kept). The UI's "원본 파일 내려받기" serves this path."""
    from .formats import SUFFIXES, TEXT_SUFFIXES

    base = Path(corpus_dir).resolve()
    text = (base / doc_id).resolve()
    if not text.is_relative_to(base):
        return None
    folder = sources_dir(text)
    if not folder.is_dir():
        # a .txt/.md upload is its own original; "x.pdf.txt" without its folder lost its PDF
        inner = Path(text.stem).suffix.lower()
        plain = text.suffix.lower() in TEXT_SUFFIXES and inner not in set(SUFFIXES) - set(TEXT_SUFFIXES)
        return text if plain and text.is_file() else None
    files = [p for p in folder.iterdir() if p.is_file() and p.name != META]
    return files[0] if len(files) == 1 else None


def source_info(corpus_dir: str | Path, doc_id: str) -> dict:
    """What is known of an uploaded document's original: ``{"name", "format", "bytes", "notes",
    "locations"}`` (empty when nothing was kept)."""
    import json

    meta = sources_dir(Path(corpus_dir) / doc_id) / META
    try:
        return json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@dataclass(frozen=True)
class AddResult:
    """One file of a bulk add: its row when it was added, its Korean reason when not."""

    name: str
    info: DocumentInfo | None = None
    error: str = ""  # English reason
    error_ko: str = ""
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.info is not None

    def to_dict(self) -> dict:
        """JSON form (``untact-qa add --json``)."""
        d = {"file": self.name, "ok": self.ok}
        if self.info is not None:
            d.update({"doc": self.info.doc_id, "chunks": self.info.chunks, "replaced": self.info.replaced,
                      "renamed_from": self.info.renamed_from})
        else:
            d.update({"error": self.error, "error_ko": self.error_ko})
        if self.notes:
            d["notes"] = list(self.notes)
        return d


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files named by *paths*, folders read recursively for supported files (hidden ones and
    dotted folders skipped), in order, each once."""
    from .formats import is_supported

    out: list[Path] = []
    seen: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and is_supported(f.name)
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            found = [p]
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def free_name(folder: Path, name: str) -> str:
    """*name*, or ``stem (2).ext``, ``stem (3).ext``, … — the first that does not exist in *folder*."""
    if not (folder / name).exists():
        return name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while (folder / f"{stem} ({n}){suffix}").exists():
        n += 1
    return f"{stem} ({n}){suffix}"


def safe_name(filename: str) -> str:
    """A file name that cannot escape the upload folder or hide as a dotfile."""
    base = unicodedata.normalize("NFC", Path(filename).name)
    base = re.sub(r"[^\w.\- 가-힣]", "_", base).strip(" .")
    return base or "document"


def _store_upload(folder: Path, target: Path, text: str, name: str) -> Path | None:
    """Write *text* to *target* through a temp file in *folder*. Returns a second name (a hard
    link) of the file it replaced, so that putting it back needs no free space (None: there
    was none, or links are not allowed). On an OS error (a full disk) nothing is left behind
    (no 0-byte ``.upload-*.tmp``), *target* is as it was, and :class:`DiskError` says why."""
    from .errors import disk_error

    tmp = held = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        if target.exists():
            held = folder / f".upload-{os.urandom(6).hex()}.old"
            try:
                os.link(target, held)
            except OSError:
                held = None  # the caller's copy of the bytes will do
        os.replace(tmp, target)
        return held
    except OSError as exc:
        for leftover in (tmp, held):
            if leftover is not None:
                Path(leftover).unlink(missing_ok=True)
        raise disk_error(exc, subject=name) from exc


def _put_back(target: Path, held: Path | None, previous: bytes | None) -> None:
    """Undo :func:`_store_upload` after a failed re-index: the old file back under its name
    (by its held link, else from *previous*), or the new file gone when there was none."""
    try:
        if held is not None:
            try:
                os.replace(held, target)
                return
            except OSError:
                pass
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(previous)
    except OSError:
        pass  # the error that failed the upload is the one to report


class Uploads:
    """Add, list and remove documents of an :class:`~untact_qa.engine.Engine`'s corpus."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.last_notes: tuple[str, ...] = ()  # add(): remarks of the last file read (OCR pages, 배포용)

    @property
    def upload_dir(self) -> Path:
        return Path(self.engine.settings.corpus_dir) / UPLOAD_DIR

    def list(self) -> list[DocumentInfo]:
        """Indexed documents with their chunk counts, in corpus order."""
        counts = self.engine.index.doc_counts()
        return [DocumentInfo(d, n, d.startswith(UPLOAD_DIR + "/")) for d, n in counts.items()]

    def add(self, path: str | Path, original_name: str | None = None, progress: StageFn | None = None,
            on_conflict: str = "keep") -> DocumentInfo:
        """Validate, store and index one file; returns its row. Raises CorpusError on a bad file.

        The text is extracted in a limited child process (:mod:`untact_qa.extract`). When an
        uploaded document already has the stored name (the same name, or one that differs
        only in characters :func:`safe_name` replaces: ``a?b.txt`` / ``a*b.txt``),
        *on_conflict* decides: ``"keep"`` (the default) keeps both, storing the new one as
        ``name (2).txt``; ``"replace"`` replaces the old one; ``"refuse"`` raises. The
        returned row's ``replaced`` / ``renamed_from`` say which happened.

        *progress* is called as ``progress(stage, counts)`` when each stage starts or
        advances: ``"read"`` (characters), ``"split"`` (sentences, chunks), ``"embed"``
        (done, total texts), ``"index"``.
        """
        from .chunking import chunk_document
        from .extract import extract_document
        from .schema import Document

        if on_conflict not in CONFLICT_POLICIES:
            raise CorpusError(f"on_conflict must be one of {', '.join(CONFLICT_POLICIES)}, got {on_conflict!r}",
                              ko=f"같은 이름 처리 방식은 {', '.join(CONFLICT_POLICIES)} 중 하나여야 합니다.")
        say = progress or (lambda stage, counts: None)
        path = Path(path)
        name = clean_line(original_name or path.name)
        say("read", {"bytes": path.stat().st_size if path.exists() else 0})
        extracted = extract_document(path, name, None,
                                     progress=lambda stage, done, total: say(stage, {"done": done, "total": total}))
        text = extracted.text
        self.last_notes = tuple(extracted.notes)
        wanted = stored_name(name)
        with _lock:
            target_name = self._resolve(wanted, name, on_conflict)
        doc_id = f"{UPLOAD_DIR}/{target_name}"
        chunks, _rep = chunk_document(Document(doc_id, text), self.engine.settings.chunking)
        say("split", {"chars": len(text), "sentences": len({(s.start, s.end) for c in chunks for s in c.sentences}),
                      "chunks": len(chunks)})
        with _lock:
            again = self._resolve(wanted, name, on_conflict)  # another upload may have taken the name meanwhile
            if again != target_name:
                target_name, doc_id = again, f"{UPLOAD_DIR}/{again}"
            target = self.upload_dir / target_name
            existed = target.exists()
            previous = target.read_bytes() if existed else None
            held = _store_upload(self.upload_dir, target, text, name)  # an OS error: DiskError, nothing left
            try:
                # plain text is its own original (stored as read, cleaned); a document keeps its file
                old_sources = (_store_sources(self.upload_dir, target_name, path, name, extracted)
                               if extracted.format != "text" else None)
            except Exception:
                _put_back(target, held, previous)
                if held is not None:
                    held.unlink(missing_ok=True)
                raise
            try:
                self._reindex(changed=doc_id,
                              progress=lambda stage, done, total: say(stage, {"done": done, "total": total}))
            except Exception:
                _put_back(target, held, previous)
                _drop_sources(target, old_sources, restore=True)
                raise
            finally:
                if held is not None:
                    held.unlink(missing_ok=True)
        n = self.engine.index.doc_count(doc_id)  # one document's count, not the whole list
        info = DocumentInfo(doc_id, n, True) if n else None
        if info is None:
            if existed:  # nothing usable in the new file: the old document stays as it was
                with _lock:
                    target.write_bytes(previous)
                    _drop_sources(target, old_sources, restore=True)
                    self._reindex(changed=doc_id)
            else:
                self.remove(doc_id)
            raise CorpusError(f"{name}: no sentences were found in it, so nothing was added",
                              ko=f"{name}: 문장을 찾지 못해 추가하지 않았습니다.")
        if old_sources is not None:
            shutil.rmtree(old_sources, ignore_errors=True)  # the replaced upload's original
        return replace(info, replaced=existed, renamed_from=f"{UPLOAD_DIR}/{wanted}" if target_name != wanted else None)

    def add_many(self, paths: list[str | Path], names: list[str] | None = None, on_conflict: str = "keep",
                 progress: Callable[[int, int, AddResult], None] | None = None,
                 stage: Callable[[str, str, dict], None] | None = None) -> list[AddResult]:
        """Add several files (folders are read recursively for supported files) one after the
        other; a file that fails is reported and the others still go in. Returns one
        :class:`AddResult` per file, in order. *names*: the users' file names of *paths* (one
        per path; not for folders). *progress(done, total, result)* is called after each file,
        *stage(file, stage, counts)* as each file's stages go (see :meth:`add`)."""
        from .errors import UntactQAError

        if names is not None:
            if len(names) != len(paths):
                raise CorpusError("names must give one name per path", ko="파일 이름 수가 파일 수와 다릅니다.")
            files = [(Path(p), n) for p, n in zip(paths, names)]
        else:
            files = [(p, p.name) for p in expand_paths(paths)]
        results: list[AddResult] = []
        for i, (path, name) in enumerate(files):
            self.last_notes = ()
            try:
                if not path.is_file():
                    raise CorpusError(f"{name}: no such file", ko=f"{name}: 파일이 없습니다.")
                info = self.add(path, name, on_conflict=on_conflict,
                                progress=(lambda st, counts, n=name: stage(n, st, counts)) if stage else None)
                result = AddResult(name, info, notes=self.last_notes)
            except UntactQAError as exc:
                result = AddResult(name, None, str(exc), exc.korean())
            except OSError as exc:
                result = AddResult(name, None, f"{name}: {exc.strerror or exc}", f"{name}: 파일을 읽을 수 없습니다.")
            results.append(result)
            if progress:
                progress(i + 1, len(files), result)
        return results

    def original(self, doc_id: str) -> Path | None:
        """The original file of uploaded document *doc_id* (see :func:`original_file`)."""
        from .scope import canonical_doc_id

        return original_file(self.engine.settings.corpus_dir, canonical_doc_id(doc_id))

    def sync(self, changed: list[str], removed: list[str]) -> None:
        """Apply documents changed, added (*changed*) or removed on disk behind the store's
        back: the removed ones and those that no longer read are deleted, the others written
        as one delta; the corpus fingerprint is recorded with the last write, so a crash in
        between leaves the store stale and the next start does it again."""
        with _lock:
            folder = Path(self.engine.settings.corpus_dir)
            settings = load_settings(folder)
            docs, gone = [], list(removed)
            for doc_id in changed:
                try:
                    docs.append(read_document(folder / doc_id, doc_id, settings.repair_overrides(doc_id)))
                except CorpusError:
                    gone.append(doc_id)
            self._write(LoadResult(documents=docs, settings=settings), [d.doc_id for d in docs], gone)

    def _resolve(self, wanted: str, name: str, on_conflict: str) -> str:
        """The stored file name for an upload whose cleaned name is *wanted* (call under the lock)."""
        if not (self.upload_dir / wanted).exists() or on_conflict == "replace":
            return wanted
        if on_conflict == "refuse":
            raise CorpusError(f"{name}: an uploaded document {UPLOAD_DIR}/{wanted} already exists; choose "
                              f"on_conflict='replace' to replace it or 'keep' to keep both",
                              ko=f"{name}: 같은 이름의 문서({UPLOAD_DIR}/{wanted})가 이미 있습니다. "
                                 f"'바꾸기' 또는 '둘 다 유지'를 골라 다시 올려 주세요.")
        return free_name(self.upload_dir, wanted)

    def check_removable(self, doc_id: str) -> str:
        """The canonical id of *doc_id* when it names an uploaded document that exists (on disk
        or in the index); raises :class:`CorpusError` naming the closest uploads otherwise."""
        import difflib

        from .scope import canonical_doc_id

        doc_id = canonical_doc_id(doc_id)  # a name typed or sent by a client: one spelling
        if not doc_id.startswith(UPLOAD_DIR + "/"):
            raise CorpusError(f"{doc_id}: only uploaded documents can be removed here",
                              ko=f"{doc_id}: 업로드한 문서만 여기서 삭제할 수 있습니다.")
        target = (Path(self.engine.settings.corpus_dir) / doc_id).resolve()
        if not target.is_relative_to(self.upload_dir.resolve()):
            raise CorpusError(f"{doc_id}: not inside {UPLOAD_DIR}/", ko=f"{doc_id}: 업로드 폴더 밖의 문서입니다.")
        if not target.is_file() and not self.engine.index.doc_count(doc_id):
            uploads = [d.doc_id for d in self.list() if d.uploaded]
            close = difflib.get_close_matches(doc_id, uploads, n=3, cutoff=0.5)
            tip = f" (혹시 {', '.join(close)}?)" if close else ""
            raise CorpusError(f"{doc_id}: no such uploaded document" + (f"; did you mean {', '.join(close)}?" if close else ""),
                              ko=f"{doc_id}: 그런 업로드 문서가 없습니다{tip}.")
        return doc_id

    def remove(self, doc_id: str) -> str:
        """Delete an uploaded document everywhere at once — its file, its chunks in the index
        (searches, answers and scopes stop seeing it), what the engine derived from it — and
        return its canonical id. The bundled corpus cannot be removed here. The id is
        canonicalised first (``uploads//a.md`` is ``uploads/a.md``), so the tombstone is
        written for the very document whose file is deleted."""
        with _lock:
            doc_id = self.check_removable(doc_id)
            target = Path(self.engine.settings.corpus_dir) / doc_id
            # a second name for the file instead of a copy: putting it back needs no free space
            held = None
            if target.is_file():
                held = target.with_name(f".removing-{os.getpid()}-{target.name}")
                try:
                    os.link(target, held)
                except OSError:
                    held = None
            backup = target.read_bytes() if target.is_file() and held is None else None
            target.unlink(missing_ok=True)
            try:
                self._reindex(removed=doc_id)
            except Exception:
                _put_back(target, held, backup)
                raise
            if held is not None:
                held.unlink(missing_ok=True)
            _drop_sources(target)  # the kept original and location map go with their text
        self.engine.overviews.forget([doc_id])
        return doc_id

    def _reindex(self, changed: str | None = None, removed: str | None = None, progress=None) -> None:
        """Bring the active store up to date with one changed or removed document."""
        self._write(self._read_one(changed), [changed] if changed else [], [removed] if removed else [], progress)

    def _write(self, corpus: LoadResult, changed: list[str], removed: list[str], progress=None) -> None:
        """Write *changed* (documents of *corpus*) and *removed* documents to the active store,
        through its writes by document (:meth:`~untact_qa.stores.base.Store.upsert`,
        :meth:`~untact_qa.stores.base.Store.delete_doc`): only those documents are read,
        chunked and embedded; the corpus fingerprint in the manifest follows the folder."""
        from .ingest import make_records
        from .stores.base import fingerprint_after

        store = self.engine.index
        indexed = store.manifest["corpus"]
        fields = {"corpus": {**fingerprint_after(indexed, corpus, changed, removed),
                             "repair": {k: v for k, v in indexed.get("repair", {}).items()
                                        if k not in changed and k not in removed}}}
        records = []
        if changed:
            records, _, doc_fields = make_records(corpus, self.engine.embedder, self.engine.settings.chunking,
                                                  progress=progress or False, require_text=False,
                                                  sentence_vectors=store.manifest.get("sentence_vectors", "separate"))
            fields["corpus"]["repair"].update(doc_fields["corpus"]["repair"])
            if progress:
                progress("write", 0, len(records))
        # a changed document with nothing readable in it is not indexed (the caller says so)
        empty = [d for d in changed if d not in {r.chunk.doc_id for r in records}]
        deletes = [*removed, *empty]
        try:
            for i, doc_id in enumerate(deletes):
                last = i == len(deletes) - 1 and not records
                store.delete_doc(doc_id, corpus_fields=fields if last else None)
            if records:
                store.upsert(records, corpus_fields=fields)
        except OSError as exc:  # a store that lets an OS error through (the local store says its own)
            from .errors import DiskError, disk_error

            if isinstance(exc, DiskError):
                raise
            raise disk_error(exc, kept="the index was not changed", kept_ko="색인은 바뀌지 않았습니다.") from exc
        self.engine.refresh()

    def _read_one(self, doc_id: str | None) -> LoadResult:
        """The corpus settings and, if given, the one document *doc_id* (not the whole folder:
        an upload costs what its document costs)."""
        folder = Path(self.engine.settings.corpus_dir)
        settings = load_settings(folder)
        if doc_id is None:
            return LoadResult(settings=settings)
        return LoadResult(documents=[read_document(folder / doc_id, doc_id, settings.repair_overrides(doc_id))],
                          settings=settings)
