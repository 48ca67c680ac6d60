"""Optional LLM-written answers, checked against their citations.

With ``UNTACT_QA_LLM_URL`` set to any OpenAI-compatible server (Ollama, vLLM, llama.cpp's
server, a cloud API), an answered question is handed to that model with the retrieved
sentences, numbered (:func:`~untact_qa.serve.grounding.numbered_sources`), and the
instruction to write from them only, citing ``[n]`` after every sentence. Then the project
checks what came back, sentence by sentence (:func:`~untact_qa.serve.grounding.check`):
a sentence without a citation, or with a number, date or name its cited sentences do not
have, is dropped and counted. When less than half of the sentences (or none) survive, the
quoted answer is given instead.

Nothing here is needed for an answer: a timeout, a connection error, an HTTP error, a reply
that is not the OpenAI shape, or a refusal (no citation and "답할 수 없습니다") gives the
quoted answer with a notice saying why (:class:`WriterFailed`). An abstention, a near-miss
or an empty retrieval is never handed to the model: there is nothing it may write from.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from .grounding import assemble, check, numbered_sources, prompt_sources

MIN_KEPT_SHARE = 0.5  # less than this share of the written sentences supported: the quoted answer
MAX_TOKENS = 700
SYSTEM = ("당신은 문서 질의응답 도우미입니다. 사용자가 준 번호 붙은 근거 문장만으로 질문에 한국어로 답하세요.\n"
          "- 모든 문장 끝에 그 문장의 근거 번호를 [1], [2][5]처럼 붙이세요.\n"
          "- 숫자, 날짜, 이름은 근거 문장에 나온 그대로 쓰세요. 근거 문장에 없는 내용은 쓰지 마세요.\n"
          "- 2~5문장으로 간결하게 쓰세요.\n"
          "- 근거 문장으로 답할 수 없으면 '답할 수 없습니다'라고만 쓰세요.")
_REFUSAL = re.compile(r"답할 수 없|알 수 없|찾을 수 없|나와 있지 않|cannot answer|can't answer|unable to|sorry", re.I)


class WriterFailed(Exception):
    """The model gave nothing usable: why, in Korean (*ko*) and English (*en*)."""

    def __init__(self, ko: str, en: str) -> None:
        super().__init__(en)
        self.ko, self.en = ko, en


@dataclass(frozen=True)
class Written:
    """An answer the model wrote and the checker passed: its text with ``[n]`` markers, their
    citations, the model, how many sentences were kept, and those dropped with the reason."""

    text: str
    citations: tuple
    model: str
    kept: int
    dropped: tuple[tuple[str, str], ...] = ()


def chat_url(url: str) -> str:
    """The chat-completions endpoint of an OpenAI-compatible base URL (``…/v1`` or the
    endpoint itself)."""
    url = url.strip().rstrip("/")
    return url if url.endswith("/chat/completions") else f"{url}/chat/completions"


class AnswerWriter:
    """Writes answers with the model at *url* (see the module); thread-safe."""

    def __init__(self, url: str, model: str = "", key: str = "", timeout: float = 30.0,
                 min_share: float = MIN_KEPT_SHARE) -> None:
        self.url, self.model, self.key, self.timeout, self.min_share = url, model, key, timeout, min_share
        self._lock = threading.Lock()
        self._client = None

    @classmethod
    def from_config(cls, cfg) -> AnswerWriter:
        """The writer of an :class:`~untact_qa.config.LLMConfig`."""
        return cls(cfg.url, cfg.model, cfg.key, cfg.timeout)

    @property
    def client(self):
        if self._client is None:
            import httpx

            with self._lock:
                if self._client is None:
                    headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
                    # trust_env=False: a proxy from the environment must not carry the documents elsewhere
                    self._client = httpx.Client(timeout=httpx.Timeout(self.timeout), headers=headers, trust_env=False)
        return self._client

    # -- the service's hook -----------------------------------------------------------------
    def write_into(self, reply, aliases: dict | None = None) -> None:
        """Give *reply* (a :class:`~untact_qa.serve.service.Reply`) its written answer, or the
        notice why it keeps the quoted one."""
        t = time.perf_counter()
        try:
            reply.written = self.write(reply.answer, aliases)
        except WriterFailed as exc:
            reply.notice = f"{exc.ko} 문서에서 인용한 답을 보여 드립니다."
            reply.notice_en = f"{exc.en}; the quoted answer is shown."
        reply.timings_ms["write"] = (time.perf_counter() - t) * 1000

    def write(self, answer, aliases: dict | None = None) -> Written:
        """The checked written answer to *answer*'s question; :class:`WriterFailed` otherwise."""
        sources = numbered_sources(answer)
        if not sources:
            raise WriterFailed("근거 문장이 없어 언어 모델에 묻지 않았습니다.", "no sentences to write from")
        question = answer.searched_query or answer.question
        model, text = self.complete([{"role": "system", "content": SYSTEM},
                                     {"role": "user", "content": f"질문: {question}\n\n근거 문장:\n"
                                                                 f"{prompt_sources(sources)}"}])
        verdicts = check(text, sources, aliases)
        kept = [v for v in verdicts if v.kept]
        if not kept and _REFUSAL.search(text):
            raise WriterFailed("언어 모델이 근거 문장으로는 답할 수 없다고 했습니다.", "the model declined to answer")
        if not kept or len(kept) < self.min_share * len(verdicts):
            raise WriterFailed(f"언어 모델이 쓴 문장 {len(verdicts)}개 중 근거 문장으로 확인된 것이 {len(kept)}개뿐이라",
                               f"only {len(kept)} of the model's {len(verdicts)} sentences are supported by their "
                               f"citations")
        body, citations = assemble(kept, sources)
        return Written(body, citations, model, len(kept), tuple((v.text, v.reason) for v in verdicts if not v.kept))

    # -- the HTTP call ------------------------------------------------------------------------
    def complete(self, messages: list[dict]) -> tuple[str, str]:
        """(model, text) of one chat completion; :class:`WriterFailed` on a timeout, an error
        or a reply that is not the OpenAI shape."""
        import httpx

        model = self.model or self._first_model()
        body = {"model": model, "messages": messages, "temperature": 0, "max_tokens": MAX_TOKENS, "stream": False}
        try:
            r = self.client.post(chat_url(self.url), json=body)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        if r.status_code != 200:
            raise WriterFailed(f"언어 모델 서버가 오류로 답했습니다 (HTTP {r.status_code}).",
                               f"the model server answered HTTP {r.status_code}")
        try:
            choice = r.json()["choices"][0]
            text = choice["message"]["content"]
            if not isinstance(text, str):
                raise TypeError(type(text).__name__)
        except (ValueError, KeyError, IndexError, TypeError):
            raise WriterFailed("언어 모델 서버의 답이 OpenAI 형식이 아닙니다.",
                               "the model server's reply is not an OpenAI chat completion") from None
        if choice.get("finish_reason") == "content_filter" or not text.strip():
            raise WriterFailed("언어 모델이 답을 쓰지 않았습니다.", "the model wrote nothing")
        return model, text

    def _unreachable(self, exc) -> WriterFailed:
        import httpx

        if isinstance(exc, httpx.TimeoutException):
            return WriterFailed(f"언어 모델이 {self.timeout:g}초 안에 답하지 않았습니다.",
                                f"the model did not answer within {self.timeout:g} s")
        return WriterFailed(f"언어 모델 서버에 연결하지 못했습니다 ({type(exc).__name__}).",
                            f"could not reach the model server ({type(exc).__name__})")

    def _first_model(self) -> str:
        """The first model the server lists (``UNTACT_QA_LLM_MODEL`` unset), remembered."""
        import httpx

        base = chat_url(self.url)[: -len("/chat/completions")]
        try:
            r = self.client.get(f"{base}/models")
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        try:
            models = [m["id"] for m in r.json()["data"]] if r.status_code == 200 else []
        except (ValueError, KeyError, TypeError):
            models = []
        if not models:
            raise WriterFailed("언어 모델 이름(UNTACT_QA_LLM_MODEL)이 없고 서버도 모델 목록을 주지 않았습니다.",
                               "UNTACT_QA_LLM_MODEL is not set and the server lists no model")
        self.model = models[0]
        return self.model
