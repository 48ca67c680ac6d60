"""Pack whole sentences of one section into chunks with exact source offsets."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache

from .config import ChunkingConfig  # noqa: F401 - chunking's own settings live in config
from .schema import Chunk, Document, Sentence
from .textrepair import RepairedText, detect_rules, repair
from .tokenization import split_sentences_batch


# Bumped when repair, sentence splitting or packing changes the chunks of the same files:
# an index chunked by another version is rebuilt on the next start (2: page titles head
# every chunk's path; 개조식 statements split; 3: the title also stays in the first chunk;
# 4: "…불편함 등을" is not a statement end; an overlap sentence never pushes a chunk past 1.5 x max;
# 5: chunks carry the location marks of their lines: pages, slides, sheet rows, paragraphs;
# 6: a bill's parts (제안이유, 주요내용, 법률 제 호, 신·구조문대비표) are sections of their own;
# 7: a statute's 부칙 copied with the site's "펼침 … 부칙보기" around it is a part of its own).
CHUNKER_VERSION = 7


def repair_document(doc: Document) -> RepairedText:
    """Repair *doc* with the rules detected for it plus its overrides from ``untact-qa.json``."""
    rules = detect_rules(doc.text, doc.doc_id)
    if doc.repair:
        rules = rules.with_overrides(doc.repair)
    return repair(doc.text, rules)


# A page's title: its first line, when short and not a sentence ("지방공무원법 일부개정법률안",
# a news headline), and the page has more to say after it.
TITLE_MAX_CHARS = 60
_NOT_A_TITLE = re.compile(r"[.!?。…][\"'”’)\]]*$|[다요음함임됨]\.?$")


def title_unit(rep: RepairedText):
    """The unit that is the document's title (see :data:`TITLE_MAX_CHARS`), else None.
    Markdown titles are ``#`` headings already; a document opening with a heading has none."""
    if rep.rules.profile == "markdown" or len(rep.units) < 2:
        return None
    first = rep.units[0]
    text = rep.text[first.start:first.end].strip()
    if first.kind != "text" or not text or len(text) > TITLE_MAX_CHARS or _NOT_A_TITLE.search(text):
        return None
    if not any(u.kind in ("text", "item", "row", "field") for u in rep.units[1:]):
        return None
    return first


def sections(rep: RepairedText) -> list[tuple[tuple[str, ...], list[tuple[bool, list[Sentence]]]]]:
    """Group the body of *rep* by heading path: each section is a list of units as
    ``(explicit paragraph break before it, its sentences)``. Captions are left out.

    A page's title (:func:`title_unit`) heads every path, so it travels with each chunk of
    its page and the first chunk's "title + first line" is no longer the only one that
    matches the title's words; the title stays quotable in the first chunk."""
    title = title_unit(rep)
    root: tuple[str, ...] = (" ".join(rep.text[title.start:title.end].split()),) if title else ()
    path: list[tuple[int, str]] = []
    out: list[tuple[tuple[str, ...], list[tuple[bool, list[Sentence]]]]] = []
    current: list[tuple[bool, list[Sentence]]] = []
    current_path: tuple[str, ...] = root
    body = [u for u in rep.units if u.kind not in ("heading", "caption")]
    split = dict(zip((id(u) for u in body),
                     split_sentences_batch([rep.text[u.start : u.end] for u in body], [u.start for u in body])))
    for unit in rep.units:
        if unit.kind == "heading":
            if current:
                out.append((current_path, current))
                current = []
            head = rep.text[unit.start : unit.end]
            path = [p for p in path if p[0] < unit.level] + [(unit.level, head)]
            current_path = root + tuple(t for _, t in path)
            continue
        if unit.kind == "caption":
            continue  # figure captions ("MS의 협업솔루션 팀즈") label pictures we do not have
        sents = split[id(unit)]
        if sents:
            current.append((unit.blank_before, sents))
    if current:
        out.append((current_path, current))
    return out


def _pack(paragraphs: list[tuple[bool, list[Sentence]]], cfg: ChunkingConfig) -> list[list[Sentence]]:
    """Whole sentences into chunks of ``min_chars``-``max_chars``; a chunk also closes at a
    paragraph the author marked with a blank line once it holds ``paragraph_chars``, so
    passages follow the writer's paragraphs (inferred PDF paragraphs are packed as before)."""
    groups: list[list[Sentence]] = []
    cur: list[Sentence] = []
    for explicit, para in paragraphs:
        if (cur and explicit and cfg.paragraph_chars
                and (cur[-1].end - cur[0].start) >= cfg.paragraph_chars):
            groups.append(cur)
            cur = []  # no overlap across a paragraph boundary
        for s in para:
            if cur:
                size = s.end - cur[0].start
                if size > cfg.max_chars and (cur[-1].end - cur[0].start) >= cfg.min_chars or size > cfg.max_chars * 1.5:
                    groups.append(cur)
                    last = cur[-1]
                    # the overlap sentence carries over only while the chunk it starts stays in bounds
                    keep = (len(cur) > 1 and (last.end - last.start) <= cfg.overlap_chars
                            and s.end - last.start <= cfg.max_chars * 1.5)
                    cur = [last] if keep else []
            cur.append(s)
    if cur and not (groups and len(cur) == 1 and cur[0] == groups[-1][-1]):
        groups.append(cur)
    return groups


# The last few results of chunk_document: an upload is chunked to report its counts, then
# again by the re-index that follows. Few, because a repaired text keeps an offset per
# character (a 100-page PDF: several MB). Callers only read the results, so they are shared.
def chunk_document(doc: Document, cfg: ChunkingConfig | None = None) -> tuple[list[Chunk], RepairedText]:
    """Repair *doc*, split it into sentences and pack them into chunks (the last few results
    are remembered, keyed by the document's id, text, repair overrides and *cfg*)."""
    hit = _chunk_cached(doc.doc_id, doc.text, json.dumps(doc.repair, sort_keys=True, default=str),
                        cfg or ChunkingConfig(), json.dumps(doc.locations) if doc.locations else "")
    chunks, rep = hit
    return list(chunks), rep


@lru_cache(maxsize=8)
def _chunk_cached(doc_id: str, text: str, repair: str, cfg: ChunkingConfig,
                  locations: str = "") -> tuple[list[Chunk], RepairedText]:
    marks = tuple((int(a), str(b)) for a, b in json.loads(locations)) if locations else ()
    return _chunk_document(Document(doc_id, text, repair=json.loads(repair), locations=marks), cfg)


def chunk_locations(marks: tuple[tuple[int, str], ...], line_start: int, line_end: int) -> tuple[tuple[int, str], ...]:
    """The location marks in force over lines *line_start*–*line_end*: the last one at or before
    the first line, then every one that starts inside the span."""
    if not marks:
        return ()
    before = [m for m in marks if m[0] <= line_start]
    inside = [m for m in marks if line_start < m[0] <= line_end]
    return tuple(([before[-1]] if before else []) + inside)


def split_long(sentences: list[Sentence], text: str, cfg: ChunkingConfig) -> list[Sentence]:
    """*sentences* with every one longer than ``2 × max_chars`` (a line of 600 KB without a
    full stop) cut into pieces of at most ``max_chars``, at the last space when there is one
    in the second half of a piece. Shorter sentences — all of normal text — pass unchanged."""
    hard = 2 * cfg.max_chars
    if all(s.end - s.start <= hard for s in sentences):
        return sentences
    out: list[Sentence] = []
    for s in sentences:
        if s.end - s.start <= hard:
            out.append(s)
            continue
        pos = s.start
        while pos < s.end:
            cut = min(pos + cfg.max_chars, s.end)
            if cut < s.end:
                space = text.rfind(" ", pos + cfg.max_chars // 2, cut)
                cut = space if space > pos else cut
            if text[pos:cut].strip():
                out.append(Sentence(pos, cut, text[pos:cut]))
            pos = cut
            while pos < s.end and text[pos].isspace():
                pos += 1
    return out


def _chunk_document(doc: Document, cfg: ChunkingConfig) -> tuple[list[Chunk], RepairedText]:
    rep = repair_document(doc)
    chunks: list[Chunk] = []
    for heading_path, paragraphs in sections(rep):
        paragraphs = [(explicit, [replace(s, line_start=a, line_end=b)
                                  for s in split_long(para, rep.text, cfg) for a, b in [rep.line_range(s.start, s.end)]])
                      for explicit, para in paragraphs]
        for group in _pack(paragraphs, cfg):
            start, end = group[0].start, group[-1].end
            o0, o1 = rep.orig_span(start, end)
            l0, l1 = rep.line_range(start, end)
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.doc_id}#{len(chunks):04d}",
                    doc_id=doc.doc_id,
                    heading_path=heading_path,
                    text=rep.text[start:end],
                    start=start,
                    end=end,
                    orig_start=o0,
                    orig_end=o1,
                    line_start=l0,
                    line_end=l1,
                    sentences=tuple(group),
                    locations=chunk_locations(doc.locations, l0, l1),
                )
            )
    return chunks, rep
