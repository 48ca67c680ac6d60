"""Exceptions raised by untact-qa. Every message says what went wrong and how to fix it;
the CLI prints them as a single ``Error:`` line."""

import errno as _errno
import os


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


class DiskError(UntactQAError, OSError):
    """A file could not be written, created or replaced: the disk is full or over quota,
    read-only, not permitted, or failing. ``errno`` is the OS error number; :attr:`full`
    says it was space. Raised by :func:`disk_error`, so the UI, CLI and API say the same.
    It is still an :class:`OSError`, so code that handled the OS error before still does."""

    def __init__(self, message: str, ko: str | None = None, errno: int | None = None) -> None:
        super().__init__(message, ko)
        self.errno = errno

    @property
    def full(self) -> bool:
        """Was it a lack of space (ENOSPC, EDQUOT)?"""
        return self.errno in (_errno.ENOSPC, _errno.EDQUOT)


# errno → (reason, what to do), in English and Korean. ENOSPC and EDQUOT read the same to a
# user (no room for the file), so both say "디스크 공간이 부족합니다".
_DISK_REASONS = {
    _errno.ENOSPC: ("the disk is full",
                    "free some space (delete files that are not needed) and try again",
                    "디스크 공간이 부족합니다",
                    "필요 없는 파일을 지워 공간을 만든 뒤 다시 시도해 주세요."),
    _errno.EDQUOT: ("the disk is full (the disk quota is used up)",
                    "free some space or ask for a larger quota, and try again",
                    "디스크 공간이 부족합니다 (사용 한도 초과)",
                    "필요 없는 파일을 지우거나 관리자에게 한도를 늘려 달라고 한 뒤 다시 시도해 주세요."),
    _errno.EROFS: ("the file system is read-only",
                   "make it writable, or point the setting at a writable folder",
                   "읽기 전용 디스크라 쓸 수 없습니다",
                   "쓰기 가능한 폴더를 쓰도록 설정을 바꾼 뒤 다시 시도해 주세요."),
    _errno.EACCES: ("permission denied",
                    "make the folder writable for the server's user",
                    "쓰기 권한이 없습니다",
                    "서버를 실행하는 사용자에게 폴더 쓰기 권한을 준 뒤 다시 시도해 주세요."),
    _errno.EPERM: ("operation not permitted",
                   "make the folder writable for the server's user",
                   "쓰기 권한이 없습니다",
                   "서버를 실행하는 사용자에게 폴더 쓰기 권한을 준 뒤 다시 시도해 주세요."),
    _errno.EIO: ("the disk reported an input/output error",
                 "check the disk, then try again",
                 "디스크 입출력 오류가 났습니다",
                 "디스크 상태를 확인한 뒤 다시 시도해 주세요."),
}


def disk_error(exc: OSError, subject: str = "", where: str | os.PathLike | None = None,
               kept: str | None = "nothing was changed",
               kept_ko: str | None = "이전 문서와 색인은 그대로입니다.") -> DiskError:
    """The :class:`DiskError` for an :class:`OSError` of a write: the reason in English and
    Korean ("디스크 공간이 부족합니다 (folder/). 필요 없는 파일을 …"), with what to do.

    *subject* (a file or document name) starts the message; *where* is the folder to name
    (default: the folder of the file the OS named, never a temp file's own name); *kept* /
    *kept_ko* end it, saying what the caller left intact (None: say nothing). Raise it
    ``from exc``.
    """
    if isinstance(exc, DiskError):  # said once, where it happened (its folder is known there)
        return exc
    code = exc.errno
    what = (exc.strerror or str(exc) or type(exc).__name__)[:200]
    reason, fix, reason_ko, fix_ko = _DISK_REASONS.get(code) or (
        what, "check the folder and the disk, then try again",
        f"파일을 쓰지 못했습니다 ({what})",
        "폴더와 디스크 상태를 확인한 뒤 다시 시도해 주세요.")
    name = exc.filename if isinstance(exc.filename, str) else None
    folder = os.fspath(where) if where is not None else (os.path.dirname(name) or name) if name else ""
    folder = folder.rstrip("/") + "/" if folder else ""
    head = f"{subject}: " if subject else ""
    message = f"{head}cannot write {f'to {folder}' if folder else 'a file'}: {reason}; {fix}" + (
        f" ({kept})" if kept else "")
    ko = f"{head}{reason_ko}{f' ({folder})' if folder else ''}. {fix_ko}" + (f" {kept_ko}" if kept_ko else "")
    return DiskError(message, ko=ko, errno=code)


def os_error_of(exc: BaseException) -> OSError | None:
    """The :class:`OSError` behind *exc*, or None. Libraries with a Rust core (safetensors,
    tokenizers) raise their own exception types for a failed write, naming the OS error only
    in the text ("I/O error: No space left on device (os error 28)"); those are read back
    into an :class:`OSError` so a full disk is reported as one, not as a library traceback."""
    if isinstance(exc, OSError):
        return exc
    import re

    found = re.search(r"os error (\d+)", str(exc))
    if not found:
        return None
    code = int(found.group(1))
    return OSError(code, os.strerror(code))
