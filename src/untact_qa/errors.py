"""Exceptions raised by untact-qa. Every message says what went wrong and how to fix it;
the CLI prints them as a single ``Error:`` line."""


class UntactQAError(Exception):
    """Base class for all errors the user can act on.

    ``str(exc)`` is the English message the CLI and logs show; ``exc.ko`` is the same
    advice in Korean for the chat UI (a generic Korean line wraps errors that have none).
    """

    def __init__(self, message: str, ko: str | None = None) -> None:
        super().__init__(message)
        self.ko = ko

    def korean(self) -> str:
        """The Korean message for the UI."""
        return self.ko or f"처리하지 못했습니다: {self}"


class ConfigError(UntactQAError):
    """A setting has a value outside the allowed ones."""


class CorpusError(UntactQAError):
    """A corpus file could not be read or is empty."""


class ModelError(UntactQAError):
    """The embedding model could not be found, converted or loaded."""


class StoreError(UntactQAError):
    """The index is missing, damaged, or was built with another model or format.

    ``kind`` says which, so callers decide without reading the message: ``"missing"``,
    ``"damaged"`` (a file or the ``CURRENT`` pointer), ``"model"`` (built with another
    model), ``"format"`` (an older index format) or ``"other"``; ``reason`` is the message
    without its "run …" advice.
    """

    def __init__(self, message: str, ko: str | None = None, kind: str = "damaged", reason: str = "") -> None:
        super().__init__(message, ko)
        self.kind = kind
        self._reason = reason

    @property
    def reason(self) -> str:
        """What is wrong, without the fix (given, else the message before "; run …")."""
        return self._reason or str(self).split("; run ")[0]


class QueryError(UntactQAError):
    """The question is empty, too long, or has no searchable text."""
