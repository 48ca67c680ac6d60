"""The check every LLM-written sentence must pass before it is shown: it cites, and what it
states that can be checked by its form — numbers, dates, names — occurs in the sentences it
cites.

* :func:`numbered_sources` — the sentences an LLM may write from, numbered ``[1]…[n]``: the
  quoted answer's own evidence first, then the retrieved passages' sentences in rank order;
* :func:`split_written` — the written text as sentences, each with the ``[n]`` markers that
  follow it;
* :func:`check` — one verdict per sentence: kept, or dropped with the reason (no citation, a
  number that does not exist, a number, date or name the cited sentences do not contain);
* :func:`assemble` — the kept sentences as an answer: markers renumbered in order of first
  use, one :class:`~untact_qa.schema.Citation` per cited sentence.

What is checked is deliberately the checkable part: a number (``35.6``, ``2,000`` = ``2000``),
every year, month and day is a number; a name is a proper noun or a word in Latin letters
(Kiwi's NNP and SL tags). A name also counts when the cited passage's section heading has
it (the heading is shown with the citation), or under an alias from the corpus's
``untact-qa.json``. A paraphrase with no figures or names passes on its citation alone: the
reader still sees the cited sentence beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..schema import Citation

MAX_SOURCES = 40
MAX_SOURCE_CHARS = 9000
_MARK = re.compile(r"\[(\d{1,3})\]")
_MARKS_AFTER = re.compile(r"(?:\s*\[\d{1,3}\])+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LIST_MARK = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Source:
    """One numbered sentence an LLM may cite: where it is (chunk, document, section, lines) and
    its span inside its passage."""

    n: int
    chunk_id: str
    doc_id: str
    heading: str
    passage: str
    start: int  # [start, end) of the sentence inside passage
    end: int
    line_start: int
    line_end: int
    passage_lines: tuple[int, int]
    location: str = ""  # in the original (3쪽, 슬라이드 2); "" for plain text

    @property
    def text(self) -> str:
        return self.passage[self.start:self.end]


@dataclass(frozen=True)
class Verdict:
    """One written sentence: its text, the numbers it cites, and why it was dropped ("" kept)."""

    text: str
    cites: tuple[int, ...]
    reason: str = ""
    line: int = 0  # the line of the written text it is on (kept lines stay lines)

    @property
    def kept(self) -> bool:
        return not self.reason


def numbered_sources(answer, limit: int = MAX_SOURCES, max_chars: int = MAX_SOURCE_CHARS) -> list[Source]:
    """The sentences of *answer* (an :class:`~untact_qa.schema.Answer`) an LLM may write from,
    numbered from 1: the quoted answer's evidence (or a near-miss's closest content) first, then
    every sentence of the retrieved passages in rank order, none twice, at most *limit*
    sentences and about *max_chars* characters."""
    out: list[Source] = []
    taken: dict[str, list[tuple[int, int]]] = {}
    size = 0

    def add(chunk_id, doc_id, heading, passage, start, end, l0, l1, plines, location="") -> bool:
        nonlocal size
        text = passage[start:end].strip()
        if not text or len(out) >= limit or size + len(text) > max_chars:
            return len(out) < limit and size < max_chars
        spans = taken.setdefault(chunk_id, [])
        if any(start < e and s < end for s, e in spans):
            return True  # already numbered (the evidence of the quoted answer)
        spans.append((start, end))
        out.append(Source(len(out) + 1, chunk_id, doc_id, heading, passage, start, end, l0, l1, tuple(plines),
                          location))
        size += len(text)
        return True

    cited = answer.citations or (answer.closest.citations if answer.closest else ())
    for c in cited:
        add(c.chunk_id, c.doc_id, c.heading, c.passage, c.evidence_start, c.evidence_end, c.line_start, c.line_end,
            c.passage_lines, c.location)
    for h in answer.hits:
        ch = h.chunk
        sentences = ch.sentences or ()
        if not sentences:
            from ..tokenization import split_sentences

            sentences = split_sentences(ch.text, ch.start)
        for s in sentences:
            if not add(ch.chunk_id, ch.doc_id, ch.heading, ch.text, s.start - ch.start, s.end - ch.start,
                       s.line_start or ch.line_start, s.line_end or ch.line_end, (ch.line_start, ch.line_end),
                       ch.location_at(s.line_start or ch.line_start, s.line_end or ch.line_end)):
                return out
    return out


def prompt_sources(sources: list[Source]) -> str:
    """The numbered sentences as the prompt lists them: ``[n] (document · section) sentence``."""
    return "\n".join(f"[{s.n}] ({s.doc_id}" + (f" · {s.heading}" if s.heading else "") + ") "
                     + " ".join(s.text.split()) for s in sources)


def split_written(text: str) -> list[tuple[str, int]]:
    """*text* as sentences, each with the ``[n]`` markers right after it, and the line it is
    on. A sentence ends at ``.``, ``!``, ``?`` or ``。`` followed by a space or the end of the
    line (``35.6`` goes on), or at a line break (bullets, 개조식 lines without a period)."""
    out: list[tuple[str, int]] = []
    for line_no, line in enumerate(text.splitlines()):
        start, i = 0, 0
        while i < len(line):
            if line[i] in ".!?。" and not (0 < i < len(line) - 1 and line[i - 1].isdigit() and line[i + 1].isdigit()):
                j = i + 1
                m = _MARKS_AFTER.match(line, j)
                if m:
                    j = m.end()
                if (j >= len(line) or line[j].isspace()) and not re.fullmatch(r"\s*\d{1,2}", line[start:i]):
                    out.append((line[start:j].strip(), line_no))
                    start = i = j
                    continue
            i += 1
        out.append((line[start:].strip(), line_no))
    # a piece of markers alone ("… 했다.\n[1]") belongs to the sentence before it
    merged: list[tuple[str, int]] = []
    for piece, line_no in out:
        if not piece:
            continue
        if merged and not _LETTER.search(_MARK.sub("", piece)) and _MARK.search(piece):
            merged[-1] = (f"{merged[-1][0]} {piece}", merged[-1][1])
        else:
            merged.append((piece, line_no))
    return merged


def _numbers(text: str) -> set[str]:
    """The numbers of *text* in one spelling: no thousands separators, no trailing ``.0``."""
    out = set()
    for m in _NUMBER.finditer(_MARK.sub(" ", text)):
        s = re.sub(r",(?=\d{3}(?!\d))", "", m.group(0)).replace(",", ".")
        if "." in s:
            s = s.rstrip("0").rstrip(".")
        out.add(s.lstrip("0") or "0")
    return out


def _names(text: str) -> list[str]:
    """The names *text* states: proper nouns and words in Latin letters (Kiwi's NNP, SL)."""
    from ..tokenization import kiwi, typed_terms

    return list(dict.fromkeys(form for form, kind in typed_terms(kiwi().tokenize(text)) if kind in ("P", "L")))


def check_sentence(sentence: str, sources: dict[int, Source], aliases: dict | None = None, line: int = 0) -> Verdict:
    """The verdict on one written *sentence* against the numbered *sources* (see the module)."""
    from ..surface import surface_key

    cites = tuple(dict.fromkeys(int(n) for n in _MARK.findall(sentence)))
    body = _LIST_MARK.sub("", _MARK.sub(" ", sentence))  # "1) …": the list's number is no claim
    if not cites:
        return Verdict(sentence, cites, "인용 표시가 없음 (no citation)", line)
    unknown = [n for n in cites if n not in sources]
    if unknown:
        return Verdict(sentence, cites, f"없는 근거 번호 [{unknown[0]}] (cites no such sentence)", line)
    cited = [sources[n] for n in cites]
    cited_text = " ".join(s.text for s in cited)
    missing = sorted(_numbers(body) - _numbers(cited_text))
    if missing:
        return Verdict(sentence, cites, f"근거 문장에 없는 숫자 {missing[0]} (a number the cited sentences do not have)",
                       line)
    where = surface_key(cited_text + " " + " ".join(s.heading for s in cited))
    for name in _names(body.replace("**", "")):
        forms = [name, *((aliases or {}).get(name) or ())]
        if not any(surface_key(f) and surface_key(f) in where for f in forms):
            return Verdict(sentence, cites, f"근거 문장에 없는 이름 {name} (a name the cited sentences do not have)",
                           line)
    return Verdict(sentence, cites, "", line)


def check(text: str, sources: list[Source], aliases: dict | None = None) -> list[Verdict]:
    """A verdict for every sentence of the written *text* (pieces with no letters, such as a
    rule or a lone list mark, are not sentences and get none)."""
    by_n = {s.n: s for s in sources}
    out = []
    for sentence, line in split_written(text):
        if not _LETTER.search(_MARK.sub("", sentence)):
            continue
        out.append(check_sentence(sentence, by_n, aliases, line))
    return out


def assemble(kept: list[Verdict], sources: list[Source]) -> tuple[str, tuple[Citation, ...]]:
    """The kept sentences as one answer text (sentences of one written line stay on one line)
    with markers renumbered 1, 2, … in order of first use, and their citations."""
    by_n = {s.n: s for s in sources}
    order: dict[int, int] = {}
    for v in kept:
        for n in v.cites:
            order.setdefault(n, len(order) + 1)
    lines: dict[int, list[str]] = {}
    for v in kept:
        text = _MARK.sub(lambda m: f"[{order[int(m.group(1))]}]", v.text)
        lines.setdefault(v.line, []).append(text)
    body = "\n".join(" ".join(parts) for _, parts in sorted(lines.items()))
    citations = []
    for n, new in sorted(order.items(), key=lambda kv: kv[1]):
        s = by_n[n]
        citations.append(Citation(n=new, chunk_id=s.chunk_id, doc_id=s.doc_id, heading=s.heading,
                                  line_start=s.line_start, line_end=s.line_end, passage=s.passage,
                                  evidence_start=s.start, evidence_end=s.end, passage_lines=s.passage_lines,
                                  location=s.location))
    return body, tuple(citations)
