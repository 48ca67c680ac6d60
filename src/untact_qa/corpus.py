"""Load corpus files: every ``.txt`` and ``.md`` under a folder, recursively, and every
document format :mod:`untact_qa.formats` reads (HWP, HWPX, DOCX, PPTX, XLSX, CSV, HTML, PDF),
whose extracted text and location map become the :class:`Document`.

An uploaded document is stored as its extracted text; its original file and location map
sit beside it in ``.sources/<stored name>/`` (see :func:`sources_dir`), which the loader
skips like every dotted folder and reads the map from.

Files may be UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when its NUL
bytes show it, see :func:`decode`), or the legacy Korean encodings CP949/EUC-KR (common for files saved by Windows tools); the encoding found is
kept on the :class:`Document` and recorded in the index manifest.

An optional ``untact-qa.json`` in the corpus folder holds knowledge about *these*
documents that general code must not hard-wire::

    {
      "repair": {"scans/*.txt": {"profile": "pdf"}, "report.txt": {"captions": true}},
      "aliases": {"한국": ["우리나라", "국내"]}
    }

``repair`` maps file-name patterns (``fnmatch``, relative to the corpus folder) to
:class:`~untact_qa.textrepair.RepairRules` overrides; ``aliases`` lists other names the
documents use for a thing a question may name (used when checking that an answer's
passage mentions what the question asks about).
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CorpusError
from .formats import SUFFIXES as _ALL_SUFFIXES
from .formats import TEXT_SUFFIXES
from .schema import Document
from .textrepair import normalize

SUFFIXES = _ALL_SUFFIXES  # plain text and every registered document format
SOURCES = ".sources"  # beside an uploaded document's text: its original and location map
META = "meta.json"
SETTINGS_FILE = "untact-qa.json"
# Tried in this order. cp949 is a superset of EUC-KR; UTF-8 first because valid UTF-8 is
# almost never valid cp949 text by accident, while the reverse is common.
ENCODINGS = ("utf-8", "cp949")


@dataclass
class CorpusSettings:
    """The corpus folder's ``untact-qa.json`` (all parts optional)."""

    repair: dict[str, dict] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    raw: str = ""  # file content, part of the corpus fingerprint

    def repair_overrides(self, doc_id: str) -> dict:
        """Merged overrides of every pattern matching *doc_id* (later patterns win)."""
        out: dict = {}
        for pattern, overrides in self.repair.items():
            if fnmatch.fnmatch(doc_id, pattern):
                out.update(overrides)
        return out


@dataclass
class LoadResult:
    """Documents that loaded, and one error message per file that did not."""

    documents: list[Document] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    settings: CorpusSettings = field(default_factory=CorpusSettings)


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """Text and encoding name of a file's bytes; raises :class:`CorpusError` when none fits.

    A file with NUL bytes near its start is binary unless it reads as UTF-16 without a
    byte-order mark (NULs on alternating bytes, and the text mostly printable)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{name}: starts with a UTF-16 mark but is not UTF-16; re-save it as UTF-8",
                              ko=f"{name}: UTF-16 표시로 시작하지만 UTF-16이 아닙니다. UTF-8로 다시 저장해 주세요.") from exc
    if b"\x00" in raw[:4096]:
        found = _utf16_without_bom(raw)
        if found is not None:
            return found
        raise CorpusError(f"{name}: looks like a binary file, not text; remove it from the corpus",
                          ko=f"{name}: 텍스트가 아닌 바이너리 파일로 보입니다. .txt, .md 또는 .pdf 문서를 올려 주세요.")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for enc in ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{name}: not UTF-8, UTF-16 or CP949/EUC-KR text (bad byte at {exc.start}); "
            f"re-save it as UTF-8, e.g. iconv -f <its encoding> -t utf-8 '{Path(name).name}'",
            ko=f"{name}: 문자 인코딩을 알 수 없습니다. UTF-8로 다시 저장해 주세요.",
        ) from exc
    raise CorpusError(f"{name}: cannot decode")  # pragma: no cover - utf-8 succeeded above


# BOM-less UTF-16 (saved so by some Windows tools and exports): the high byte of every ASCII
# character (spaces, line breaks, digits, Latin) is NUL, so NULs fall on one parity of the
# byte offsets — odd for little-endian, even for big-endian — and in Korean prose at least
# one code unit in twenty is ASCII. The other parity has a few NULs too: a syllable such as
# 가 (U+AC00) or 대 (U+B300) has a NUL low byte (1.8% of the report's code units, against 38%
# on the ASCII side). Binary data has NULs on both parities alike, or decodes to control
# characters; a UTF-8 file with a stray NUL has far fewer.
_UTF16_MIN_NUL_SHARE = 0.05  # of the sample's code units, NUL on the expected parity
_UTF16_MAX_OTHER_NULS = 0.2  # NULs on the other parity, per NUL on the expected one
_UTF16_MIN_PRINTABLE = 0.97  # of the decoded characters: printable or ordinary whitespace


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """``(text, "utf-16-le" | "utf-16-be")`` when *raw* reads as UTF-16 without a byte-order
    mark (see the constants above), else None."""
    if len(raw) % 2:
        return None
    sample = raw[:8192]
    units = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for enc, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls >= _UTF16_MIN_NUL_SHARE * units and other <= _UTF16_MAX_OTHER_NULS * nuls:
            break
    else:
        return None
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError:  # a lone surrogate half: not UTF-16 text
        return None
    head = text[:20_000]
    printable = sum(1 for ch in head if ch.isprintable() or ch in "\n\r\t\f")
    if printable < _UTF16_MIN_PRINTABLE * len(head):
        return None
    return text, enc


def sources_dir(text_path: Path) -> Path:
    """Where the original file and the location map of the document stored at *text_path* live."""
    return Path(text_path).parent / SOURCES / Path(text_path).name


def read_locations(text_path: Path) -> tuple[tuple[int, str], ...]:
    """The location map saved beside an uploaded document's text (empty when there is none)."""
    meta = sources_dir(text_path) / META
    if not meta.is_file():
        return ()
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        return tuple((int(a), str(b)) for a, b in data.get("locations", []))
    except (OSError, ValueError, TypeError):
        return ()  # a damaged map costs the locations, never the document


def read_document(path: Path, doc_id: str, repair: dict | None = None) -> Document:
    """Read one file, detect its encoding and NFC-normalise it; a document format (HWP, DOCX,
    PDF, …) is extracted by :mod:`untact_qa.formats` with its location map.

    Raises :class:`CorpusError` naming the file when it is unreadable, binary, in an
    unknown encoding or has no text.
    """
    if Path(doc_id).suffix.lower() not in TEXT_SUFFIXES and Path(doc_id).suffix.lower() in SUFFIXES:
        from .formats import extract

        try:
            got = extract(Path(path), doc_id)
        except CorpusError:
            raise
        except OSError as exc:
            raise CorpusError(f"{doc_id}: cannot read file ({exc.strerror}); check its permissions",
                              ko=f"{doc_id}: 파일을 읽을 수 없습니다 ({exc.strerror}). 권한을 확인해 주세요.") from exc
        except Exception as exc:  # noqa: BLE001 - a reader choking on a damaged file skips that file only
            raise CorpusError(f"{doc_id}: cannot be read ({type(exc).__name__}: {exc})"[:500],
                              ko=f"{doc_id}: 파일을 읽을 수 없습니다 (손상되었을 수 있습니다).") from exc
        text = normalize(got.text)
        return Document(doc_id=doc_id, text=text, encoding=got.format,
                        repair={"profile": got.profile, **dict(repair or {})}, locations=tuple(got.locations))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{doc_id}: cannot read file ({exc.strerror}); check its permissions",
                          ko=f"{doc_id}: 파일을 읽을 수 없습니다 ({exc.strerror}). 권한을 확인해 주세요.") from exc
    text, encoding = decode(raw, doc_id)
    text = normalize(text)
    if not text.strip():
        raise CorpusError(f"{doc_id}: file is empty; add text or remove it", ko=f"{doc_id}: 내용이 없는 빈 파일입니다.")
    return Document(doc_id=doc_id, text=text, encoding=encoding, repair=dict(repair or {}),
                    locations=read_locations(path))


def load_settings(folder: Path) -> CorpusSettings:
    """Parse ``<folder>/untact-qa.json``; a broken file is an error that names the fix."""
    path = Path(folder) / SETTINGS_FILE
    if not path.is_file():
        return CorpusSettings()
    raw = path.read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise CorpusError(f"{path}: not valid JSON ({exc}); fix or delete it") from exc
    if not isinstance(data, dict):
        raise CorpusError(f"{path}: must hold a JSON object with 'repair' and/or 'aliases'")
    repair = data.get("repair", {})
    aliases = data.get("aliases", {})
    if not isinstance(repair, dict) or not all(isinstance(v, dict) for v in repair.values()):
        raise CorpusError(f"{path}: 'repair' must map file patterns to objects of rule overrides")
    if not isinstance(aliases, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in aliases.values()):
        raise CorpusError(f"{path}: 'aliases' must map a name to a list of other names")
    from .textrepair import RepairRules

    for pattern, overrides in repair.items():
        try:
            RepairRules().with_overrides(overrides)
        except Exception as exc:  # noqa: BLE001 - ConfigError: show where it came from
            raise CorpusError(f"{path}: repair[{pattern!r}]: {exc}") from exc
    return CorpusSettings(repair=repair, aliases={normalize(k): [normalize(x) for x in v] for k, v in aliases.items()},
                          raw=raw)


def load_corpus(folder: Path) -> LoadResult:
    """Load every ``.txt``/``.md`` file and every supported document under *folder* (sorted, so
    builds are reproducible).

    A bad file does not stop the load: it is reported in ``errors`` and skipped.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist; pass --corpus DIR or create it")
    result = LoadResult(settings=load_settings(folder))
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # editor swap files, .git, ...
        doc_id = path.relative_to(folder).as_posix()
        try:
            result.documents.append(read_document(path, doc_id, result.settings.repair_overrides(doc_id)))
        except CorpusError as exc:
            result.errors.append(str(exc))
    return result
