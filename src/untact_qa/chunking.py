"""Pack whole sentences of one section into chunks with exact source offsets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from .errors import ConfigError
from .schema import Chunk, Document, Sentence
from .textrepair import RepairedText, repair
from .tokenization import split_sentences


@dataclass(frozen=True)
class ChunkingConfig:
    """Chunk size in characters. A chunk is closed once it reaches ``min_chars`` and the
    next sentence would push it past ``max_chars``; the last sentence of a chunk is
    repeated at the start of the next one when it is at most ``overlap_chars`` long."""

    min_chars: int = 300
    max_chars: int = 450
    overlap_chars: int = 150

    def __post_init__(self) -> None:
        if not (0 < self.min_chars <= self.max_chars):
            raise ConfigError(
                f"chunking: need 0 < min_chars <= max_chars, got min_chars={self.min_chars}, max_chars={self.max_chars}"
            )
        if self.overlap_chars < 0 or self.overlap_chars >= self.max_chars:
            raise ConfigError(f"chunking: overlap_chars must be in [0, max_chars), got {self.overlap_chars}")

    def to_dict(self) -> dict:
        """Recorded in the index manifest."""
        return asdict(self)


def sections(rep: RepairedText) -> list[tuple[tuple[str, ...], list[Sentence]]]:
    """Group the body sentences of *rep* by heading path (captions are left out)."""
    path: list[tuple[int, str]] = []
    out: list[tuple[tuple[str, ...], list[Sentence]]] = []
    current: list[Sentence] = []
    current_path: tuple[str, ...] = ()
    for unit in rep.units:
        if unit.kind == "heading":
            if current:
                out.append((current_path, current))
                current = []
            title = rep.text[unit.start : unit.end]
            path = [p for p in path if p[0] < unit.level] + [(unit.level, title)]
            current_path = tuple(t for _, t in path)
            continue
        if unit.kind == "caption":
            continue  # figure captions ("MS의 협업솔루션 팀즈") label pictures we do not have
        current.extend(split_sentences(rep.text[unit.start : unit.end], base=unit.start))
    if current:
        out.append((current_path, current))
    return out


def _pack(sents: list[Sentence], cfg: ChunkingConfig) -> list[list[Sentence]]:
    groups: list[list[Sentence]] = []
    cur: list[Sentence] = []
    for s in sents:
        if cur:
            size = s.end - cur[0].start
            if size > cfg.max_chars and (cur[-1].end - cur[0].start) >= cfg.min_chars or size > cfg.max_chars * 1.5:
                groups.append(cur)
                last = cur[-1]
                cur = [last] if len(cur) > 1 and (last.end - last.start) <= cfg.overlap_chars else []
        cur.append(s)
    if cur and not (groups and len(cur) == 1 and cur[0] == groups[-1][-1]):
        groups.append(cur)
    return groups


def chunk_document(doc: Document, cfg: ChunkingConfig | None = None) -> tuple[list[Chunk], RepairedText]:
    """Repair *doc*, split it into sentences and pack them into chunks."""
    cfg = cfg or ChunkingConfig()
    rep = repair(doc.text)
    chunks: list[Chunk] = []
    for heading_path, sents in sections(rep):
        sents = [replace(s, line_start=a, line_end=b) for s in sents for a, b in [rep.line_range(s.start, s.end)]]
        for group in _pack(sents, cfg):
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
                )
            )
    return chunks, rep
