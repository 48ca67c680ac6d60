"""The machine surfaces on the chat page's server: the JSON API at ``/api``, the
OpenAI-compatible route at ``/v1`` and MCP at ``/mcp``, all around the page's own
:class:`~untact_qa.serve.service.Service`. They are handed to Gradio's ``launch`` as routes of
its FastAPI app (``app_kwargs``), so they sit behind the same guards as the page (login or
token, the login limiter, body-size limits: :mod:`untact_qa.http_guard`).
"""

from __future__ import annotations


def surface_kwargs(service, host: str = "127.0.0.1") -> dict:
    """``app_kwargs`` additions for ``demo.launch``: the routes of the three surfaces (placed
    before Gradio's own) and the lifespan that runs the MCP session manager."""
    from starlette.routing import Mount

    from .api import create_api
    from .mcp_server import http_routes
    from .openai_api import create_openai_api

    mcp_routes, lifespan = http_routes(service, host)
    return {"routes": [Mount("/api", app=create_api(service)), Mount("/v1", app=create_openai_api(service)),
                       *mcp_routes],
            "lifespan": lifespan}
