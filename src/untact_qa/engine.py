"""The public Python API: load once, answer many.

>>> from untact_qa import Engine
>>> engine = Engine.load("index")
>>> engine.search("재택근무 실시율은?").hits[0].chunk.line_start
"""

from __future__ import annotations

import re
import threading
import time
import warnings
from dataclasses import replace
from pathlib import Path

from .chunking import CHUNKER_VERSION
from .config import Settings
from .corpus import load_corpus
from .crosslingual import MONTHS_EN
from .encoders import Embedder, log, make_embedder
from .errors import StoreError
from .ingest import BuildReport
from .korean import ends_a_word, josa
from .retrieval import RetrievalResult, Retriever, clean_query
from .stores import Store, has_index, open_store, salvage, sole_writer, store_kind, write_store
from .stores.base import document_drift


def build_index(settings: Settings, progress=True, embedder=None, previous=None, donor=None) -> BuildReport:
    """Build (or refresh) the index for ``settings.corpus_dir`` into the configured store.

    Vectors of unchanged texts are reused from *previous* (default: the live index) when it
    was built with the same model; the new version replaces the old one atomically. A local
    index is checked for writability first (before any model or embedding work) and written
    by one process at a time (:class:`~untact_qa.locking.IndexLock`); a damaged ``CURRENT``
    is replaced. *progress*: ``True`` draws a bar on stderr, a callable gets ``(stage, done, total)``.
    """
    with sole_writer(settings):
        return _build_index(settings, progress, embedder, previous, donor)


def _build_index(settings: Settings, progress, embedder, previous, donor=None) -> BuildReport:
    from .ingest import base_manifest, make_records, vector_cache

    embedder = embedder or make_embedder(settings.model, settings.cache_dir)
    corpus = load_corpus(settings.corpus_dir)
    if previous is None:
        try:
            previous = open_store(settings, expected_model=embedder.model_id)
        except StoreError as exc:
            previous = salvage(settings, embedder.model_id, exc)  # reuse what still checks out
    cache = vector_cache(previous, embedder.model_id)
    if donor is not None:
        # another index over the same texts (a suite's other layout): its vectors count too
        from .stores.local import LocalStore

        try:
            cache = {**vector_cache(LocalStore.load(donor, expected_model=embedder.model_id), embedder.model_id),
                     **cache}
        except StoreError:
            pass
    records, report, fields_ = make_records(corpus, embedder, settings.chunking, cache, progress,
                                            sentence_vectors=settings.sentence_vectors)
    manifest = base_manifest(embedder.model_id, embedder.dim, store_kind(settings.store), fields_)
    if callable(progress):
        progress("write", 0, len(records))
    report.path = str(write_store(settings, records, manifest).path)
    return report


# a word in more than this share of the passages is what most of them are about ("비대면" in the
# report): as a bare "X는?" it names no topic of its own, so it completes the previous question
COMMON_SHARE = 0.05


def _wanted_sentence_vectors(settings: Settings, embedder) -> str:
    return settings.sentence_vectors if hasattr(embedder, "encode_late") else "separate"


# the lead of a "더 자세히" answered from other passages than the previous answer's part
MORE_ELSEWHERE = "앞의 답이 인용한 부분에는 더 나온 내용이 없어, 같은 질문에 다른 문단이 답한 내용입니다:"


class Engine:
    """A loaded index + model + retriever, shared by the CLI, the UI and the eval."""

    def __init__(self, settings: Settings, index: Store, embedder: Embedder, calibration=None) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.retriever = Retriever(index, embedder, settings.retrieval, calibration)
        self._lock = threading.RLock()
        self._reader = None
        self._aliases: dict[str, list[str]] | None = None
        self._leads: dict[str, str] = {}
        self._articles: dict[str, dict] | None = None  # articles.article_index of the store, built on first use
        self._overviews = None
        # set by load_or_build when it serves an index it could not refresh (shown by the UI)
        self.notice = ""

    @property
    def overviews(self):
        """Each document's guide: cited bullets and suggested questions that answer
        (:class:`~untact_qa.overview.Overviews`), kept beside the index."""
        if self._overviews is None:
            from .overview import Overviews

            self._overviews = Overviews(self)
        return self._overviews

    @property
    def reader(self):
        """The reader (extractive, with the learned reader model the calibration was fitted
        with) over this index, created on first use."""
        if self._reader is None:
            from .answer import CorpusView, ExtractiveReader
            from .readers import make_reader

            view = CorpusView(self.index.stats, self.corpus_contains, self.aliases, self.lead_text)
            cal = self.retriever.calibration
            self._reader = ExtractiveReader(view, cal, make_reader(cal.reader, self.settings.cache_dir))
        return self._reader

    @classmethod
    def load(cls, index_dir: str | Path | None = None, settings: Settings | None = None,
             warm: bool = True, check_stale: bool = True) -> Engine:
        """Load the index (refusing one built with another model) and the model once."""
        settings = settings or Settings.from_env()
        if index_dir is not None:
            settings = replace(settings, index_dir=Path(index_dir))
        embedder = make_embedder(settings.model, settings.cache_dir)
        index = open_store(settings, expected_model=embedder.model_id)
        engine = cls(settings, index, embedder)
        if check_stale:
            msg = engine.stale_message()
            if msg:
                warnings.warn(msg, stacklevel=2)
        if warm:
            engine.retriever.warm_up()
        return engine

    @classmethod
    def load_or_build(cls, settings: Settings | None = None, progress: bool = True, embedder=None,
                      calibration=None, donor: Path | None = None) -> Engine:
        """Load the index, building it first when it is missing, stale or from another model
        (reusing the vectors of the index in *donor*, if given, for texts they share)."""
        settings = settings or Settings.from_env()
        embedder = embedder or make_embedder(settings.model, settings.cache_dir)
        reason, index, drift = "", None, None
        if not has_index(settings):
            reason = f"first run: no index in {settings.index_dir}/ yet"
        else:
            try:
                index = open_store(settings, expected_model=embedder.model_id)
                if (built := index.manifest.get("sentence_vectors", "separate")) != _wanted_sentence_vectors(
                        settings, embedder):
                    reason = f"its sentence vectors are {built!r}, the setting is {settings.sentence_vectors!r}"
                elif (v := index.manifest.get("chunking", {}).get("version", 1)) != CHUNKER_VERSION:
                    reason = f"it was chunked by chunker version {v}, this version chunks with {CHUNKER_VERSION}"
                elif index.is_stale(corpus := load_corpus(settings.corpus_dir)):
                    # documents changed on disk behind the store's back: write just those (one
                    # delta; a large one is merged in the background); changed corpus settings
                    # can change how every document reads: rebuild
                    drift = document_drift(index.manifest["corpus"], corpus)
                    if drift is None:
                        reason = f"the corpus settings in {settings.corpus_dir}/ changed"
            except StoreError as exc:
                reason = exc.reason
        notice = ""
        if reason:
            from .locking import IndexNotWritable

            log(f"Building the index ({reason})…")
            try:
                report = build_index(settings, progress=progress, embedder=embedder, donor=donor)
                log(f"Indexed {report.documents} documents, {report.chunks} chunks in {report.seconds:.1f} s")
                index = open_store(settings, expected_model=embedder.model_id)
            except IndexNotWritable as exc:
                if index is None:
                    raise
                # serve what there is, and say so (the UI shows the notice on every page)
                notice = f"{reason}, but the index cannot be rebuilt: {exc.reason}; serving the previous index"
                log(f"Warning: {notice}")
        engine = cls(settings, index, embedder, calibration)
        engine.notice = notice or (engine._sync(*drift) if drift else "")
        engine.retriever.warm_up()
        return engine

    def _sync(self, changed: list[str], removed: list[str]) -> str:
        """Bring the store up to date with documents changed, added or removed on disk since
        it was written, one document at a time through its writes; a notice if it cannot."""
        from .documents import Uploads
        from .locking import IndexNotWritable

        log(f"Updating the index in place: {len(changed)} changed or new, {len(removed)} removed document(s)…")
        try:
            Uploads(self).sync(changed, removed)
        except IndexNotWritable as exc:
            notice = (f"the documents in {self.settings.corpus_dir}/ changed, but the index cannot be updated: "
                      f"{exc.reason}; serving the previous index")
            log(f"Warning: {notice}")
            return notice
        return ""

    def corpus_contains(self, phrase: str) -> bool:
        """Does any indexed chunk mention *phrase*, or one of its aliases from the corpus's
        ``untact-qa.json``? Compared on :func:`~untact_qa.surface.surface_key` forms, so
        spacing, thousands separators and two-digit years do not matter."""
        from .surface import surface_key

        names = [phrase, *self.aliases.get(phrase, ())]
        return any(self.index.mentions(surface_key(n)) for n in names if surface_key(n))

    @property
    def aliases(self) -> dict[str, list[str]]:
        """Other names the documents use for a thing (``aliases`` in the corpus's untact-qa.json)."""
        if self._aliases is None:
            from .corpus import load_settings

            try:
                self._aliases = load_settings(self.settings.corpus_dir).aliases
            except Exception:  # noqa: BLE001 - a broken settings file is reported by the build
                self._aliases = {}
        return self._aliases

    def stale_message(self) -> str:
        """A warning when the corpus folder no longer matches the index, else ``""``."""
        try:
            corpus = load_corpus(self.settings.corpus_dir)
        except Exception:  # noqa: BLE001 - a missing corpus folder is not a search error
            return ""
        if self.index.is_stale(corpus):
            return (f"the corpus in {self.settings.corpus_dir}/ changed since the index was built; "
                    f"run `untact-qa build` to include the changes")
        return ""

    def refresh(self) -> None:
        """Forget what was derived from the documents, after a write changed the store in place
        (the store object stays: its searches already see the new version)."""
        with self._lock:
            self._reader = None
            self._leads = {}
            self._articles = None

    def reload(self) -> None:
        """Swap in the index currently on disk (after a rebuild) without reloading the model."""
        index = open_store(self.settings, expected_model=self.embedder.model_id)
        with self._lock:
            self.index = index
            self.retriever = Retriever(index, self.embedder, self.settings.retrieval, self.retriever.calibration)
            self._reader = None
            self._aliases = None
            self._leads = {}
            self._articles = None

    def search(self, question: str, mode: str | None = None, top_k: int | None = None) -> RetrievalResult:
        """Validate *question* and return ranked passages."""
        q = clean_query(question, self.settings)
        return self.retriever.retrieve(q.text, mode=mode, top_k=top_k)

    def lead_text(self, doc_id: str) -> str:
        """The first chunk's text of *doc_id*, where a document names what it is about (a
        bill: "국군부대 ( 청해부대 )") — cached; both stores fetch it by id."""
        cache = self._leads
        if doc_id not in cache:
            try:
                batch = self.index.fetch([f"{doc_id}#0000"])
                cache[doc_id] = batch.chunks[0].text if len(batch) else ""
            except (KeyError, IndexError):
                cache[doc_id] = ""
            if len(cache) > 4096:
                cache.pop(next(iter(cache)))
        return cache[doc_id]

    def ask(self, question: str, mode: str | None = None, top_k: int | None = None, history=None,
            collect: dict | None = None, docs: list[str] | None = None, exclude=frozenset(),
            literal: bool = False):
        """Answer *question* with cited sentences, or abstain (see :mod:`untact_qa.answer`).

        The steps: validate; read the message in its conversation (:mod:`untact_qa.dialog`:
        a new question, an elliptical or referring follow-up completed from *history*, "왜?",
        "더 자세히", a summary or a comparison); retrieve; analyse the question; answer it —
        the reason or the expansion of the previous answer (:mod:`untact_qa.explain`), a
        summary or comparison (:mod:`untact_qa.summary`), or the reader's answer. *history*:
        the earlier turns, oldest first — (searched, answer) pairs, the chat page's turn dicts
        or :class:`~untact_qa.schema.Answer`\ s. A follow-up keeps the previous turn's
        documents unless *docs* names others. *literal*: search the message as typed (the
        page's "원래 질문 그대로 검색"). *collect* receives the reader's span and abstention
        features (``untact-qa calibrate``). *docs*: search only these documents (by id);
        None searches all. *exclude*: chunk ids not to answer from."""
        from .articles import asks_article
        from .dialog import Interpretation, as_priors, as_typed, asks_only_source, asks_source, interpret

        t_start = time.perf_counter()
        q = clean_query(question, self.settings)
        if docs:
            from .scope import resolve_scope

            # one spelling, and only documents the index holds now: a scope naming a deleted
            # document is refused (ScopeError), never widened to every document
            docs = resolve_scope(docs, self.index.doc_counts())
        priors = as_priors(history)
        if literal or collect is not None:
            interp = Interpretation("new", q.text)
        else:
            interp = interpret(q.text, priors, self.embedder, self._probe(docs), self._broad_kind(q.text))
        top_k = top_k or self.settings.retrieval.top_k
        if interp.intent == "reference" and interp.prior is not None and asks_source(q.text):
            sourced = self._explainer(docs).source(q.text, interp.prior, bare=asks_only_source(q.text))
            if sourced is not None:
                sourced.timings_ms["total"] = (time.perf_counter() - t_start) * 1000
                return replace(sourced, searched_query=interp.searched)
        if priors and not literal and collect is None and interp.intent in ("ellipsis", "reference", "new"):
            of_bill = self._of_the_bill(q.text, interp, priors, docs)
            if of_bill is not None:
                of_bill.timings_ms["total"] = (time.perf_counter() - t_start) * 1000
                return of_bill
        if not literal and collect is None:
            by_number = self._article_by_number(q.text, interp, priors, docs)
            if by_number is not None:
                by_number.timings_ms["total"] = (time.perf_counter() - t_start) * 1000
                return by_number
        if interp.intent in ("why", "more"):
            answer = self._explain(q.text, interp, priors, self._scope_of(interp, docs))
            answer.timings_ms["total"] = (time.perf_counter() - t_start) * 1000
            return answer
        answer = self._answer(q.text, interp, mode, top_k, priors, collect, self._scope_of(interp, docs), exclude)
        if answer.abstained and not literal and collect is None and priors:
            # a noun phrase completed with the topic that was a question of its own: asked as
            # typed when the completed reading finds nothing and the typed one an answer
            other = as_typed(q.text, interp, priors)
            if other is not None:
                second = self._answer(q.text, other, mode, top_k, priors, None, self._scope_of(other, docs), exclude)
                if not second.abstained:
                    answer = second
        if interp.prior is not None:
            answer = self._past_what_was_said(q.text, answer, interp, docs)
        if interp.intent == "new" and priors and not literal and collect is None and _ALSO.search(q.text) and \
                any(p.cited and _repeats(answer, p) for p in priors[-3:]):
            # "감사원은 또 무슨 일을 해?" answered by the sentence an answer before quoted (its
            # composition): "또" asks past what was said — the passages the conversation did not quote
            quoted = frozenset(c[0] for p in priors for c in p.cited)
            other = self.ask(q.text, docs=docs, exclude=quoted, literal=True)
            answer = answer if other.abstained else replace(other, intent=answer.intent)
        if interp.intent in ("ellipsis", "reference") and interp.prior is not None and not literal and collect is None:
            answer = self._in_the_document_talked_about(q.text, answer, interp, mode, top_k, docs, exclude)
        if not literal and collect is None and priors and interp.intent == "new" and interp.searched == q.text:
            answer = self._within_the_conversation(q.text, answer, priors, mode, top_k, docs, exclude)
        if not literal and collect is None and asks_article(interp.searched):
            answer = self._with_article(interp.searched, answer, mode, top_k, self._scope_of(interp, docs), exclude)
        answer.timings_ms["total"] = (time.perf_counter() - t_start) * 1000
        return answer

    def _in_the_document_talked_about(self, text: str, answer, interp, mode, top_k: int, docs, exclude):
        """A completed follow-up answered from a document the previous answer did not quote
        ("언제부터 시행돼?" after a turn on a bill's 경과조치, completed with 자본금 and answered
        by the Constitution's 시행일): asked again within the document(s) that answer quoted,
        whose answer it is when there is one; else *answer*. Not when the message names
        something of its own (a statute, a name, a country): that may be in another document."""
        from .dialog import _names
        from .question import _STATUTE, places_in

        talked = sorted({c[0].rpartition("#")[0] for c in interp.prior.cited})
        if not talked or {c.doc_id for c in answer.citations} & set(talked) or (
                answer.abstained and answer.missing_terms):
            return answer
        if _STATUTE.search(text) or "헌법" in text or _names(text) or places_in("country", text):
            return answer  # (헌법, one syllable before 법, is no _STATUTE: 방법 and 불법 are not)
        scope = [d for d in talked if docs is None or d in docs]
        second = self._answer(text, interp, mode, top_k, (), None, scope, exclude) if scope else answer
        return answer if second.abstained else second

    def _past_what_was_said(self, question: str, answer, interp, docs):
        """"추가로는?", and "그 다음엔 뭐 했어?" read as after the event just asked about
        ("…결성 이후엔 뭐 했어?"): when the answer only repeats what the previous one quoted (or,
        after the event, opens with it), what the passage says next (:meth:`_the_rest`); else
        *answer*."""
        if interp.intent == "ellipsis" and _ADDITIONAL.match(question):
            past = _repeats(answer, interp.prior)
        elif interp.intent == "reference" and _JUST_AFTER_IT.match(question) and "이후" in interp.searched and answer.citations:
            past = _repeats(replace(answer, citations=answer.citations[:1]), interp.prior)
        else:
            past = False
        return replace(self._the_rest(question, answer, interp, docs), intent=interp.intent) if past else answer

    def _the_rest(self, question: str, answer, interp, docs):
        """"추가로는?" answered by the sentence the previous answer quoted: what its passage
        says next is the addition ("이어 얼마 전에는 7만5000명의 직원을 더 채용하겠다는 계획을
        발표" after "…직원 10만 명을 새로 뽑았다"), else *answer*."""
        more = self._explainer(self._scope_of(interp, docs)).more(question, interp.prior)
        if more.abstained or "[1]" not in more.text:
            return answer
        # (the next statement is the addition; the ones after it are more than was asked)
        first = more.text[: more.text.index("[1]") + 3]
        return replace(more, text=first, citations=more.citations[:1], intent="ellipsis",
                       searched_query=interp.searched)

    def _article_by_number(self, text: str, interp, priors, docs):
        """"헌법 제1조가 뭐야?", and after an answer from a statute "그 다음 항은?", "3항은?",
        "다음 조는?": the article (or paragraph) quoted from under its heading
        (:mod:`untact_qa.articles`); None when the message asks no article by number or the
        documents have no statute it can be of."""
        from .articles import (article_index, article_ref_of, article_text_answer, asks_article_text,
                               moved_article, moves_in_a_statute, named_article, statute_for)
        from .dialog import _last_answered

        ref, intent, talked = asks_article_text(interp.searched) or asks_article_text(text), "new", []
        moving = moves_in_a_statute(text)
        prior = _last_answered(priors) if priors else None
        if ref is None and prior is not None and not prior.abstained:
            # "그 조항 내용 좀 알려줘" after "…헌법 제60조 제2항의 규정에 따라 동의한다": that one
            ref = named_article(text, prior.answer, prior.question)
            intent = "reference" if ref is not None else intent
        if ref is None and not moving:
            return None  # (most messages: nothing fetched)
        if prior is not None and prior.cited and moving:
            first = self.index.fetch([prior.cited[0][0]])
            if len(first):
                ch = first.chunks[0]
                at = article_ref_of(ch.heading_path, ch.text[prior.cited[0][1]:prior.cited[0][2]])
                moved = moved_article(text, at) if at is not None else None
                if moved is not None:
                    ref, intent = moved, "ellipsis"
        if prior is not None:
            talked = list(dict.fromkeys(c[0].rpartition("#")[0] for c in prior.cited))
        if ref is None:
            return None
        if self._articles is None:
            self._articles = article_index(self.index.iter_records())
        index = {d: v for d, v in self._articles.items() if docs is None or d in docs}
        doc = statute_for(ref, index, talked)
        if doc is None:
            return None
        title = index[doc]["title"]
        ids = index[doc]["articles"].get(ref.label, [])
        chunks = self.index.fetch(ids).chunks if ids else []
        return article_text_answer(text, ref, title, chunks, ref.phrase(title), intent, index[doc]["articles"])

    def _with_article(self, text: str, answer, mode, top_k: int, docs, exclude):
        """"대통령 임기는 헌법 몇 조에 나와?": the answer to what the article is asked about
        ("대통령 임기"; the words "헌법 몇 조에 나와" lead retrieval to the 부칙) with its article
        named (:mod:`untact_qa.articles`), else *answer* with its own named; *answer* when it
        names an article itself, or no article is concerned."""
        from .articles import article_answer, states_article, subject_of
        from .dialog import Interpretation

        if not answer.abstained and states_article(answer.text):
            return answer  # "헌법 제60조제2항의 규정에 따라 …": the quote names it
        subject = subject_of(text)
        got = None
        if subject != text:
            second = self._answer(subject, Interpretation("new", subject), mode, top_k, (), None, docs, exclude)
            got = article_answer(second)
        got = got or article_answer(answer)
        return replace(got, question=answer.question, searched_query=answer.searched_query) if got else answer

    def _of_the_bill(self, text: str, interp, priors, docs):
        """"지금은?" after a turn on what a bill changes (the words it replaces), or "기존 업체는요?"
        (its transitional provision, also when the message was read as its own): the answer
        from the bill's own text, or None."""
        from .dialog import _last_answered

        prior = interp.prior or _last_answered(priors)
        if prior is None:
            return None
        explainer = self._explainer(self._scope_of(interp, docs) if interp.prior else docs)
        then = explainer.in_transition(text, prior)
        # ("지금은 며칠인데?" read as its own question opens with the now it asks about)
        opens_now = bool(re.match(r"\s*(지금|현행|현재)(은|는|엔|에는|으로는)?\s", text))
        now = then or (explainer.before_the_change(text, prior) if interp.prior is not None or opens_now else None)
        if now is None:
            return None
        return replace(now, searched_query=f"{prior.asked} — {'경과조치' if then else '현행'}")

    def _within_the_conversation(self, text: str, answer, priors, mode, top_k: int, docs, exclude):
        """A question read as its own that nothing answers ("아카데미상은 몇 개 받았어?" after
        a question on 라라랜드), or that is answered from a document the conversation never
        quoted while its one topic word is in the document it did ("본사는 어디야?" after
        캐나다 태평양 철도, answered from another company's page): asked of the conversation's
        topic, the answer from that document when it has one; else *answer*. (A bare noun
        phrase is never: "통신비는?" that nothing answers is not "베트남의 현금 통신비는?".)"""
        from .dialog import leans_on_document

        prior = next((p for p in reversed(priors) if not p.abstained and p.cited), None)
        if prior is None or (answer.abstained and answer.missing_terms):
            # (what it asks about is in no document — "통신비는 얼마 지원돼?": asked of the
            # conversation's topic it would only find the topic's sentences, "베트남 통신비는 …")
            return answer
        talked = {c[0].rpartition("#")[0] for c in prior.cited}
        probe = self._probe(docs)
        if talked & {c.doc_id for c in answer.citations}:
            return self._within_the_passage(text, answer, prior, priors, mode, top_k, docs, exclude, probe)
        if not answer.abstained and _GOES_ON.match(text) and not self._names_a_document(text, talked):
            # "그럼 한국 개봉은 언제였어?" after "라라랜드 미국 개봉일은 언제야?" was answered from
            # 김태희's page (a film of hers opened in 한국): "그럼" carries the conversation on, in
            # the document it was about — answered there, or not at all
            there = self.ask(text, docs=sorted(talked), literal=True)
            return replace(there, intent=answer.intent)
        if not answer.abstained and not leans_on_document(text, prior, probe, sorted(talked)):
            return answer
        return self._asked_of_topic(text, answer, priors, probe, (mode, top_k, docs, exclude),
                                    lambda a: bool(talked & {c.doc_id for c in a.citations}))

    def _names_a_document(self, text: str, talked: set[str]) -> bool:
        """Does *text* name a document other than *talked* — by its title (a page "정도전.md" by
        정도전) — or what another may be about: a statute, an office or a body of the state
        ("그럼 국회 임시회는 누가 요구해?" after a bill is the Constitution's)?"""
        from .dialog import _OWN_TOPIC_KO
        from .question import _STATUTE, roles_in
        from .summary import _doc_label

        flat = re.sub(r"\s+", "", text)
        others = (re.sub(r"\s+", "", _doc_label(d)) for d in self.index.doc_counts() if d not in talked)
        return bool(_STATUTE.search(text) or roles_in(text) or _OWN_TOPIC_KO.search(text)) or \
            any(len(t) >= 2 and t in flat for t in others)

    def _within_the_passage(self, text: str, answer, prior, priors, mode, top_k: int, docs, exclude, probe):
        """A short question of one topic word that the passage just quoted uses, answered from
        another part of the same document: "국민투표는 언제까지 해야 돼?" after an answer quoting
        "…헌법개정안은 국회가 의결한 후 30일 이내에 국민투표에 붙여…" was answered from the
        Constitution's preamble. Asked of the conversation's topic, the answer that quotes that
        passage again; else *answer* (one answered from the quoted passage already stays)."""
        from .dialog import lone_topic_word

        quoted = set(prior.quoted_chunks)
        if answer.abstained or quoted & {c.chunk_id for c in answer.citations}:
            return answer
        word = lone_topic_word(text)
        # (the word as a word of the passage: "감사원" is not said by its "감사원장·감사위원")
        if not word or not any(ends_a_word(p, word) for p in probe.passages(prior.quoted_chunks)):
            return answer
        return self._asked_of_topic(text, answer, priors, probe, (mode, top_k, docs, exclude),
                                    lambda a: bool(quoted & {c.chunk_id for c in a.citations}))

    def _asked_of_topic(self, text: str, answer, priors, probe, how: tuple, stays):
        """*text* asked of the conversation's topic (:func:`untact_qa.dialog.asked_of_topic`):
        that answer when it answers and *stays(it)* — it quotes where the conversation was —
        else *answer*. *how*: (mode, top_k, docs, exclude) of the turn."""
        from .dialog import asked_of_topic

        mode, top_k, docs, exclude = how
        other = asked_of_topic(text, priors, probe)
        if other is None:
            return answer
        second = self._answer(text, other, mode, top_k, priors, None, self._scope_of(other, docs), exclude)
        return answer if second.abstained or not stays(second) else second

    def _scope_of(self, interp, docs):
        """The documents a reading searches: a follow-up keeps the conversation's unless the
        user named others."""
        from .dialog import FOLLOWING
        from .scope import resolve_scope

        if interp.prior is not None and interp.intent in FOLLOWING and not docs and interp.prior.docs and \
                not _names_another_statute(interp.searched, interp.prior):
            return resolve_scope(list(interp.prior.docs), self.index.doc_counts())
        return docs

    def _answer(self, text: str, interp, mode, top_k: int, priors, collect, docs, exclude):
        """The answer to one reading (*interp*) of the message *text*: retrieve, analyse,
        then a summary or comparison, or the reader's answer."""
        from .question import in_tenure_words, without_self_introduction

        searched = interp.searched
        reader = self.reader
        # who asks is no word of the documents ("회사 다니는 워킹맘인데요, …"): read without it
        # (the question shown as searched is still the one the user's words make)
        # (how long one holds an office is read as its 임기, the documents' word)
        asked = in_tenure_words(without_self_introduction(searched))
        result = self.retriever.retrieve(asked, mode=mode, top_k=max(top_k, reader.passages), docs=docs,
                                         exclude=exclude)
        read_as = spelled_out(in_the_documents_words(in_a_bills_words(asked, result.hits[:5]), result.hits[:1]),
                              result.hits[:3], self.corpus_contains)
        if read_as != asked:
            # "일본의 원격근무 현황은?" where the passage found says 재택근무: read in its words
            result = self.retriever.retrieve(read_as, mode=mode, top_k=max(top_k, reader.passages), docs=docs,
                                             exclude=exclude)
        analysis = reader.analyze(read_as, result.query_terms, result.query_tokens)
        if analysis.frame.broad and collect is None:
            answer = self._broad(text, searched, result, analysis, priors, top_k, docs)
        else:
            answer = None
        if answer is None:
            answer = reader.read(text, read_as, result, analysis, top_k, collect)
            if read_as != searched:
                answer = replace(answer, searched_query=searched)
            if interp.intent == "ellipsis" and answer.kind == "answer":
                from .dialog import as_fragment

                before = interp.prior.asked if interp.prior is not None else ""
                answer = _of_the_new_subject(as_fragment(text, before), searched, answer, interp.prior, read_as,
                                             self._probe(docs).in_documents)
            answer = _of_the_other_bound(read_as, answer)
        if answer.intent != interp.intent and interp.intent not in ("summary", "comparison"):
            answer = replace(answer, intent=interp.intent)
        elif answer.kind in ("summary", "comparison"):
            answer = replace(answer, intent=answer.kind)
        return answer

    def _broad_kind(self, text: str) -> str | None:
        """"summary" or "comparison" when *text* is a broad request (by its wording alone)."""
        from .question import frame_question

        kind = frame_question(text).expected.kind
        return {"summary": "summary", "compare": "comparison"}.get(kind)

    def _probe(self, docs):
        """What the documents say about a bare noun's two readings (see :class:`~untact_qa.dialog.Probe`)."""
        from .dialog import Probe
        from .surface import surface_key
        from .tokenization import morphemes

        stats = self.index.stats

        def together(a: str, b: str) -> bool:
            ids = [i for i, _ in self.index.lexical_search(morphemes(f"{a} {b}"), 10, docs)]
            if not ids:
                return False
            ka, kb = surface_key(a), surface_key(b)
            return any(ka in (t := surface_key(c.embedding_text())) and kb in t for c in self.index.fetch(ids).chunks)

        def common(term: str) -> bool:
            forms = [f for f in morphemes(term) if len(f) >= 2] or [term]
            return min(stats.chunk_df.get(f, 0) for f in forms) / max(1, stats.n_chunks) > COMMON_SHARE

        def count(phrase: str, cap: int = 5) -> int:
            key = surface_key(phrase)
            ids = [i for i, _ in self.index.lexical_search(morphemes(phrase), 20, docs)]
            if not key or not ids:
                return 0
            n = sum(1 for c in self.index.fetch(ids).chunks if key in surface_key(c.text))
            return min(n, cap)

        def share(term: str) -> float:
            forms = [f for f in morphemes(term) if len(f) >= 2] or [term]
            return min(stats.chunk_df.get(f, 0) for f in forms) / max(1, stats.n_chunks)

        def passages(ids: list[str]) -> list[str]:
            out = []
            for i in ids[:8]:
                try:  # a history comes from the client: its ids may name nothing (or a deleted document)
                    out.extend(c.embedding_text() for c in self.index.fetch([i]).chunks)
                except (KeyError, ValueError):
                    continue
            return out

        def titled(noun: str) -> bool:
            from .followup import written_as_title

            ids = [i for i, _ in self.index.lexical_search(morphemes(noun), 10, docs)]
            return bool(ids) and any(written_as_title(noun, c.text) for c in self.index.fetch(ids).chunks)

        def in_documents(word: str, doc_ids: list[str]) -> bool:
            ids = [i for i, _ in self.index.lexical_search(morphemes(word), 5, list(doc_ids))]
            return bool(ids) and any(word in c.text for c in self.index.fetch(ids).chunks)

        def verbal(noun: str) -> bool:
            ids = [i for i, _ in self.index.lexical_search(morphemes(noun), 20, docs)]
            said = re.compile(re.escape(noun) + r"(하|되|돼|됐|했|해|시키|받)")
            return bool(ids) and any(said.search(c.text) for c in self.index.fetch(ids).chunks)

        def leading_document(text: str) -> str:
            ids = [i for i, _ in self.index.lexical_search(morphemes(text), 1, docs)]
            return ids[0].rpartition("#")[0] if ids else ""

        return Probe(together, self.corpus_contains, common, count, share, passages, titled, in_documents, verbal,
                     leading_document)

    def _explainer(self, docs):
        """The :class:`~untact_qa.explain.Explainer` over this index, searching *docs* when the
        previous turn names no documents of its own."""
        from .explain import Explainer

        return Explainer(self.index, lambda text, d: self.retriever.retrieve(
            text, top_k=10, docs=list(d) if d else docs).hits)

    def _explain(self, question: str, interp, priors, docs):
        """"왜?" / "더 자세히": the reason for, or the expansion of, the previous answer."""
        from .explain import _no_prior

        if interp.prior is None:
            return _no_prior(question, interp.intent)
        explainer = self._explainer(docs)
        t = time.perf_counter()
        if interp.intent == "why":
            answer = explainer.why(question, interp.prior)
            own = self._why_of_its_own(question, answer, interp, docs)
            if own is not None:
                return own
            label = "이유"
        else:
            # (after "왜?", more of the reason: not what the answers before it quoted, which the
            # reason's passage may go on to — the bill's 주요내용 after its 제안이유)
            earlier = {s.key for p in priors if p is not interp.prior and p.cited for s in explainer.claim(p)} \
                if interp.prior.intent == "why" else set()
            answer = explainer.more(question, interp.prior, quoted=earlier)
            if answer.abstained and earlier:
                answer = explainer.more(question, interp.prior)  # what they said is all there is
            label = "더 자세히"
        base = interp.prior.asked  # "더 자세히" twice: one label
        if interp.intent == "more" and answer.abstained and interp.prior.cited and \
                interp.prior.intent not in ("summary", "comparison", "why"):
            # nothing more in the quoted part ("다른 건?" after two sentences that were all the
            # section had): what other passages say to the same question, said to be that —
            # never a passage the conversation already quoted (after a why, the question asked
            # again would only repeat the answer before it)
            quoted = frozenset(c[0] for p in priors for c in p.cited)
            other = self.ask(base, docs=docs, exclude=quoted, literal=True)
            if not other.abstained:
                answer = replace(other, question=question, text=f"{MORE_ELSEWHERE} {other.text}", intent="more")
        searched = f"{base} — {label}"
        return replace(answer, searched_query=searched, timings_ms={"answer": (time.perf_counter() - t) * 1000})

    def _why_of_its_own(self, question: str, answer, interp, docs):
        """"왜 벼슬을 버렸어?" after an answer on when 정도전 took office: the why of a predicate
        (버리) neither the previous answer nor the reason found states is a question of its own,
        asked in the conversation's documents — its reader finds the sentence that states it
        ("1365년 공민왕이 신돈을 기용하자 그는 벼슬을 버리고 …"); None to keep *answer*. Never for
        a question pointing back ("왜 그렇게 늘었어?")."""
        from .explain import _asked_predicates, _same_change
        from .surface import surface_key

        # (the stems a text states are found as a question's are: Kiwi's, "느렸다" → 느리)
        stems = _same_change(_asked_predicates(question))
        if not stems or _POINTS_BACK.search(question) or _asked_predicates(interp.prior.answer) & stems:
            return None
        if not answer.abstained and _asked_predicates(" ".join(c.evidence or "" for c in answer.citations)) & stems:
            return None
        said = surface_key(interp.prior.answer)
        if not answer.abstained and any(c.evidence and surface_key(c.evidence) in said for c in answer.citations):
            # a reason the quoted sentence itself states ("보안 문제가 제기되자 … 사용금지를 지시"
            # for "왜 막았는데?") is the one asked for, in other words than the question's
            return None
        # (in the documents the conversation is in: the reason is the same story's)
        scope = docs or list(interp.prior.docs or ()) or sorted(interp.prior.quoted_docs) or None
        other = self.ask(question, docs=scope, literal=True)
        if other.abstained or not _asked_predicates(" ".join(c.evidence or "" for c in other.citations)) & stems:
            return None
        return replace(other, question=question, intent="why")

    def _broad(self, question: str, searched: str, result: RetrievalResult, analysis, history, top_k: int,
               docs: list[str] | None = None):
        """A summary or comparison :class:`~untact_qa.schema.Answer`, or None when nothing
        in the documents is in the request's scope.

        A summary's scope is what the request names (a part, a country, a topic); a request
        that names nothing summarises the whole document the conversation is about ("요약해줘",
        "보고서 전체 요약"), unless it points at the conversation's topic ("이 주제 요약해줘",
        "그 내용 정리해줘"): then the previous question's. The answer says which."""
        from .schema import Answer
        from .summary import broad_answer

        from .dialog import as_just_said

        t = time.perf_counter()
        question = as_just_said(question) if history else question  # ("지금 얘기한 법안 요약해줘")
        topic_of_talk = bool(history) and bool(_ABOUT_THIS.search(question))

        talked = self._talk_topic(history) if topic_of_talk else None
        if talked:
            searched = f"{talked} 요약"  # shown as the interpretation: what "이 주제" is

        def previous():
            prev = f"{talked} 요약해줘" if talked else \
                clean_query(history[-1].searched.split(" — ")[0] or history[-1].question, self.settings).text
            got = self.retriever.retrieve(prev, top_k=10, docs=docs)
            return self.reader.analyze(prev, got.query_terms, got.query_tokens).frame, got.hits, got.query_vector

        frame = analysis.frame
        hits = result.hits
        about: list[str] = []
        if history and not topic_of_talk and not _NAMES_SOMETHING(frame):
            # the whole document the conversation is about: the one its last answer quoted
            # (named to the summarizer too: "이 법안 요약해줘" may retrieve no passage of it)
            about = list(dict.fromkeys(c[0].rpartition("#")[0] for p in reversed(history) for c in p.cited if c[0]))
            if about:
                hits = [h for h in hits if h.chunk.doc_id == about[0]] or hits
        got = broad_answer(frame, hits, result.query_vector, self.index,
                           lambda text: self.retriever.retrieve(text, top_k=10, docs=docs).hits,
                           self.embedder.encode_query,
                           previous if topic_of_talk else None,
                           whole=bool(_WHOLE.search(question) and not topic_of_talk) or (bool(history) and not topic_of_talk
                                                                   and not _NAMES_SOMETHING(frame)),
                           history_docs=about[:1])
        if got is None:
            return None
        text, citations, kind, structure = got
        if about and kind == "summary" and structure and structure.get("label"):
            searched = f"{structure['label']} 요약"  # shown as the interpretation: which document
        timings = {**result.timings_ms, "answer": (time.perf_counter() - t) * 1000}
        return Answer(question=question, text=text, citations=tuple(citations), abstained=False,
                      searched_query=searched, hits=tuple(result.hits[:top_k]), timings_ms=timings,
                      confidence=1.0, kind=kind, expected_type=frame.expected.kind, intent=kind,
                      table=structure if kind == "comparison" else None,
                      outline=structure if kind == "summary" else None)

    def _talk_topic(self, history) -> str | None:
        """What a conversation has been about: the noun most of its recent questions name (줌
        in "줌 하루 이용자는 …", "줌을 만든 회사는 …", "대만에서는 왜 줌을 …"), in two of
        them at least and more than any other; None when no noun is."""
        from .dialog import _GENERIC
        from .summary import SHORT_NAME_SHARE
        from .tokenization import question_tokens

        turns = [p.asked for p in history[-TALK_TURNS:] if p.asked]
        df, n = self.index.stats.chunk_df, max(1, self.index.stats.n_chunks)
        seen: dict[str, list[int]] = {}
        for k, text in enumerate(turns):
            for t in question_tokens(text):
                short_name = len(t.form) == 1 and 0 < df.get(t.form, 0) <= SHORT_NAME_SHARE * n  # 줌
                if t.tag in ("NNG", "NNP", "SL", "SH") and (len(t.form) >= 2 or short_name) and t.form not in _GENERIC:
                    seen.setdefault(t.form, [])
                    if k not in seen[t.form]:
                        seen[t.form].append(k)
        ranked = sorted(seen.items(), key=lambda kv: (len(kv[1]), max(kv[1])), reverse=True)
        if not ranked or len(ranked[0][1]) < 2 or (len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1])):
            return None
        return ranked[0][0]


TALK_TURNS = 6  # the recent questions a conversation's topic is read from


def in_a_bills_words(searched: str, hits) -> str:
    """*searched* asking why of a bill ("지방공무원법 개정안은 왜 발의됐어?"), where the best
    passages found (*hits*) hold a bill's 제안이유: asked of that part by name, as a bill states
    why in it (its title line, a cost estimate or an item of 주요내용 were quoted). Unchanged
    otherwise."""
    from .question import expected_type

    if not hits or re.search(r"제안\s*이유", searched) or not re.search(r"개정안|법률안|법안|발의", searched):
        return searched
    if expected_type(searched).kind != "reason" or not any(re.search(r"제안\s*이유", h.chunk.embedding_text()) for h in hits):
        return searched
    return f"{searched} 제안이유"


def in_the_documents_words(searched: str, hits) -> str:
    """*searched* with each word of a synonyms.txt group that the best passage (*hits*) does
    not use replaced by the one of its group it does ("일본의 원격근무 현황은?" → "일본의
    재택근무 현황은?" under "□ 일본의 재택근무 현황"): the words mean the same thing, and the
    reader weighs the question's own words. Unchanged when the passage uses the word, or no
    other of its group."""
    from .question import lexicon
    from .surface import surface_key

    if not hits:
        return searched
    said = surface_key(f"{hits[0].chunk.heading} {hits[0].chunk.text}")
    out = searched
    for group in dict.fromkeys(lexicon().synonyms.values()):
        for name in group:
            if " " in name or not re.search(r"(?<![가-힣A-Za-z])" + re.escape(name), out) or surface_key(name) in said:
                continue
            theirs = next((m for m in group if m != name and surface_key(m) in said), None)
            if theirs is not None:
                out = re.sub(r"(?<![가-힣A-Za-z])" + re.escape(name), theirs, out, count=1)
    return out


# the particles a word of a question may end in ("중앙선관위는", "헌재에서", "…위원들은")
_PARTICLE_END = re.compile(r"(?:들)?(?:은|는|이|가|을|를|의|에|에서|에게|도|와|과|로|으로|부터|까지|만|랑|이랑)?$")


def spelled_out(searched: str, hits, known) -> str:
    """*searched* with each Hangul word no document uses (*known*: does the corpus name it)
    that abbreviates a word of the passages found (*hits*) replaced by that word: "중앙선관위"
    is 중앙선거관리위원회, "헌재" 헌법재판소 — Korean abbreviates a compound by the first
    syllables of its parts, in order. A word abbreviating several different words, or none,
    stays as typed."""
    from .tokenization import question_tokens

    if not hits:
        return searched
    said = " ".join(f"{h.chunk.heading} {h.chunk.text}" for h in hits)
    pieces, at = [], 0
    for m in re.finditer(r"(?<![가-힣])[가-힣]{2,}", searched):
        word = _PARTICLE_END.sub("", m.group(0))
        if len(word) < 2 or word in said:
            continue
        # each syllable opens a part, the parts in order, in one written word ("선거관리위원회");
        # a word that merely goes on ("안풍자금" of 안풍) is no spelling out of it. (The cheap
        # tests first: every question passes here, and asking the corpus scans all of it.)
        shape = re.compile(r"(?<![가-힣])" + word[0] + "".join(r"[가-힣]{0,3}?" + c for c in word[1:]) + r"[가-힣]{0,3}")
        full = {f for x in shape.finditer(said) if len(f := _PARTICLE_END.sub("", x.group(0))) >= len(word) + 2
                and not f.startswith(word)}
        # (a noun only: "지어", "알게" are verbs no passage writes as typed either)
        if not full or not all(t.tag in ("NNG", "NNP") for t in question_tokens(word)):
            continue
        full = {f for f in full if _abbreviates(word, [t.form for t in question_tokens(f)])}
        if len(full) != 1 or known(word) or not known(next(iter(full))):
            continue
        pieces += [searched[at:m.start()], full.pop()]
        at = m.start() + len(word)
    return "".join(pieces) + searched[at:]


def _abbreviates(word: str, parts: list[str], k: int = 0, used: int = 0) -> bool:
    """Is *word* the opening syllables of *parts* in order, from the first, of two parts or more
    (a part after the first may be left out): "중앙선관위" of 중앙·선거·관리·위원회, "공정위" of
    공정·거래·위원회, "헌재" of 헌법·재판소 — not "연간" of 연휴·기간."""
    if not word:
        return used >= 2
    if k >= len(parts):
        return False
    opens = any(word[:n] == parts[k][:n] and _abbreviates(word[n:], parts, k + 1, used + 1)
                for n in range(1, min(len(word), len(parts[k])) + 1))
    return opens or (k > 0 and _abbreviates(word, parts, k + 1, used))


# an English time or setting, not a subject: "at the end of last year", "in 2019", "last month"
_WHEN_EN = re.compile(r"^(?:at|in|on|during|before|after|by|since|from|until|around)\b|"
                      r"^(?:last|this|next|early|late|the\s+end\s+of)\b|^\d{4}s?$|"
                      r"^(?:" + "|".join(MONTHS_EN) + r")\b", re.I)


# "추가로는?", "그 밖에는?": the same question, for what was not said yet
_ADDITIONAL = re.compile(r"^\s*(?:그럼\s*|그리고\s*)?(?:추가로|추가|그\s*밖에|그밖에|이외에|나머지)(?:는|도|요|는요)?\s*[?？.]*\s*$")


# a why-question pointing back at what was said ("왜 그렇게 늘었어?", "그게 왜 …?")
_POINTS_BACK = re.compile(r"(?<![가-힣])(?:그렇게|이렇게|그런|이런|그게|그건|그거|그걸|그것|이게|이건|이거|이걸|그래서)"
                          r"(?![가-힣])|(?<![가-힣])(?:그|이)\s+[가-힣]")


# "또 무슨 일을 해?", "그 밖에 …", "이외에 …": besides what was said
_ALSO = re.compile(r"(?<![가-힣])또(?![가-힣])|그\s*밖에|이외에|그\s*외에")


# "그 다음엔 뭐 했어?", "그 뒤에 무슨 일을 했어?": what happened after the previous question's
# event, and nothing else ("그 뒤에 민원업무를 온라인으로 돌린 도시가 어디야?" asks its own)
_JUST_AFTER_IT = re.compile(r"^\s*(?:그럼\s*)?그\s*(?:뒤|후|이후|다음)(?:에|에는|엔|로)?\s*(?:뭐|뭘|무엇을|무슨\s*일을?)\s*"
                            r"(?:했어|했어요|했나요|했는데|했지|했대|하고\s*있었어)\s*[?？]*\s*$")


def _repeats(answer, prior) -> bool:
    """Does *answer* quote only what *prior*'s answer already quoted?"""
    from .surface import surface_key

    said = surface_key(getattr(prior, "answer", "") or "")
    quotes = [c.evidence or c.passage for c in answer.citations or ()]
    return bool(quotes) and not answer.abstained and all(surface_key(q) in said for q in quotes)


# "그럼 …", "그러면 …": a message that carries the conversation on
_GOES_ON = re.compile(r"^\s*(?:그럼|그러면|그렇다면)\s*,?\s+\S")


def _names_another_statute(searched: str, prior) -> bool:
    """Does a completed follow-up name a statute the turn it leans on did not ("행정절차법
    개정안은 언제부터 시행돼?" after "하도급법 개정안은 …?"): another document, so not searched
    within the conversation's?"""
    from .question import _STATUTE

    named = {m.group(0) for m in _STATUTE.finditer(searched)}
    before = f"{prior.searched or ''} {prior.question or ''}"
    return any(n not in before for n in named)


def _of_the_new_subject(question: str, searched: str, answer, prior=None, read_as: str = "", in_documents=None):
    """An elliptical follow-up that put a new subject in the previous question ("금융권은?"
    after "제조업체들은 왜 자동화에 박차를 가하고 있어?") is answered only by a sentence that
    names it, or by one under a heading that does, or by one of another document than the
    previous answer's that names it where that one does not (*in_documents(word, doc_ids)*:
    "청해부대는?" after the UAE unit's budget, answered from the bill on the unit sent to
    Somalia, which calls it 청해부대 in its reasons, not beside its budget) — and that says
    what was asked of it (in the words it was *read_as*): the previous subject's sentence,
    from the same passage, is the closest text, not the answer."""
    from .followup import fragment_of
    from .surface import surface_key

    frag = fragment_of(question)
    swapped = frag is not None and not _put_in(frag.noun, searched) and _swapped_in(frag.noun, searched, prior)
    from .followup import replaced_by

    # ("새누리당 원내대표는?" → "김무성 새누리당 원내대표 …": in the place of 한나라당 원내대표)
    replaced = replaced_by(frag.noun, prior.searched or prior.question or "") if frag is not None and prior is not None else ""
    replaced = replaced if replaced and frag.noun in searched else ""
    if frag is None or frag.adverbial or _WHEN_EN.match(frag.noun) or not (_put_in(frag.noun, searched) or swapped or replaced):
        return answer  # a side of the same subject ("면적은?"), a time or a place ("at the end of last year")
    from .crosslingual import korean_terms
    from .question import _name_in, places_in

    korean = korean_terms(frag.noun) if frag.noun.isascii() else []
    # a statute asked by its short name ("결혼중개업법은?") is named in full by its bill's title,
    # "결혼중개업의 관리에 관한 법률 일부개정법률안": its nouns, as a name constraint reads them
    # (its bill too: "행정절차법 개정안은?" is named by "행정절차법 일부개정법률안")
    law = re.fullmatch(r"([가-힣]{2,}법)(?:\s*(?:개정안|일부개정법률안|법안))?", frag.noun)
    statute = law.group(1) if law else ""

    before = surface_key(f"{prior.searched or prior.question or ''}") if prior is not None else ""
    telling = _telling_words(frag.noun, before, answer)

    from .question import _key, lexicon

    syn = lexicon().synonyms  # (a word of it by another name: 중앙선관위, 중앙선거관리위원회)

    def names_it(c) -> bool:  # every word of it, or the country it is under another name (우리나라)
        said = f"{c.heading} {c.evidence}"
        key = surface_key(said)
        country = places_in("country", frag.noun)
        # (the country stands for itself only: "대만 경제부 장관" after "베트남 정보통신부 장관 …"
        # needs the 장관 asked about said too; a kind word of its own, "UAE 파견부대" after a
        # question on 청해부대, is the country's)
        rest = [w for w in telling if not places_in("country", w) and (w != frag.noun.split()[-1] or
                                                                       surface_key(w) in before)]
        return all(any(surface_key(x) in key for x in syn.get(_key(w), (w,))) for w in telling) or bool(
            country and country <= places_in("country", said) and all(surface_key(w) in key for w in rest)) \
            or any(surface_key(k) in key for k in korean) \
            or (statute and _name_in(key, statute)) \
            or _named_by_its_document(frag.noun, c, prior, in_documents)  # (마이크로소프트; 결혼중개업법's title)

    # …and says what was asked of it: "지방의회 의원은?" after a question on what 국회의원 answer
    # for their speech is not answered by 지방의회's organisation (it names 지방의회 and 의원)
    # (the sentence that answered the previous question, naming both: "…알서포트(131370)(-7.24%) …
    # YBM넷(057030)(2.59%)…" says it of each, in words the question need not use)
    answered = prior is not None and bool(answer.citations) and all(
        surface_key(c.evidence or "") in surface_key(prior.answer or "") for c in answer.citations)
    # (a subject swapped in for another, "비봉폭포는?", is asked the same thing: "…더 높은 139미터에
    # 달하며" answers its 높이 in other words)
    # (…in a sentence that gives what was asked: "구룡폭포는 높이가 74미터 … [1] 연주폭포는 두 줄기
    # …[2]" names 연주폭포 only beside the neighbour's figure)
    from .question import NUMERIC_TYPES

    figure = swapped and answer.expected_type in NUMERIC_TYPES
    # (…and not only as what is set aside: "웨스턴오스트레일리아 식민지와 뉴질랜드를 제외한 …")
    named = any(names_it(c) and (not figure or re.search(r"\d", c.evidence or "")) and
                not _set_aside(frag.noun, c.evidence or "") for c in answer.citations)
    # (what was asked, in the documents' words it was read in: "…몇 년 동안 해?" as 임기)
    # (a sentence that says the one replaced, "한나라당 원내대표를 지냈고", is the neighbour's fact
    # however it names the new one elsewhere: "새누리당 원내대표는?" is not answered by it)
    replaced = surface_key(replaced)
    neighbour = bool(replaced) and any(replaced in surface_key(c.evidence or "") and surface_key(frag.noun) not in
                                       surface_key(c.evidence or "") for c in answer.citations)
    if named and not neighbour and (swapped or answered or _says_what_was_asked(frag.noun, read_as or searched, answer)):
        return answer
    return _as_near_miss(answer, f"문서에는 {josa(frag.noun, '에')} 관한 그 내용이 나오지 않습니다.",
                         f"인용할 문장이 ‘{frag.noun}’{josa(frag.noun, '을')[len(frag.noun):]} 말하지 않습니다.",
                         ("subject", frag.noun, ""))


def _named_by_its_document(noun: str, c, prior, in_documents) -> bool:
    """Is citation *c* of another document than *prior*'s answer, one that names *noun* where
    that one does not (*in_documents(word, doc_ids)*; see :func:`_of_the_new_subject`)?"""
    before = list(dict.fromkeys(d[0].rpartition("#")[0] for d in prior.cited)) if prior is not None else []
    return in_documents is not None and bool(before) and c.doc_id not in before and \
        in_documents(noun, [c.doc_id]) and not in_documents(noun, before)


def _set_aside(noun: str, text: str) -> bool:
    """Does *text* name *noun* only as what it sets aside ("X와 Y를 제외한 모든 …", "X를 빼고")?"""
    at = [m.end() for m in re.finditer(re.escape(noun), text)]
    return bool(at) and all(re.match(r"[^.。]{0,20}?(?:을|를)\s*(?:제외|빼고|뺀|제하고)", text[e:]) for e in at)


def _as_near_miss(answer, lead: str, reason: str, mismatch: tuple):
    """*answer* turned into a near miss: *lead*, then its text as the closest (uncited), with
    *reason* and the *mismatch* (what, asked, found) that made it one."""
    from .schema import Answer, Closest

    return Answer(question=answer.question, text=f"{lead} 가장 가까운 내용: {answer.text}", citations=(),
                  abstained=True, searched_query=answer.searched_query, hits=answer.hits,
                  timings_ms=answer.timings_ms, confidence=answer.confidence, kind="near_miss", reason=reason,
                  closest=Closest(answer.text, answer.citations, (mismatch,)),
                  expected_type=answer.expected_type, intent=answer.intent)


def _telling_words(noun: str, before: str, answer) -> list[str]:
    """The words of a follow-up's *noun* an answer must name: of "소말리아 해역 파견부대" after
    "UAE 파견 부대 …" (*before*, surface-keyed), those that tell it from the one asked before —
    its 파견부대 is the kind already asked about, in whatever words a bill uses — provided the
    kind is said somewhere in what is quoted, in part at least ("파견" of 파견부대: "대만 경제부
    장관은?" is not answered by a sentence on 대만 and one on 경제부 통계처); else all of them."""
    from .surface import surface_key

    words = noun.split()
    telling = [w for w in words if surface_key(w) not in before] or words
    head = surface_key(words[-1])
    quoted = surface_key(" ".join(f"{c.heading} {c.evidence}" for c in answer.citations or ()))
    return telling if any(head[i:i + 2] in quoted for i in range(0, len(head) - 1, 2)) else words


def _says_what_was_asked(noun: str, searched: str, answer) -> bool:
    """Does a quoted sentence say what the previous question asked, now of *noun*: one of
    the searched question's other words, or a word of its group (원격근무 for 재택근무)?"""
    from .question import lexicon
    from .surface import surface_key
    from .tokenization import content_words

    from .answer import _QUESTION_WORDS

    rest = searched.replace(noun, " ")
    if re.search(r"[가-힣]", rest):
        asked = {w for w in content_words(rest) if w not in _QUESTION_WORDS and w not in ("현황", "무슨", "어떤", "어느")}
    else:  # an English question: the documents' Korean words for it (none known: not judged)
        from .crosslingual import korean_terms

        asked = set(korean_terms(rest))
    if not asked:
        return True
    unit = re.search(r"몇\s*(명|척|개|곳|건|대|인)", searched)
    if unit and any(re.search(r"\d\s*" + unit.group(1), c.evidence or "") for c in answer.citations):
        # "…규모가 몇 명이야?" is said by "인원 : 310명 이내": a count in the unit asked for
        return True
    syn = lexicon().synonyms
    wanted = {surface_key(n) for w in asked for n in (w, *syn.get(surface_key(w), ()))}
    said = " ".join(f"{_field_label(c)} {c.evidence}" for c in answer.citations)
    key = surface_key(said)
    # (a verb by its stem: "겸할 수 없다" says the 겸하 of "무슨 직을 겸할 수 없어?")
    return any(w and w in key for w in wanted) or bool(asked & content_words(said))


def _field_label(citation) -> str:
    """The label of the field a quoted line continues ("발  의  자 :" above "정갑윤 의원(10인)",
    the last line of a bill's list of proposers): what the line is, though it does not say
    it; "" when the evidence is not inside such a field (a sentence ends in between)."""
    from .textrepair import form_label

    before = citation.passage[max(0, citation.evidence_start - 120):citation.evidence_start].split("\n")
    for k in range(len(before) - 1, -1, -1):
        label = form_label(before[k])
        if label is not None:
            rest = "\n".join(before[k:])[len(label):]
            return "" if re.search(r"[.?!]|다\s|함\s|음\s", rest) else label
    return ""


# a question for an upper bound ("상한은?", "최대 몇 명?") and one for a lower bound ("하한은?",
# "최소 몇 세?"); what a figure is bounded by in the sentence that answers
_ASKS_UPPER = re.compile(r"상한|최대|최고한도|최다|최장|많아야|넘을\s*수\s*없")
_ASKS_LOWER = re.compile(r"하한|최소|최저|적어도")
_UPPER_SAID = re.compile(r"이하|이내|미만|까지|넘지|초과할\s*수\s*없")
_LOWER_SAID = re.compile(r"이상|넘는|초과(?!할\s*수\s*없)")
_BOUNDED = re.compile(r"\d[\d,.]*\s*(?:[가-힣]{1,2}\s*)?(?:이상|이하|이내|미만|까지|초과)")


def _of_the_other_bound(question: str, answer):
    """*answer*, or a near miss when its figure bounds the other way from what *question* asks
    ("국회의원 수 상한은?" answered "…200인 이상으로 한다": the documents set a floor, not a
    ceiling) — the phrase in bold and what follows it decide, else the figures the first quoted
    sentence bounds."""
    upper, lower = _ASKS_UPPER.search(question), _ASKS_LOWER.search(question)
    if answer.abstained or answer.kind != "answer" or bool(upper) == bool(lower):
        return answer
    other, same = (_LOWER_SAID, _UPPER_SAID) if upper else (_UPPER_SAID, _LOWER_SAID)
    if answer.span is not None:
        said = answer.text[answer.span[0]: answer.span[1] + 8]
    else:
        # (no phrase in bold: the figures the first quote bounds, when it says the asked bound
        # nowhere — "…4분의 1 이상의 요구 … 30일을 초과할 수 없다" does)
        first = answer.text.split("[1]")[0]
        if same.search(first):
            return answer
        said = " ".join(_BOUNDED.findall(first))
    if not other.search(said) or same.search(said):
        return answer
    asked, found = ("상한", "하한") if upper else ("하한", "상한")
    shown = m.group(0) if (m := _BOUNDED.search(said)) else " ".join(said.split())
    reason = f"문서는 {found}만 정합니다({shown}): {asked}은 나오지 않습니다."
    return _as_near_miss(answer, reason, reason, ("bound", asked, found))


_KIN = frozenset({"아버지", "어머니", "할아버지", "할머니", "외할아버지", "외할머니", "큰아버지", "작은아버지",
                  "맏아들", "외아들", "막내딸", "맏딸", "배우자", "아내", "남편", "형제", "자매", "누나", "언니", "오빠"})


def _swapped_in(noun: str, searched: str, prior) -> bool:
    """Did the follow-up's *noun* take the place of one word of the previous question, the rest
    kept ("그랑프리는?" after "김태희 나온 중천 제작비 얼마였어?" → "…나온 그랑프리 제작비 …",
    "연주폭포는?" after "…구룡폭포 높이가 …?"): another subject asked the same thing — not a
    word added to it ("아버지는?" → "김무성의 아버지는 …"), nor a side of a thing (높이, 임기,
    비용: asked of the same subject in words the answer need not use)?"""
    from .followup import PROPERTIES

    before = (prior.searched or prior.question or "") if prior is not None else ""
    # (nor a short common word: "기간은요?" is a side too, "남자는?" a group the answer names
    # otherwise; nor a kin word or a time: "어머니는?" is answered by "…와 마리아 테레지아 사이에서
    # 태어났으며", "작년 12월말은?" by "지난해 12월말까지 …")
    if not before or noun.isascii() or noun in before or len(noun) < 3 or " " in noun or \
            re.search(r"\d", noun) or noun in _KIN or any(noun.endswith(p) for p in PROPERTIES):
        return False
    i = 0
    while i < min(len(before), len(searched)) and before[i] == searched[i]:
        i += 1
    j = 0
    while j < min(len(before), len(searched)) - i and before[-1 - j] == searched[-1 - j]:
        j += 1
    # (whole words: "구룡폭포는" → "비봉폭포는" differ only in 구룡/비봉)
    i = before.rfind(" ", 0, i) + 1
    k_old, k_new = before.find(" ", len(before) - j), searched.find(" ", len(searched) - j)
    old = before[i: k_old if k_old >= 0 else len(before)]
    new = searched[i: k_new if k_new >= 0 else len(searched)]
    return bool(old) and " " not in old and new.startswith(noun) and len(new) - len(noun) <= 2


def _put_in(noun: str, searched: str) -> bool:
    """Was the follow-up's *noun* put into the previous question: at its head in Korean
    ("금융권은 왜 …"), as a word of it in English ("What share … does Microsoft hold?")?"""
    if noun.isascii():
        return re.search(rf"(?<![A-Za-z]){re.escape(noun)}(?![A-Za-z])", searched) is not None and \
            not searched.lower().startswith(("what about", "how about", "and "))
    return searched.startswith(noun)


# "이 주제 요약해줘", "그 내용 정리해줘": the conversation's topic, not the whole document
_ABOUT_THIS = re.compile(r"(이|그|위|방금|앞의?|지금)\s*(주제|내용|부분|것|거|얘기|이야기|답|답변|항목|섹션|(?:헌법\s*|법\s*)?(?:조항|조문))|"
                         r"이거|그거|이것|그것")
_WHOLE = re.compile(r"전체|전반|(보고서|문서|자료|글|법안|헌법)\s*(의|을|를|은|는)?\s*(핵심|전체|요약|내용|요지|개요)")


def _NAMES_SOMETHING(frame) -> bool:
    """Does a broad request name what to summarise (a country, place, name or topic)?"""
    from .summary import _topic_words

    # "이 법안 요약해줘": a word for the document itself names no topic within it
    return any(c.kind in ("country", "place", "name", "topic") for c in frame.constraints) or \
        any(w not in _DOCUMENT_WORDS for w in _topic_words(frame))


_DOCUMENT_WORDS = {"법안", "법률안", "개정안", "보고서", "문서", "자료", "글", "기사", "파일", "원문", "본문"}
