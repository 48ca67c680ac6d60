"""Load corpus files: every ``.txt`` and ``.md`` under a folder, recursively."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import CorpusError
from .schema import Document
from .textrepair import normalize

SUFFIXES = (".txt", ".md")


@dataclass
class LoadResult:
    """Documents that loaded, and one error message per file that did not."""

    documents: list[Document] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_document(path: Path, doc_id: str) -> Document:
    """Read one file as UTF-8 (BOM allowed) and NFC-normalise it.

    Raises :class:`CorpusError` naming the file when it is unreadable, not UTF-8,
    or has no text.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{doc_id}: cannot read file ({exc.strerror}); check its permissions") from exc
    if b"\x00" in raw[:4096]:
        raise CorpusError(f"{doc_id}: looks like a binary file, not text; remove it from the corpus")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{doc_id}: not valid UTF-8 (byte {exc.start}); re-save it as UTF-8, "
            f"e.g. iconv -f cp949 -t utf-8 '{path.name}'"
        ) from exc
    text = normalize(text)
    if not text.strip():
        raise CorpusError(f"{doc_id}: file is empty; add text or remove it")
    return Document(doc_id=doc_id, text=text)


def load_corpus(folder: Path) -> LoadResult:
    """Load every ``.txt``/``.md`` file under *folder* (sorted, so builds are reproducible).

    A bad file does not stop the load: it is reported in ``errors`` and skipped.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist; pass --corpus DIR or create it")
    result = LoadResult()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # editor swap files, .git, ...
        doc_id = path.relative_to(folder).as_posix()
        try:
            result.documents.append(read_document(path, doc_id))
        except CorpusError as exc:
            result.errors.append(str(exc))
    return result
