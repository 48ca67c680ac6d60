"""Training data of the reader, built from the repository's data — tune halves only.

A *group* is one question with the windows the reader would read for it (candidate
sentences with their neighbours under the passage's title) and a label per sentence:
1 answers the question, 0 does not, -1 left out of the loss (holds the answer string but is
not the gold sentence: ambiguous). A question the documents do not answer has no 1.

Sources (every one from a **tune** half; test halves are never opened for their text):

* **korquad** — every question of KorQuAD 1.0 dev on a tune-half article (the suite samples
  10 per article; the dev set has ~41): indexed articles through the project's own retrieval
  and hand-built span model (the hard negatives the reader will meet), scoped to tune-half
  articles so no test-half paragraph is ever read; withheld tune-half articles from their own
  paragraph (answerable) and through retrieval (unanswerable). The suite's own tune sample
  (what ``untact-qa calibrate`` fits the answer and abstention models on) is left out, so the
  calibration sees the reader's scores on questions it was not trained on.
* **near-miss** — KorQuAD tune questions with a year, month, country or person swapped
  (:mod:`untact_qa.nearmiss`, over tune-half articles only): "does not answer".
* **report**, **law** — the suites' tune questions (answerable, unanswerable, near-miss),
  through retrieval. These suites split questions, not documents (one report sentence often
  answers a tune and a test question), so test questions are never used but sentences are
  shared; a sentence holding a held-out answer case's evidence (tests/data/answer_cases.json,
  the pipeline tests, cross-lingual ones among them) is removed from every window, and a
  question whose gold sentence is one is dropped.
* **english** — English versions of report and law tune questions, written for this
  (``data/reader/train-english.jsonl``), with their source's labels.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from pathlib import Path

from ..scoring import UNANSWERED_TYPES, squash
from .artifact import SHIPPED

ENGLISH = SHIPPED / "train-english.jsonl"
ANSWER_CASES = Path("tests") / "data" / "answer_cases.json"
TRAIN_SENTENCES = 8  # candidate sentences read per training question
MAX_WINDOWS = 4  # per group: the gold window and the hardest others
NEAR_MISS_SHARE = 0.35  # generated near-misses, at most this share of the KorQuAD answerable groups
DOMAINS = ("korquad", "report", "law")


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def find_loose(text: str, needle: str) -> tuple[int, int] | None:
    """Character range of *needle* in *text*, ignoring whitespace; None when absent."""
    at = text.find(needle)
    if at >= 0:
        return at, at + len(needle)
    flat_idx = [k for k, ch in enumerate(text) if not ch.isspace()]
    flat = "".join(text[k] for k in flat_idx)
    key = squash(needle)
    at = flat.find(key) if key else -1
    if at < 0:
        return None
    return flat_idx[at], flat_idx[at + len(key) - 1] + 1


def _overlaps(sentence: str, evidence: str) -> bool:
    a, b = squash(sentence), squash(evidence)
    return bool(a and b) and (a in b or b in a)


class _Planner:
    """The reader's window planning with the base tokenizer (no model needed)."""

    def __init__(self, tokenizer_file: Path) -> None:
        from tokenizers import Tokenizer

        from .inputs import WindowEncoder

        tok = Tokenizer.from_file(str(tokenizer_file))
        tok.no_padding()
        tok.no_truncation()
        self.encoder = WindowEncoder(tok)

    def plan(self, question, title, sentences, centers):
        from .inputs import plan_for

        return plan_for(self.encoder, question, title, sentences, centers)


def _retrieved_windows(engine, question: str, planner: _Planner, docs: list[str] | None):
    """The windows the reader would read for *question* on *engine* (docs: search scope)."""
    from ..answer import reading_plan

    got: dict = {}
    engine.ask(question, mode="hybrid", top_k=10, collect=got, docs=docs)
    spans = got.get("spans") or []
    if not spans:
        return []
    # more candidates than a question reads at query time: more hard negatives to learn from
    windows, _, chunks = reading_plan(spans, planner.plan, question, n=TRAIN_SENTENCES, at_least=TRAIN_SENTENCES)
    return [{"title": w.title, "sentences": list(w.sentences), "doc": c.doc_id, "source": "retrieved"}
            for w, c in zip(windows, chunks)]


def _label(window: dict, positive, ambiguous) -> dict:
    """Labels of a window's sentences: 1 where *positive(sentence)*, -1 where *ambiguous*, else 0."""
    labels = []
    for s in window["sentences"]:
        labels.append(1 if positive(window, s) else (-1 if ambiguous(window, s) else 0))
    return {**window, "labels": labels}


def _cap(windows: list[dict], rng: random.Random) -> list[dict]:
    """At most MAX_WINDOWS: every window holding a positive, then the first (hardest) others."""
    pos = [w for w in windows if 1 in w["labels"]]
    other = [w for w in windows if 1 not in w["labels"]]
    return (pos + other)[:MAX_WINDOWS] if pos else other[:MAX_WINDOWS]


def _span_label(window: dict, answers: list[str]) -> list | None:
    """``[sentence index, start, end]`` of the first answer found in a positive sentence."""
    for k, (s, lab) in enumerate(zip(window["sentences"], window["labels"])):
        if lab != 1:
            continue
        for a in answers:
            got = find_loose(s, a)
            if got:
                return [k, got[0], got[1]]
    return None


# -- KorQuAD ------------------------------------------------------------------------------------
def korquad_groups(settings, planner: _Planner, embedder, rng: random.Random, calibration=None
                   ) -> tuple[list[dict], list[dict], dict]:
    """Groups from every question of the tune-half KorQuAD articles (see the module docstring),
    and validation groups: the suite's own tune sample, read the same way, never trained on."""
    from ..documents import safe_name
    from ..evaluation import load_questions
    from ..suites import korquad_split, load_suite, open_suite

    suite = load_suite("korquad-open")
    raw = (suite.folder / suite.config["source"]).read_bytes()
    articles = json.loads(raw.decode("utf-8"))["data"]
    roles = korquad_split([a["title"] for a in articles], int(suite.config.get("withheld", 14)))
    _, engine, qfile = open_suite("korquad-open", settings, embedder, calibration)
    sample = {q["id"] for q in load_questions(qfile) if q.get("split") == "tune"}
    held = {q.get("source") for q in load_questions(qfile) if q.get("split") == "tune" and q.get("source")}
    tune_docs = [safe_name(f"{a['title']}.md") for a in articles if roles[a["title"]] == ("indexed", "tune")]
    reader = _KorquadReader(engine, planner, rng, tune_docs)
    groups, valid, rows, texts = [], [], [], {}
    stats = {"articles_indexed": 0, "articles_withheld": 0, "questions": 0, "left_for_calibration": 0}
    for art in articles:
        title = art["title"]
        role, half = roles[title]
        if half != "tune":
            continue  # test-half articles are never read
        stats["articles_" + role] += 1
        if role == "indexed":
            body = "\n\n".join(p["context"].strip() for p in art["paragraphs"])
            texts[title] = f"# {title.replace('_', ' ')}\n\n{body}\n"
        for para in art["paragraphs"]:
            for qa in para["qas"]:
                validation = qa["id"] in sample | held
                if validation:
                    stats["left_for_calibration"] += 1
                    if qa["id"] not in sample or role != "indexed":
                        continue
                else:
                    stats["questions"] += 1
                row, made = reader.question(title, role, para["context"].strip(), qa)
                if validation:
                    valid += [g for g in made if g["kind"] == "answer"]  # watched, never trained on
                    continue
                rows.append(row)
                groups += made
    answerable = sum(1 for g in groups if g["kind"] == "answer")
    near = reader.near_misses(rows, texts, int(answerable * NEAR_MISS_SHARE))
    stats["near_misses"] = len(near)
    stats["validation"] = len(valid)
    return groups + near, valid, stats


class _KorquadReader:
    """The groups of one KorQuAD question (and of generated near-misses) through the index."""

    def __init__(self, engine, planner: _Planner, rng: random.Random, tune_docs: list[str]) -> None:
        self.engine, self.planner, self.rng, self.docs = engine, planner, rng, tune_docs

    def question(self, title: str, role: str, context: str, qa: dict) -> tuple[dict, list[dict]]:
        """``(question row, groups)``: the answerable group (retrieved windows, else the
        gold sentence in its own paragraph) and, for a withheld article, the unanswerable one."""
        from ..documents import safe_name
        from ..suites import _answer_sentence
        from ..tokenization import split_sentences

        doc = safe_name(f"{title}.md")
        ans = qa["answers"][0]
        answer = ans["text"]
        evidence = _answer_sentence(context, ans, split_sentences)
        row = {"id": qa["id"], "type": "numeric" if re.search(r"\d", answer) else "factoid",
               "question": qa["question"], "answers": [answer], "evidence": [evidence], "split": "tune"}

        def positive(w, s):
            return w["doc"] == doc and _overlaps(s, evidence) and squash(answer) in squash(s)

        def ambiguous(w, s):
            return squash(answer) in squash(s)

        windows = []
        if role == "indexed":
            windows = [_label(w, positive, ambiguous)
                       for w in _retrieved_windows(self.engine, qa["question"], self.planner, self.docs)]
        if not any(1 in w["labels"] for w in windows):
            # the gold sentence was not among the candidates: read it in its own paragraph
            sents = [s.text for s in split_sentences(context)]
            gold = [k for k, s in enumerate(sents) if _overlaps(s, evidence) and squash(answer) in squash(s)]
            if gold:
                others = [k for k in range(len(sents)) if k not in gold]
                tname = title.replace("_", " ")
                centers = gold + self.rng.sample(others, min(2, len(others)))
                for first, last in self.planner.plan(qa["question"], tname, sents, centers):
                    w = {"title": tname, "sentences": sents[first:last + 1], "doc": doc, "source": "paragraph"}
                    windows.append(_label(w, positive, ambiguous))
        windows = _cap(windows, self.rng)
        if not any(1 in w["labels"] for w in windows):
            return row, []
        groups = [_group(f"korquad:{qa['id']}", "korquad", "answer", qa["question"], windows, [answer],
                         article=title)]
        if role == "withheld":
            # the same question against the indexed tune articles: the documents do not answer it
            neg = [_label(w, lambda *_: False, ambiguous)
                   for w in _retrieved_windows(self.engine, qa["question"], self.planner, self.docs)]
            if neg:
                groups.append(_group(f"korquad-unanswerable:{qa['id']}", "korquad", "unanswerable",
                                     qa["question"], _cap(neg, self.rng), [], article=title))
        return row, groups

    def near_misses(self, rows: list[dict], texts: dict[str, str], limit: int) -> list[dict]:
        """Up to *limit* near-miss groups from tune questions (:mod:`untact_qa.nearmiss`, over
        tune-half articles only: names swapped in are tune-half titles)."""
        from ..nearmiss import make_near_misses
        from ..suites import swap_pools

        pool, countries = swap_pools(texts)
        made = make_near_misses(rows, dict(sorted(texts.items())), pool, countries, prefix="reader-nm")
        made.sort(key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())
        evidence = {q["id"]: q["evidence"][0] for q in rows}
        out = []
        for r in made:
            if len(out) >= limit:
                break
            neg = [_label(w, lambda *_: False, lambda w, s: False)
                   for w in _retrieved_windows(self.engine, r["question"], self.planner, self.docs)]
            # the source's gold sentence is the near miss: only a group that reads it (labelled 0)
            if neg and any(_overlaps(s, evidence[r["source"]]) for w in neg for s in w["sentences"]):
                out.append(_group(f"near-miss:{r['id']}", "korquad", "near_miss", r["question"],
                                  _cap(neg, self.rng), [], swap=r["swap"], source=r["source"]))
        return out


def _group(gid: str, domain: str, kind: str, question: str, windows: list[dict], answers: list[str],
           lang: str = "ko", **extra) -> dict:
    span = None
    for k, w in enumerate(windows):
        got = _span_label(w, answers) if answers else None
        if got:
            span = [k, *got]
            break
    return {"id": gid, "domain": domain, "kind": kind, "lang": lang, "question": question, "windows": windows,
            "answers": answers, "span": span, **extra}


# -- report and law -----------------------------------------------------------------------------
def suite_groups(name: str, settings, planner: _Planner, embedder, rng: random.Random,
                 english: dict[str, str], calibration=None) -> tuple[list[dict], dict]:
    """Groups of a hand-written suite's tune questions (and their English versions)."""
    from ..evaluation import load_questions
    from ..suites import open_suite

    _, engine, qfile = open_suite(name, settings, embedder, calibration)
    questions = load_questions(qfile)
    # These suites split questions, not documents: a test question's sentence may also answer
    # a tune question (the report states several facts per sentence), so sentences are shared;
    # test questions themselves never are. The held-out answer cases of the pipeline tests
    # (cross-lingual ones among them) keep their sentences out of training altogether.
    banned = []
    if name == "report" and ANSWER_CASES.is_file():
        cases = json.loads(ANSWER_CASES.read_text(encoding="utf-8"))
        banned += [squash(e) for c in cases for e in c.get("evidence", []) if len(squash(e)) >= 4]

    def is_banned(s: str) -> bool:
        flat = squash(s)
        return any(b in flat or (len(flat) >= 10 and flat in b) for b in banned)

    groups = []
    stats = {"tune_questions": 0, "dropped_held_out_case": 0, "english": 0}
    for q in questions:
        if q["split"] != "tune" or q["type"] == "summary":
            continue
        stats["tune_questions"] += 1
        answers, evidence = q["answers"], q["evidence"]
        unanswered = q["type"] in UNANSWERED_TYPES

        def positive(w, s, answers=answers, evidence=evidence, unanswered=unanswered):
            if unanswered:
                return False
            return any(squash(a) in squash(s) for a in answers) and any(_overlaps(s, e) or squash(e) in squash(s)
                                                                         for e in evidence)

        def ambiguous(w, s, answers=answers, evidence=evidence, unanswered=unanswered):
            if unanswered:
                return False
            return any(squash(a) in squash(s) for a in answers) or any(_overlaps(s, e) for e in evidence)

        variants = [(q["question"], "ko")]
        if q["id"] in english:
            variants.append((english[q["id"]], "en"))
        for text, lang in variants:
            windows = []
            for w in _retrieved_windows(engine, text, planner, None):
                kept = [s for s in w["sentences"] if not is_banned(s)]
                if len(kept) < len(w["sentences"]) and any(positive(w, s) for s in w["sentences"] if is_banned(s)):
                    windows = None  # the gold sentence is a held-out answer case's
                    break
                if kept:
                    windows.append(_label({**w, "sentences": kept}, positive, ambiguous))
            if windows is None:
                stats["dropped_held_out_case"] += 1
                continue
            if not unanswered and not any(1 in w["labels"] for w in windows):
                continue  # its sentence was not among the candidates: nothing to learn here
            if not windows:
                continue
            kind = "answer" if not unanswered else q["type"]
            groups.append(_group(f"{name}:{q['id']}" + (":en" if lang == "en" else ""), name, kind, text,
                                 _cap(windows, rng), answers if not unanswered else [], lang=lang))
            stats["english"] += lang == "en"
    return groups, stats


def load_english(path: Path = ENGLISH) -> dict[str, str]:
    """``source question id -> English question`` (written for the reader's training)."""
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["source"]] = row["question"]
    return out


def build(settings, out: Path, valid_out: Path, seed: int = 0) -> dict:
    """Write every group to *out* and the validation groups to *valid_out* (JSON lines);
    return the counts (see the module docstring)."""
    from ..calibration import load
    from ..encoders import make_embedder
    from .compose import base_folder

    rng = random.Random(seed)
    planner = _Planner(base_folder(settings.cache_dir) / "tokenizer.json")
    embedder = make_embedder(settings.model, settings.cache_dir)
    # candidates come from the hand-built span model alone, whatever reader is shipped: the
    # data (and so the reader) does not depend on an earlier reader
    cal = load(None, settings.sentence_vectors).without_reader()
    english = load_english()
    _log("Reader data: KorQuAD tune-half articles…")
    groups, valid, stats = korquad_groups(settings, planner, embedder, rng, cal)
    all_stats = {"korquad": stats}
    for name in ("report", "law"):
        _log(f"Reader data: {name} tune questions…")
        g, st = suite_groups(name, settings, planner, embedder, rng, english, cal)
        groups += g
        all_stats[name] = st
    for path, rows in ((out, groups), (valid_out, valid)):
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            for g in rows:
                f.write(json.dumps(g, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for g in groups:
        key = f"{g['domain']}/{g['kind']}/{g['lang']}"
        counts[key] = counts.get(key, 0) + 1
    return {"groups": len(groups), "validation_groups": len(valid), "by_kind": dict(sorted(counts.items())),
            "sources": all_stats, "windows": sum(len(g["windows"]) for g in groups)}


def load_groups(path: Path) -> list[dict]:
    """The groups written by :func:`build`."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
