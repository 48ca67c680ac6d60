"""The surfaces that serve the engine to people and programs over HTTP (the chat page's files
today; the JSON API, the OpenAI-compatible route and MCP as they are added)."""
