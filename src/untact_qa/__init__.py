"""untact-qa: offline Korean document Q&A with cited answers."""

from .config import RetrievalConfig, Settings
from .engine import Engine, build_index
from .errors import UntactQAError

__all__ = ["Engine", "Settings", "RetrievalConfig", "build_index", "UntactQAError"]
__version__ = "0.1.0"
