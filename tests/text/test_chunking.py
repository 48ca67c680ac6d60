import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPORT
from untact_qa.chunking import ChunkingConfig, chunk_document
from untact_qa.errors import ConfigError
from untact_qa.schema import Document
from untact_qa.textrepair import normalize

REPORT_LINES = normalize(REPORT.read_text(encoding="utf-8")).split("\n")


def _check(doc, cfg):
    chunks, rep = chunk_document(doc, cfg)
    for c in chunks:
        # offsets reproduce the chunk text, and the original span maps char by char
        assert rep.text[c.start:c.end] == c.text
        for i in range(c.start, c.end):
            o = doc.text[rep.orig_offsets[i]]
            assert o == rep.text[i] or (o.isspace() and rep.text[i].isspace())
        assert c.orig_start <= c.orig_end
        assert 1 <= c.line_start <= c.line_end <= doc.text.count("\n") + 1
        # whole sentences only: every sentence boundary lies inside the chunk
        assert c.sentences[0].start == c.start and c.sentences[-1].end == c.end
        if len(c.sentences) > 1:
            assert len(c.text) <= cfg.max_chars * 1.5
    # coverage: every character of body text (not headings or figure captions) is in some chunk
    covered = [False] * len(rep.text)
    for c in chunks:
        for s in c.sentences:
            for i in range(s.start, s.end):
                covered[i] = True
    for u in rep.units:
        if u.kind not in ("heading", "caption"):
            body = [i for i in range(u.start, u.end) if not rep.text[i].isspace()]
            assert all(covered[i] for i in body), rep.text[u.start:u.end]
    return chunks


def test_report_chunks_are_sized_and_carry_heading_paths():
    cfg = ChunkingConfig()
    doc = Document("r.txt", normalize(REPORT.read_text(encoding="utf-8")))
    chunks = _check(doc, cfg)
    assert 30 <= len(chunks) <= 80
    sizes = sorted(len(c.text) for c in chunks)
    assert sizes[len(sizes) // 2] >= 250
    paths = {c.heading for c in chunks}
    assert "해외 비대면 산업 현황 > 중국 > 온라인 교육의 활성화" in paths
    assert all(c.heading_path for c in chunks)
    # overlap is small and made of whole sentences
    for a, b in zip(chunks, chunks[1:]):
        if a.heading_path == b.heading_path and b.start < a.end:
            assert b.sentences[0] == a.sentences[-1]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.sampled_from(REPORT_LINES), min_size=1, max_size=60),
    min_chars=st.integers(50, 300),
    extra=st.integers(0, 300),
)
def test_offsets_and_coverage_property(lines, min_chars, extra):
    cfg = ChunkingConfig(min_chars=min_chars, max_chars=min_chars + extra, overlap_chars=min(40, min_chars - 1))
    text = "\n".join(lines)
    if not text.strip():
        return
    _check(Document("p.txt", text), cfg)


def test_bad_chunking_config_names_the_values():
    with pytest.raises(ConfigError, match="min_chars=500, max_chars=100"):
        ChunkingConfig(min_chars=500, max_chars=100)


def test_a_document_chunked_again_is_not_analysed_again(monkeypatch):
    import untact_qa.chunking as chunking

    calls = []
    real = chunking._chunk_document
    monkeypatch.setattr(chunking, "_chunk_document", lambda doc, cfg: calls.append(doc.doc_id) or real(doc, cfg))
    doc = Document("uploads/메모.md", "# 메모\n\n비대면 회의는 매주 화요일에 열린다. 회의록은 금요일에 공유한다.\n")
    first, _ = chunk_document(doc)
    again, _ = chunk_document(Document(doc.doc_id, doc.text))  # what the re-index after an upload does
    assert again == first and calls == [doc.doc_id]
    edited, _ = chunk_document(Document(doc.doc_id, doc.text.replace("화요일", "수요일")))
    assert "수요일" in edited[0].text and len(calls) == 2
    chunk_document(doc, ChunkingConfig(min_chars=50, max_chars=60, overlap_chars=10))
    assert len(calls) == 3  # another chunking is another result
