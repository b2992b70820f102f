"""A claim check as the reader sees it: the result types (a claim result with its parts) and the rendering
of the verdict, per-part verdicts, number comparisons and the cited evidence for and against."""
from __future__ import annotations

from dataclasses import dataclass, field

from .claims import VERDICT_LABEL
from .compose import Candidate
from .schema import Answer, Citation

# How a part's verdict reads next to the part (a verdict other than "supported" names its doubt).
PART_LABEL = {"supported": "supported", "mixed": "mixed evidence, not consistently shown",
              "not-supported": "not supported", "no-evidence": "not tested by any study here"}


@dataclass
class Part:
    claim: str
    verdict: str
    citations: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"claim": self.claim, "verdict": self.verdict, "citations": list(self.citations)}


@dataclass
class ClaimResult(Answer):
    """A claim check: an Answer with a verdict and the verdict of each atomic part."""
    parts: list = field(default_factory=list)

    def to_dict(self) -> dict:
        d = super().to_dict()
        d["parts"] = [p if isinstance(p, dict) else p.to_dict() for p in self.parts]
        return d



def overall_verdict(verdicts: list[str]) -> str:
    judged = [v for v in verdicts if v != "no-evidence"]
    if not judged:
        return "no-evidence"
    if all(v == "supported" for v in judged):
        return "supported"
    if all(v == "not-supported" for v in judged):
        return "not-supported"
    return "mixed"



# -- rendering -------------------------------------------------------------------------------------------
def render(claim: str, judged: list, notices: list[str], anecdote: bool) -> ClaimResult:
    verdicts = [j.verdict for j in judged]
    overall = overall_verdict(verdicts)
    citations: list[Citation] = []
    by_idx: dict[int, int] = {}

    def cite(c: Candidate) -> int:
        if c.idx not in by_idx:
            m = c.meta
            n = len(citations) + 1
            citations.append(Citation(n, m["source_id"], m["title"], c.text, m.get("url") or None))
            by_idx[c.idx] = n
        return by_idx[c.idx]

    pro_lines, con_lines, near_lines = [], [], []
    part_refs: list[list[int]] = []
    part_blocks: list[str] = []  # a compound claim: each part with its own evidence, for and against that part
    for k, j in enumerate(judged, 1):
        refs, own = [], []
        for label, cands, lines, shown in (("For", j.pro[:2], pro_lines, set()),
                                           ("Against", j.con[:2], con_lines, {x[0] for x in pro_lines}),
                                           ("Nearest evidence", j.nearest[:3], near_lines,
                                            {x[0] for x in pro_lines + con_lines})):
            for c in cands:
                n = cite(c)
                refs.append(n)
                if c.idx not in {x[0] for x in lines} | shown:
                    lines.append((c.idx, f"{c.text} [{n}]"))
                if c.idx not in {x[0] for x in own}:
                    own.append((c.idx, f"- {label}: {c.text} [{n}]"))
        part_refs.append(sorted(set(refs)))
        if own:
            part_blocks.append(f"**{k}. “{_short(j.part, 90)}” — {PART_LABEL[j.verdict]}**\n"
                               + "\n".join(t for _, t in own))
    all_refs = sorted({n for r in part_refs for n in r})
    marker = lambda ns: "".join(f"[{n}]" for n in ns)  # noqa: E731

    out = []
    reason = overall_reason(judged, overall, claim)
    summary_of = f" *(the assistant's summary of {marker(all_refs)})*" if all_refs else " *(the assistant's summary)*"
    # one sentence: the verdict and its reason together, so the first sentence a reader sees says why
    reason = reason[:1].lower() + reason[1:] if reason[:2] != reason[:2].upper() else reason
    out.append(f"**Verdict: {VERDICT_LABEL[overall]}** — {reason}{summary_of}")
    for note in notices:
        out.append(f"*{note}*")
    if anecdote:
        out.append("*One person's result is not a controlled comparison: it can't show what caused the change, so it "
                   "is judged here by what the trials measured.*")
    if len(judged) > 1 and len(set(verdicts)) > 1:
        lines = [f"- “{j.part}”: {PART_LABEL[j.verdict]} {marker(r)}".rstrip() for j, r in zip(judged, part_refs)]
        out.append("**Parts of the claim** *(the assistant's reading of each part, with the sentences it rests on)*\n"
                   + "\n".join(lines))
    notes = [j.figure_note for j in judged if j.figure_note]
    if notes:
        # the sentences from the studies whose figures the note compares with: those already quoted, else their best
        # sentences; else (no study states them) what the parts rest on
        source_of = {c.n: c.source_id for c in citations}
        refs = sorted({n for j, r in zip(judged, part_refs) if j.figure_note for n in r
                       if source_of[n] in j.figure_sources}) \
            or sorted({cite(c) for j in judged if j.figure_note for c in j.figure_evidence}) \
            or sorted({n for j, r in zip(judged, part_refs) if j.figure_note for n in r})
        out.append("**How the numbers compare** *(the assistant's summary of the cited sentences)*\n"
                   + "\n".join(f"- {n} {marker(refs)}".rstrip() for n in dict.fromkeys(notes)))
    if len(judged) > 1:  # "for" and "against" are relative to each part as written, so each part lists its own
        out += part_blocks
    else:
        if pro_lines:
            out.append("**Evidence for**\n" + "\n".join(f"- {t}" for _, t in pro_lines))
        if con_lines:
            out.append("**Evidence against**\n" + "\n".join(f"- {t}" for _, t in con_lines))
        if near_lines:
            out.append("**What the evidence says on the nearest question**\n" + "\n".join(f"- {t}" for _, t in near_lines))
    res = ClaimResult(question=claim, answer="\n\n".join(out), citations=citations, verdict=overall)
    res.parts = [Part(j.part, j.verdict, r) for j, r in zip(judged, part_refs)]
    return res

def overall_reason(judged: list, overall: str, claim: str) -> str:
    if len(judged) == 1 or len({j.verdict for j in judged}) == 1:
        j = max(judged, key=lambda x: x.how == "ledger")
        r = (j.reason or "").strip()
        if j.verdict == "no-evidence" and j.figure_note:
            r = j.figure_note
        return r if r.endswith(".") else r + "."
    good = [j.part for j in judged if j.verdict == "supported"]
    bad = [j.part for j in judged if j.verdict in ("not-supported", "mixed")]
    untested = [j.part for j in judged if j.verdict == "no-evidence"]
    gap = f"; no study here tested “{_short(untested[0])}”" if untested else ""
    if good and bad:
        return (f"The claim bundles {len(judged)} statements and the evidence splits: it backs “{_short(good[0])}” "
                f"but not “{_short(bad[0])}” as stated{gap}.")
    if good:
        return f"The evidence backs “{_short(good[0])}”{gap}."
    if bad:
        return f"The evidence does not back “{_short(bad[0])}” as stated{gap}."
    return f"The claim bundles {len(judged)} statements and the evidence does not back them all as stated."



def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"

