"""What "왜?" costs: the previous answer's passage and neighbours, then two searches for a reason
(the question's words and, since 2026-12-05, the claim's own words: a reason told in another
section). Each run starts with the sentence cache empty, as a why-question asked once does. Timed on why turns of the korquad-open and report conversations. Run:
.venv/bin/python bench/followup_why.py (needs the suites' indexes: make eval builds them)."""
import statistics
import time

from untact_qa.config import Settings
from untact_qa.encoders import make_embedder
from untact_qa.suites import open_suite
from untact_qa.tokenization import content_words

s = Settings.from_env()
emb = make_embedder(s.model, s.cache_dir)
for suite, first, why in (("korquad-open", "정도전은 언제 피살됐어?", "왜 그렇게 된 거야?"),
                          ("korquad-open", "금강산 4대 사찰 중 남은 절은?", "왜 나머지는 없어졌어?"),
                          ("report", "일본의 재택근무 현황은?", "왜?"),
                          ("report", "줌 하루 이용자는 몇 명까지 늘었어?", "왜?")):
    _, eng, _ = open_suite(suite, s, emb)
    prior = eng.ask(first)
    eng.ask(why, history=[prior])  # warm
    ts = []
    for _ in range(15):
        content_words.cache_clear()  # a why-question is asked once: its sentences are not yet read
        t = time.perf_counter()
        eng.ask(why, history=[prior])
        ts.append((time.perf_counter() - t) * 1000)
    print(f"{suite}: {first} / {why}: p50 {statistics.median(ts):.1f} ms, max {max(ts):.1f} ms")
