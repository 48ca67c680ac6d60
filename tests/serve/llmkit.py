"""A scripted OpenAI-compatible server on 127.0.0.1 for the LLM-written answers: each script is a
base URL (``/<script>/v1``) whose replies are fixed in form, built from the numbered sentences
the prompt lists, so what the checker must keep and drop is known in advance."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "scripted-1"
INVENTED = "이는 전년보다 987.6% 늘어난 수치다"
INVENTED_NAME = "홍길동 연구원은 이 현상을 처음 보고했다"


def sources_of(prompt: str) -> dict[int, str]:
    """The numbered sentences of the prompt (``[n] (document · section) sentence``)."""
    return {int(n): text for n, text in re.findall(r"^\[(\d+)\] \(.*?\) (.*)$", prompt, re.M)}


def cited(text: str, n: int) -> str:
    """*text* with ``[n]`` after each of its sentences (a source may hold two)."""
    return re.sub(r"([.!?])(\s+)(?=\S)", rf"\1 [{n}]\2", text.strip()) + f" [{n}]"


def script(name: str, sources: dict[int, str]) -> str:
    """The reply of one script: each line of it is one or more sentences."""
    s1, s2 = sources[1], sources.get(2, sources[1])
    return {
        "good": f"{cited(s1, 1)}\n{cited(s2, 2)}",
        "invented": f"{cited(s1, 1)}\n{INVENTED} [1].\n{cited(s2, 2)}",
        "name": f"{cited(s1, 1)}\n{INVENTED_NAME} [2].\n{cited(s2, 2)}",
        "unknown": f"{cited(s1, 1)}\n{cited(s2, 2)}\n{cited(s1, 99)}",
        "nocite": f"{s1} {s2}",
        "refuse": "죄송하지만 주어진 문장으로는 답할 수 없습니다.",
    }[name]


class ScriptedLLM:
    """The server (see the module). ``hang`` never answers until :meth:`close`; ``error``
    answers 500; ``shape`` answers 200 with something that is no chat completion."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.release = threading.Event()
        kit = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, data) -> None:
                body = json.dumps(data, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path.endswith("/v1/models"):
                    self._send(200, {"object": "list", "data": [{"id": MODEL, "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "no such route"}})

            def do_POST(self):
                name = self.path.strip("/").split("/", 1)[0]
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                kit.requests.append({"script": name, "body": body, "auth": self.headers.get("Authorization")})
                if name == "hang":
                    kit.release.wait()  # until the test is over: the client's timeout decides
                    return
                if name == "error":
                    return self._send(500, {"error": {"message": "scripted failure"}})
                if name == "shape":
                    return self._send(200, {"unexpected": True})
                prompt = body["messages"][-1]["content"]
                text = script(name, sources_of(prompt))
                self._send(200, {"id": "x", "object": "chat.completion", "model": body.get("model"),
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": text}}]})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, name: str) -> str:
        """The base URL of script *name* (what ``UNTACT_QA_LLM_URL`` would be set to)."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/{name}/v1"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
