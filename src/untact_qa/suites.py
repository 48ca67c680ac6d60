"""Evaluation suites: one per document domain, each a corpus, questions and a fixed split.

A suite is a folder ``eval/suites/<name>/`` with a ``suite.json``::

    {"description": "...", "corpus": "corpus", "questions": "questions.jsonl"}

or, for a suite generated from a public data set, ``"builder": "korquad"`` plus its
parameters (see :func:`build_korquad`). Paths are relative to the suite folder.

Every question belongs to the **tune** half (which calibration may look at) or the **test**
half (only reported). A question file may say so in an optional ``"split"`` key; otherwise
the split is ``tune`` when the SHA-1 of the question id is even, ``test`` when odd — fixed,
documented, and independent of anything the system does.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

SUITES_DIR = Path("eval") / "suites"
SPLITS = ("tune", "test")
_BUILDER_VERSION = 3  # bump when a generated corpus or question file changes shape (2, 3: near-misses)


@dataclass(frozen=True)
class Suite:
    """One evaluation domain."""

    name: str
    folder: Path
    description: str
    config: dict = field(default_factory=dict)

    @property
    def generated(self) -> bool:
        """True when corpus and questions are built from a data set (see ``builder``)."""
        return "builder" in self.config

    def paths(self, cache_dir: Path) -> tuple[Path, Path]:
        """``(corpus folder, questions file)``; generated suites are built into *cache_dir* once."""
        if self.generated:
            return build_suite(self, Path(cache_dir) / "suites" / self.name)
        corpus = (self.folder / self.config["corpus"]).resolve()
        questions = (self.folder / self.config["questions"]).resolve()
        return corpus, questions

    def vector_donor(self, cache_dir: Path) -> Path | None:
        """The index of the suite named by ``reuse_vectors_from`` (same texts, another
        layout): a build reuses its vectors instead of embedding them again."""
        other = self.config.get("reuse_vectors_from")
        return Path(cache_dir) / "suites" / other / "index" if other else None

    def index_dir(self, cache_dir: Path, default_index: Path) -> Path:
        """Where this suite's index lives: the app's own index for the default corpus."""
        if self.config.get("uses_app_index"):
            return Path(default_index)
        return Path(cache_dir) / "suites" / self.name / "index"


def open_suite(name: str, settings, embedder, calibration=None):
    """``(suite, engine, questions file)``: the suite's engine over its own index (built on
    first use, reusing a donor's vectors) — the one loop the eval and the calibration share."""
    from dataclasses import replace

    from .engine import Engine

    suite = load_suite(name)
    corpus_dir, questions = suite.paths(settings.cache_dir)
    s = replace(settings, corpus_dir=corpus_dir, index_dir=suite.index_dir(settings.cache_dir, settings.index_dir))
    engine = Engine.load_or_build(s, progress=False, embedder=embedder, calibration=calibration,
                                  donor=suite.vector_donor(settings.cache_dir))
    return suite, engine, questions


def list_suites(root: Path = Path(".")) -> list[str]:
    """Names of the suites under ``eval/suites`` (sorted, the report first)."""
    folder = Path(root) / SUITES_DIR
    names = sorted(p.parent.name for p in folder.glob("*/suite.json"))
    return sorted(names, key=lambda n: (n != "report", n))


def load_suite(name: str, root: Path = Path(".")) -> Suite:
    """The suite called *name*; the error lists the ones that exist."""
    folder = Path(root) / SUITES_DIR / name
    spec = folder / "suite.json"
    if not spec.is_file():
        have = ", ".join(list_suites(root)) or "none"
        raise ConfigError(f"no evaluation suite {name!r} (looked for {spec}); available: {have}")
    try:
        config = json.loads(spec.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ConfigError(f"{spec}: not valid JSON ({exc})") from exc
    if "builder" not in config and not {"corpus", "questions"} <= set(config):
        raise ConfigError(f"{spec}: needs 'corpus' and 'questions' paths, or a 'builder'")
    return Suite(name=name, folder=folder, description=config.get("description", ""), config=config)


def split_of(question: dict) -> str:
    """``tune`` or ``test``: the question's own ``split`` key, else the parity of SHA-1(id)."""
    split = question.get("split")
    if split is not None:
        if split not in SPLITS:
            raise ConfigError(f"question {question.get('id')!r}: split {split!r} is not one of {', '.join(SPLITS)}")
        return split
    return "tune" if int(hashlib.sha1(question["id"].encode()).hexdigest(), 16) % 2 == 0 else "test"


# -- generated suites -------------------------------------------------------------------------
def build_suite(suite: Suite, target: Path) -> tuple[Path, Path]:
    """Build a generated suite into *target* unless an identical build is already there."""
    builders = {"korquad": build_korquad}
    builder = suite.config["builder"]
    if builder not in builders:
        raise ConfigError(f"suite {suite.name}: unknown builder {builder!r}; allowed: {', '.join(builders)}")
    corpus, questions = target / "corpus", target / "questions.jsonl"
    stamp = target / "stamp.json"
    want = {"builder_version": _BUILDER_VERSION, "config": suite.config}
    if stamp.is_file() and json.loads(stamp.read_text()) == want and questions.is_file():
        return corpus, questions
    builders[builder](suite, corpus, questions)
    stamp.write_text(json.dumps(want, ensure_ascii=False, indent=1))
    return corpus, questions


def korquad_split(titles: list[str], withheld: int) -> dict[str, tuple[str, str]]:
    """Article split of KorQuAD: ``title -> (role, half)``.

    Articles are ordered by SHA-1 of their title. The first *withheld* are left out of the
    corpus (their questions become unanswerable); the others are indexed. Within each
    group the articles alternate tune, test, tune, … in that order.
    """
    order = sorted(titles, key=lambda t: hashlib.sha1(t.encode()).hexdigest())
    out = {}
    for i, t in enumerate(order[:withheld]):
        out[t] = ("withheld", SPLITS[i % 2])
    for i, t in enumerate(order[withheld:]):
        out[t] = ("indexed", SPLITS[i % 2])
    return out


def build_korquad(suite: Suite, corpus: Path, questions: Path) -> None:
    """KorQuAD 1.0 dev as an open corpus: articles as Markdown files, sampled questions.

    ``suite.json`` keys: ``source`` (the unmodified JSON), ``sha256`` (checked),
    ``withheld`` (articles left out), ``per_article`` (questions sampled per article, spread
    evenly over its question list). Evidence is the sentence holding the answer span.
    """
    import shutil

    from .documents import safe_name
    from .tokenization import split_sentences

    cfg = suite.config
    source = suite.folder / cfg["source"]
    raw = source.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if cfg.get("sha256") and digest != cfg["sha256"]:
        raise ConfigError(f"{source} is not the unmodified KorQuAD file (sha256 {digest[:12]}…, "
                          f"expected {cfg['sha256'][:12]}…); restore it")
    articles = json.loads(raw.decode("utf-8"))["data"]
    roles = korquad_split([a["title"] for a in articles], int(cfg.get("withheld", 14)))
    per_article = int(cfg.get("per_article", 10))
    layout = cfg.get("layout", "articles")
    if layout not in ("articles", "pages"):
        raise ConfigError(f"suite {suite.name}: layout {layout!r} is not one of articles, pages")
    if corpus.exists():
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True)
    rows = []
    texts: dict[str, str] = {}  # article text, for checking near-miss swaps whatever the layout
    for art in articles:
        title = art["title"]
        role, half = roles[title]
        if role == "indexed":
            body = "\n\n".join(p["context"].strip() for p in art["paragraphs"])
            texts[title] = f"# {title.replace('_', ' ')}\n\n{body}\n"
            if layout == "articles":
                (corpus / safe_name(f"{title}.md")).write_text(texts[title], encoding="utf-8")
            else:
                # a short web page per paragraph: the article's title as its first line,
                # then the paragraph as one line (how news and web pages arrive)
                for k, p in enumerate(art["paragraphs"]):
                    page = f"{title.replace('_', ' ')}\n{' '.join(p['context'].split())}\n"
                    (corpus / safe_name(f"{title}_{k:02d}.txt")).write_text(page, encoding="utf-8")
        qas = [(p, qa) for p in art["paragraphs"] for qa in p["qas"]]
        step = max(1, len(qas) / per_article)
        picked = [qas[int(i * step)] for i in range(min(per_article, len(qas)))]
        for para, qa in picked:
            ans = qa["answers"][0]
            if role == "withheld":
                rows.append({"id": qa["id"], "type": "unanswerable", "question": qa["question"], "answers": [],
                             "evidence": [], "split": half})
                continue
            rows.append({"id": qa["id"], "type": "numeric" if re.search(r"\d", ans["text"]) else "factoid",
                         "question": qa["question"], "answers": [ans["text"]],
                         "evidence": [_answer_sentence(para["context"].strip(), ans, split_sentences)], "split": half})
    rows += korquad_near_misses(rows, texts, int(cfg.get("near_miss", 0)))
    questions.parent.mkdir(parents=True, exist_ok=True)
    questions.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def swap_pools(texts: dict[str, str]) -> tuple[list[str], set[str]]:
    """What a near-miss may swap in, from articles ``{title: text}``: the titles Kiwi reads as
    one proper noun whose article reads as a biography (``person_cues``: 태어났, 출신, 의원, …),
    and every country the articles name."""
    from .question import lexicon, places_in
    from .tokenization import kiwi

    pool = []
    for key, body in sorted(texts.items()):
        title = key.replace("_", " ")
        toks = kiwi().tokenize(title)
        cues = sum(1 for w in lexicon().units["person_cues"] if w in body)
        if len(toks) == 1 and toks[0].tag == "NNP" and re.fullmatch(r"[가-힣]{2,4}", title) and cues >= 4:
            pool.append(title)
    return pool, set().union(*(places_in("country", t) for t in texts.values()))


def korquad_near_misses(rows: list[dict], texts: dict[str, str], limit: int) -> list[dict]:
    """Up to *limit* near-miss questions derived from the indexed articles' questions (see
    :mod:`untact_qa.nearmiss`): a year, month, country or person swapped for one the
    article never pairs with the fact. Swapped-in names are other articles' titles that
    Kiwi reads as one proper noun (people, mostly), so they exist in the corpus. Chosen
    by SHA-1 of the question id, each kind in turn, so the set is fixed. A title Kiwi reads
    as one proper noun whose article reads as a biography (``person_cues`` of the lexicon:
    태어났, 출신, 의원, 배우, …) is a person: only such titles are swapped for one another."""
    if limit <= 0:
        return []
    from .nearmiss import make_near_misses

    docs = dict(sorted(texts.items()))
    pool, countries = swap_pools(docs)
    made = make_near_misses([r for r in rows if r["type"] != "unanswerable"], docs, pool, countries)
    by_kind: dict[str, list[dict]] = {}
    for r in sorted(made, key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest()):
        by_kind.setdefault(r["swap"]["kind"], []).append(r)
    picked: list[dict] = []
    while len(picked) < limit and any(by_kind.values()):
        for kind in ("year", "month", "country", "name"):
            if by_kind.get(kind) and len(picked) < limit:
                picked.append(by_kind[kind].pop(0))
    return picked


def _answer_sentence(context: str, answer: dict, split_sentences) -> str:
    """The sentence(s) of *context* covering the answer span (found by text if the offset is off)."""
    start = answer["answer_start"]
    if context[start:start + len(answer["text"])] != answer["text"]:
        start = context.find(answer["text"])
    end = start + len(answer["text"])
    sents = [s for s in split_sentences(context) if s.start < end and s.end > start]
    if not sents:
        return answer["text"]
    return context[sents[0].start:sents[-1].end]
