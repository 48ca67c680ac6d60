"""A follow-up's cost when it switches language: "위원은 어떻게 구성돼?" after an English question
takes the English topic as the quoted passages write it (dialog._native_topic embeds their
name-like phrases), against a same-language follow-up. Run: .venv/bin/python bench/followup_language.py
(needs the law suite's index: make eval builds it)."""
import time, statistics
from untact_qa.config import Settings
from untact_qa.encoders import make_embedder
from untact_qa.suites import open_suite
s = Settings.from_env()
emb = make_embedder(s.model, s.cache_dir)
_, eng, _ = open_suite("law", s, emb)
a = eng.ask("How long is the term of a National Election Commission member?")
b = eng.ask("대통령의 임기는 몇 년이야?")
for hist, q, name in (([a], "위원은 어떻게 구성돼?", "after English"), ([b], "국회의원은?", "same language")):
    ts = []
    for _ in range(15):
        t = time.perf_counter(); eng.ask(q, history=hist); ts.append((time.perf_counter() - t) * 1000)
    print(name, 'p50 %.1f ms' % statistics.median(ts), 'max %.1f' % max(ts))
