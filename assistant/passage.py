"""Passages: the checkable sentences of a paragraph or article, and the passage result (one check per claim
plus a summary table)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .check_render import ClaimResult
from .claims import VERDICT_LABEL
from .text import split_sentences

MAX_PASSAGE_CLAIMS = 60


@dataclass
class PassageResult:
    passage: str
    claims: list[ClaimResult]
    timings_ms: dict = field(default_factory=dict)

    def rows(self) -> list[dict]:
        """The summary table: claim, verdict, key evidence (its first cited quote)."""
        out = []
        for c in self.claims:
            key = c.citations[0] if c.citations else None
            out.append({"claim": c.question, "verdict": c.verdict,
                        "key_evidence": f"[{key.n}] {key.quote} ({key.source_id})" if key else ""})
        return out

    def to_dict(self) -> dict:
        return {"passage": self.passage, "claims": [c.to_dict() for c in self.claims], "summary": self.rows(),
                "timings_ms": self.timings_ms}

    def table(self) -> str:
        lines = ["| claim | verdict | key evidence |", "|---|---|---|"]
        for r in self.rows():
            cell = lambda s: s.replace("|", "/").replace("\n", " ")  # noqa: E731
            lines.append(f"| {cell(r['claim'])} | {VERDICT_LABEL.get(r['verdict'], r['verdict'])} | {cell(r['key_evidence'])} |")
        return "\n".join(lines)


# -- passages ------------------------------------------------------------------------------------------------
_CHECKABLE = re.compile(
    r"\b(lift\w*|strength\w*|resistance|weights?|squats?|deadlifts?|plyometric\w*|jump\w*|reps?|repetitions?|sets?|"
    r"sessions?|heavy|light|circuits?|economy|economical|injur\w*|muscle\w*|bulk\w*|marathon\w*|race\w*|faster|"
    r"taper\w*|calf|single[- ]leg|compound|powerlift\w*|runners?|running|stride|healthy|performance)\b", re.I)
_STATEMENT = re.compile(
    r"\b(is|are|was|were|will|won't|can|cannot|can't|should|must|need|needs|don't|doesn't|do|does|makes?|improv\w*|"
    r"increas\w*|reduc\w*|prevent\w*|keeps?|builds?|trains?|produces?|costs?|comes?|traces?|shows?|found|helps?|"
    r"gets?|lowers?|raises?|cuts?|buys?|compounds?|want|leads?|causes?|gives?|protects?|matters?|"
    r"you're|they're|we're|it's|that's|there's|i'm|stops?|switch\w*|skip\w*|avoid\w*|drops?|adds?|works?|"
    r"slows?|hurts?|beats?|ruins?|kills?|wastes?|put|go|start\w*|begin)\b", re.I)
# advice given as a command ("Lift twice a week.", "Rest three to five minutes between heavy sets.")
_IMPERATIVE = re.compile(r"^\W*(lift|rest|squat|deadlift|train|do|keep|add|stop|drop|start|skip|avoid|aim|use|include|take|"
                         r"cut|never|always|don'?t)\b", re.I)
# what a study found, told with its figure ("A 2017 meta-analysis of 16 studies put the average gain at about 4 percent")
_REPORTED = re.compile(r"\b(stud(y|ies)|trials?|meta-?analys[ie]s|reviews?|paper)\b[^.]*(\d|\bpercent\b)", re.I)
_NOT_A_CLAIM = re.compile(r"(\?\s*$|^[“\"]|\b(click|sign up|subscribe|build a free plan|we'?ll set|try it)\b)", re.I)


def extract_claims(passage: str) -> list[str]:
    """The checkable sentences of a passage: statements (not questions or headings) about strength training or running."""
    out = []
    for para in re.split(r"\n\s*\n|\n", passage):
        para = " ".join(para.split())
        if not para:
            continue
        for s in split_sentences(para):
            words = s.split()
            command = bool(_IMPERATIVE.match(s)) and _CHECKABLE.search(s) is not None
            if len(words) < (3 if command else 5) or len(words) > 90 \
                    or not s.rstrip().endswith((".", "!", "”", '"', ")")) and len(words) < 12:
                continue  # a heading or a fragment
            if _NOT_A_CLAIM.search(s) or not (command or _REPORTED.search(s)
                                              or (_CHECKABLE.search(s) and _STATEMENT.search(s))):
                continue
            out.append(s)
    return out


def format_passage(result: PassageResult, format_answer) -> str:
    """Plain-text report: each claim's check, then the summary table."""
    blocks = []
    for i, c in enumerate(result.claims, 1):
        blocks.append(f"## {i}. “{c.question}”\n\n{format_answer(c)}")
    blocks.append("## Summary\n\n" + result.table())
    return "\n\n".join(blocks)

