"""Which documents a request means: one canonical document id, and the names people use for it.

A document is named in many ways: the panel shows ``uploads/회의록.pdf.txt``, a person types
``#회의록`` or ``#"메모 (2)"``, an API client sends ``uploads//회의록.pdf.txt`` or
``./uploads/회의록.pdf.txt``. Every surface (the page, the API, the CLI) turns what it was
given into the canonical id here, once, and checks it against the documents the index holds
*now* (not a list taken when the server started), so a delete, a scope and a citation always
talk about the same document:

* :func:`canonical_doc_id` — the one spelling of an id (NFC, ``/``-separated, no empty,
  ``.`` or ``..`` parts);
* :func:`resolve_mentions` — ``#이름`` in a question: full ids, file names, stems
  (``회의록`` for ``회의록.pdf.txt``), names with spaces (``#"메모 (2)"`` or as typed),
  a unique partial name; anything else is refused with suggestions;
* :func:`resolve_scope` — a scope chosen in a list or sent by a client: a document that is
  gone is refused with a notice, never silently dropped (which would widen the search to
  every document).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import UntactQAError
from .korean import josa
from .sanitize import clean_line

# Korean particles that may follow a #name ("#회의록에서 …"): the name ends where one starts.
_PARTICLES = ("에서는", "에서", "에는", "으로", "에게", "까지", "부터", "에", "의", "은", "는", "을", "를", "이", "가",
              "로", "만", "도", "과", "와", "랑")
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "[": "]", "「": "」"}
_END_PUNCT = ".,?!…:;)]"


class ScopeError(UntactQAError):
    """A document named in a request does not exist (any more); carries suggestions."""

    def __init__(self, message: str, ko: str, suggestions: list[str] | None = None, missing: list[str] | None = None):
        super().__init__(message, ko=ko)
        self.suggestions = suggestions or []
        self.missing = missing or []


def canonical_doc_id(raw) -> str:
    """The one spelling of a document id: NFC, control characters and surrounding spaces gone,
    ``\\`` read as ``/``, no leading ``/`` or ``./``, no empty or ``.`` parts. Raises for an id
    that climbs out of the corpus (``..``) or is empty."""
    text = unicodedata.normalize("NFC", clean_line(raw if isinstance(raw, str) else str(raw or "")))
    parts = [p.strip() for p in text.replace("\\", "/").split("/")]
    parts = [p for p in parts if p not in ("", ".")]
    if not parts or ".." in parts:
        shown = text[:200] or "(비어 있음)"
        raise UntactQAError(f"not a document id: {shown!r}", ko=f"{shown}: 올바른 문서 이름이 아닙니다.")
    return "/".join(parts)


def name_keys(doc_id: str) -> list[str]:
    """The names a person may use for *doc_id*, casefolded: the id, the file name, and the file
    name without one and without two extensions (``회의록.pdf.txt`` → ``회의록.pdf``, ``회의록``)."""
    full = unicodedata.normalize("NFC", doc_id).casefold()
    base = full.rsplit("/", 1)[-1]
    keys = [full, base]
    stem = base
    for _ in range(2):
        if "." in stem.strip("."):
            stem = stem.rsplit(".", 1)[0]
            keys.append(stem)
    return list(dict.fromkeys(k for k in keys if k))


@dataclass
class Mentions:
    """What ``#이름`` in a question named: the question without them, the documents, and the
    names that named none (with suggestions for each)."""

    text: str
    docs: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    suggestions: dict[str, list[str]] = field(default_factory=dict)


def _particle(rest: str) -> int:
    """The length of the Korean particle *rest* starts with (ending there), else 0."""
    for p in _PARTICLES:
        if rest.startswith(p) and (len(rest) == len(p) or rest[len(p)].isspace() or rest[len(p)] in _END_PUNCT):
            return len(p)
    return 0


def _particle_suffix(word: str) -> int:
    """The length of a Korean particle *word* ends with (leaving at least one character)."""
    return next((len(p) for p in _PARTICLES if word.endswith(p) and len(word) > len(p)), 0)


def _boundary(rest: str) -> bool:
    """Does a name end before *rest* (the text after it)?"""
    return not rest or rest[0].isspace() or rest[0] in _END_PUNCT or _particle(rest) > 0


def resolve_mentions(message: str, doc_ids: Iterable[str]) -> Mentions:
    """The ``#이름`` mentions of *message* resolved against *doc_ids* (the live index's ids).

    A mention is ``#`` at the start or after a space, followed by a quoted name
    (``#"메모 (2)"``), or by the longest document name the text continues with (spaces
    included, a Korean particle may follow: ``#회의록에서``), or else by one word, which
    names a document when it is part of exactly one document's name. ``C#`` is not a mention."""
    ids = list(doc_ids)
    keys: dict[str, list[str]] = {}
    for d in ids:
        for k in name_keys(d):
            keys.setdefault(k, []).append(d)
    longest = sorted(keys, key=len, reverse=True)
    out = Mentions(text="")
    pieces: list[str] = []
    i, n = 0, len(message)
    folded = unicodedata.normalize("NFC", message).casefold()
    message = unicodedata.normalize("NFC", message)
    while i < n:
        ch = message[i]
        if ch != "#" or (i > 0 and not message[i - 1].isspace()) or i + 1 >= n or message[i + 1].isspace():
            pieces.append(ch)
            i += 1
            continue
        start = i + 1
        close = _QUOTES.get(message[start])
        if close and close in message[start + 1:]:
            end = message.index(close, start + 1)
            name = message[start + 1:end].strip()
            after = end + 1
            found = keys.get(unicodedata.normalize("NFC", name).casefold())
            if found:
                out.docs.extend(found)
                after += _particle(message[after:])
            else:
                _unknown(out, name, ids, keys)
                pieces.append(message[i:after])
            i = after
            continue
        hit = next((k for k in longest if folded.startswith(k, start) and _boundary(message[start + len(k):])), None)
        if hit is not None:
            out.docs.extend(keys[hit])
            i = start + len(hit)
            i += _particle(message[i:])  # "#회의록에서": the particle goes with the name
            continue
        m = re.match(r"\S+", message[start:])
        word = m.group(0).rstrip(_END_PUNCT)
        end = start + len(word)
        partial = sorted({d for k, ds in keys.items() if word.casefold() in k for d in ds})
        cut = _particle_suffix(word)
        if not partial and cut:  # "#회의에서": the particle is no part of the name
            word, end = word[:-cut], end - cut
            partial = sorted({d for k, ds in keys.items() if word.casefold() in k for d in ds})
        if len(partial) == 1:
            out.docs.extend(partial)
            end += _particle(message[end:])
        elif len(partial) > 1:
            out.ambiguous[word] = partial[:8]
            pieces.append(message[i:end])
        else:
            _unknown(out, word, ids, keys)
            pieces.append(message[i:end])
        i = end
    out.text = " ".join("".join(pieces).split())
    out.docs = list(dict.fromkeys(out.docs))
    return out


def _unknown(out: Mentions, name: str, ids: list[str], keys: dict[str, list[str]]) -> None:
    out.unknown.append(name)
    close = difflib.get_close_matches(unicodedata.normalize("NFC", name).casefold(), list(keys), n=3, cutoff=0.5)
    out.suggestions[name] = list(dict.fromkeys(d for k in close for d in keys[k]))[:3]


def mention_error(m: Mentions) -> ScopeError | None:
    """The error to show for the mentions of *m* that named no single document, or None."""
    if not m.unknown and not m.ambiguous:
        return None
    parts_ko, parts_en, suggestions = [], [], []
    for name in m.unknown[:3]:
        tip = m.suggestions.get(name) or []
        suggestions += tip
        parts_ko.append(f"#{name}: 그런 이름의 문서가 없습니다" + (f" (혹시 {', '.join(tip)}?)" if tip else ""))
        parts_en.append(f"no document is named #{name}" + (f" (did you mean {', '.join(tip)}?)" if tip else ""))
    for name, docs in list(m.ambiguous.items())[:3]:
        suggestions += docs
        parts_ko.append(f"#{name}: 이름이 같은 부분을 가진 문서가 여럿입니다 ({', '.join(docs[:4])})")
        parts_en.append(f"#{name} matches several documents ({', '.join(docs[:4])})")
    return ScopeError("; ".join(parts_en), ko=". ".join(parts_ko) + ". 문서 목록에서 고르거나 "
                      "#\"문서 이름\"처럼 따옴표로 감싸 보세요 (#을 빼면 모든 문서에서 찾습니다).",
                      suggestions=list(dict.fromkeys(suggestions)))


def resolve_scope(selected, doc_ids: Iterable[str]) -> list[str] | None:
    """The documents a scope list (or an API client) chose, as canonical ids that the index
    holds now; None for "every document". A chosen document that is gone (deleted since the
    page loaded, or never there) is refused with its name: searching everything instead would
    answer from documents the person excluded."""
    if not selected:
        return None
    if isinstance(selected, str):
        selected = [selected]
    live = set(doc_ids)
    chosen, missing = [], []
    for raw in selected:
        try:
            d = canonical_doc_id(raw)
        except UntactQAError:
            missing.append(clean_line(str(raw))[:200])
            continue
        (chosen if d in live else missing).append(d)
    if missing:
        shown = ", ".join(missing[:3]) + (f" 외 {len(missing) - 3}개" if len(missing) > 3 else "")
        raise ScopeError(f"the scope names documents that are not indexed (deleted?): {shown}",
                         ko=f"검색 범위의 문서 {josa(shown, '이')} 없습니다 (삭제되었을 수 있습니다). 검색 범위에서 빼고 "
                            f"다시 물어보세요. 모든 문서에서 찾지는 않았습니다.",
                         missing=missing)
    return list(dict.fromkeys(chosen)) or None
