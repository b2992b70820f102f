"""The answer schema: what ``ask`` and ``check`` return (``--json`` and ``batch`` print ``to_dict()``)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Citation:
    n: int
    source_id: str
    title: str
    quote: str
    url: str | None


@dataclass
class Caveat:
    id: str
    text: str


@dataclass
class Answer:
    question: str
    answer: str
    citations: list[Citation] = field(default_factory=list)
    caveats: list[Caveat] = field(default_factory=list)
    refused: bool = False
    verdict: str | None = None
    timings_ms: dict = field(default_factory=dict)
    notice: str | None = None
    retrieved: list = field(default_factory=list, repr=False)      # ranked source ids (not in the schema)
    contexts: list = field(default_factory=list, repr=False)       # retrieved chunk texts (for RAGAS export)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("retrieved")
        d.pop("contexts")
        if d.get("notice") is None:
            d.pop("notice")
        return d
