"""`untact-qa mcp` over stdio, driven by the official mcp SDK's client as an MCP host would start
it: the tools and their bilingual descriptions, an answer with citations, a refusal as a tool
error, the documents as resources."""

from __future__ import annotations

import os
import sys


def test_untact_qa_mcp_over_stdio(settings, built_index, engine):
    import anyio
    from mcp.client import Client
    from mcp.client.stdio import StdioServerParameters

    env = {**os.environ, "UNTACT_QA_INDEX": str(settings.index_dir), "UNTACT_QA_CORPUS": str(settings.corpus_dir),
           "UNTACT_QA_CACHE": str(settings.cache_dir)}
    server = StdioServerParameters(command=sys.executable, args=["-m", "untact_qa.cli", "mcp"], env=env)
    question = "일본에서 재택근무가 잘 안 되는 이유는?"

    async def session():
        async with Client(server, read_timeout_seconds=300) as c:
            tools = {t.name: t for t in (await c.list_tools()).tools}
            assert set(tools) == {"search", "ask", "list_documents", "add_document"}
            assert "question" in tools["ask"].input_schema["properties"]
            got = (await c.call_tool("ask", {"question": question})).structured_content
            a = engine.ask(question)
            assert got["answer"] == a.text and [x["chunk_id"] for x in got["citations"]] == \
                   [x.chunk_id for x in a.citations]
            refused = await c.call_tool("ask", {"question": "#없는문서 질문"})
            assert refused.is_error and "그런 이름의 문서가 없습니다" in refused.content[0].text
            resources = (await c.list_resources()).resources
            assert [r.name for r in resources] == ["untact-economy-report.txt"]
            text = (await c.read_resource(str(resources[0].uri))).contents[0].text
            assert "재택근무" in text
            missing = await c.call_tool("add_document", {"name": "x.txt"})
            assert missing.is_error and "text와 content_base64 중 하나" in missing.content[0].text

    anyio.run(session)
