"""Splitting a claim into atomic claims: general clause logic (coordinators, "so", "while", ";",
"which means"), with the shared subject carried over to each part."""
from __future__ import annotations

import re

from .claimtext import _NUM, outcomes, populations
from .text import split_sentences, terms

MAX_PARTS = 6

# -- clause splitting -----------------------------------------------------------------------------------
_AUX = {"will", "would", "can", "could", "should", "must", "may", "might", "shall", "is", "are", "was", "were", "be",
        "does", "do", "did", "has", "have", "had", "won't", "can't", "don't", "doesn't", "isn't", "aren't", "wouldn't",
        "shouldn't", "needn't", "wont", "cant", "dont", "doesnt", "isnt", "arent", "never", "not", "didn't", "didnt",
        "wasn't", "wasnt", "weren't", "werent", "hasn't", "haven't", "couldn't", "mustn't"}
_VERBS = set("""improve increase reduce lower raise make build cut prevent keep help boost add cause lead burn give get
become run use lift do stop avoid need protect strengthen enhance decrease bulk gain lose shed drop slow speed hurt harm
injure take train allow let produce maintain preserve delay guarantee transfer translate matter work beat outperform
trace show prove find cost buy compound count turn put want develop create mean require benefit affect change hold go
come depend tend fail wreck ruin kill destroy blunt interfere impair damage shorten lengthen save fix cure stiffen
recruit activate teach convert double halve triple begin start wipe erase undo negate cancel offset counteract outweigh
dent sap drain waste stall plateau rise climb grow shrink stay remain last survive respond adapt predict flag post
report record register spend soften loosen tighten enrol enroll randomise randomize assign knock shave trim slash""".split())
_AMBIGUOUS = set("""work run lift train cost count change need help set hold drop cut use show want benefit turn put gain
speed slow bulk fix save damage force load stop go come lead burn run start triple double""".split())
_VERB_CONTEXT = {"to", "will", "would", "can", "could", "should", "must", "may", "might", "you", "i", "we", "they", "he",
                 "she", "it", "don't", "doesn't", "dont", "doesnt", "not", "never", "also", "who", "that", "which",
                 "runners", "lifting", "training", "won't", "wont", "really", "actually", "just", "only",
                 "them", "us"}  # ("each of them put on weight")
_NOUN_CONTEXT = {"the", "a", "an", "heavy", "light", "two", "three", "few", "many", "some", "your", "my", "their", "of",
                 "and", "or", "long", "short", "easy", "hard", "big", "compound", "these", "those", "weekly", "gym",
                 # a noun before it makes a compound noun: "strength gains", "muscle loss", "economy changes"
                 "strength", "muscle", "economy", "performance", "fitness", "size", "weight", "body", "injury", "speed"}
_LEAD_DROP = re.compile(r"^(and|but|so|also|then|thus|therefore|hence|plus|or|because|since)\s+", re.I)
_PRONOUN_SUBJECT = re.compile(r"^(it|this|that|which)\s+", re.I)
_STRONG = re.compile(r"\s*;\s*|\s+[—–]\s+|,?\s+which means( that)?\s+|,\s*so( that)?\s+|,?\s+so\s+(?=(you|it|they|we|runners?|"
                     r"this|that|your|their|lifters?|athletes?)\b)|,?\s+while\s+|,?\s+whereas\s+|,\s*but\s+|,?\s+because\s+(?!of\b)|"
                     r",\s+(?=which\s+\w+s\b)|:\s+", re.I)
_AND = re.compile(r",?\s+(and|or)\s+", re.I)
# "or more", "or fewer", "or so": a quantity's range, not a second statement
_QUANTITY_TAIL = {"more", "fewer", "less", "so", "longer", "shorter", "higher", "lower", "above", "below", "greater",
                  "heavier", "lighter", "over", "under", "two", "three", "four", "five", "six"}
# ", which is roughly four reps or fewer per set," between a subject and its verb: an aside, not a claim
_APPOSITION = re.compile(r",\s+(which|that|i\.e\.|e\.g\.|meaning)\s+[^,;()]{2,80}?,\s+(?=(\S+))", re.I)
# "Swap A for B, because they ...": the pronoun names B
_SWAP = re.compile(r"^(?:swap|switch|replace|trade|exchange)\s+(?:out\s+)?(?P<a>.+?)\s+(?:for|with|to)\s+(?P<b>.+?)$|"
                   r"^(?:use|choose|pick|do|prefer|favou?r)\s+(?P<c>.+?)\s+(?:instead of|over|rather than)\s+.+$", re.I)


# -- decomposition ------------------------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    return text.split()


def _bare(w: str) -> str:
    return re.sub(r"[^\w'’-]", "", w.lower()).replace("’", "'")


def _is_verb(w: str, prev: str | None = None) -> bool:
    """Is ``w`` a verb?  A word that is as often a noun ("work", "lifts", "cost") counts only after a subject
    pronoun, a modal or "to" (``prev``), or when no context is given."""
    w = _bare(w)
    if w in _AUX or w in _PAST:
        return True
    base = w if w in _VERBS else None
    if base is None:
        for suf, rep in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", "")):
            if w.endswith(suf) and w[: len(w) - len(suf)] + rep in _VERBS:
                base = w[: len(w) - len(suf)] + rep
                break
    if base is None:
        return False
    if base in _AMBIGUOUS and not w.endswith("ed") and prev is not None:
        if w == base:
            return _bare(prev) in _VERB_CONTEXT
        return _bare(prev) not in _NOUN_CONTEXT  # "strength work fixes it", but "heavy lifts and jumps"
    return True


_PLURAL_DET = {"the", "these", "those", "some", "many", "most", "all", "both", "two", "three", "several", "other"}


def _first_verb(words: list[str], start: int = 1) -> int | None:
    for i in range(start, len(words)):
        if _is_verb(words[i], words[i - 1] if i > 0 else ""):
            return i
        # "the reviews put …": a plural noun after a determiner, then a verb that is also a noun
        if i >= 2 and _bare(words[i]) in _AMBIGUOUS and _bare(words[i - 1]).endswith("s") \
                and _bare(words[i - 2]) in _PLURAL_DET:
            return i
    return None


# irregular past forms (regular "-ed" forms of known verbs are read by ``_is_verb``)
_PAST = set("""found showed saw got made took gave ran led kept held lost fell rose grew did had was were came went put
brought became began built felt knew meant paid said sent stood thought told won wrote spent taught caught bought
sat slept swam drove fought""".split())


def _finite_clause(ws: list[str]) -> bool:
    """A full clause: a finite verb ("is", "keeps", "found") after a short subject, with no relative pronoun before it."""
    for i, w in enumerate(ws[:8]):
        b = _bare(w)
        if b in {"that", "which", "who", "whose", "whom"} or (i > 0 and ws[i - 1].endswith(",")):
            return False  # a relative clause, or a subject that runs past a comma, is not a short subject
        if i > 0 and (b in _AUX - {"not", "never", "be"} or b in _PAST or
                      (b.endswith(("s", "ed")) and _is_verb(w, ws[i - 1]) and not b.endswith("ss")) or
                      # a plural subject and its verb: "the runner-only trials show …"
                      (i > 1 and b in _VERBS and _bare(ws[i - 1]).endswith("s") and not _bare(ws[i - 1]).endswith("ss")
                       and _bare(ws[i - 1]) not in _VERBS)):
            return True
    return False


_REPORTS = re.compile(r"\b(found|finds|showed|shows|reported|reports|concluded|concludes)\b", re.I)
_SUBORDINATE_TAIL = re.compile(r"\b(when|if|while|whether|because|since|than|where|once)\s+[\w'-]+$|"
                               r"\b(when|if|while|because|since|once)\s+(you|i|we|they|he|she|it|runners?)\s+[\w'-]+$", re.I)
_PRONOUNS = {"you", "it", "they", "we", "he", "she", "i", "this", "that", "there"}
# "Progression rule I give every new lifter: …", "Stat for the club noticeboard: …": a label before the claim
_LABEL = re.compile(r"^(?P<label>[^:;.]{3,70}):\s+(?=\S+(\s+\S+){5})")
_CLAIM_WORDS = re.compile(r"\b(lift(ing|s)?|squat\w*|deadlift\w*|heavy|light|reps?|sets?|weights?|strength|plyo\w*|"
                          r"jumps?|faster|slower|don'?t|never|always|must|should)\b", re.I)
_SAYS_WHOSE = re.compile(r"research|stud(y|ies)|trial|review|meta|evidence|data|science|paper|runner|athlete", re.I)
_CONDITION = re.compile(r"^(if|when|once|unless|as long as|whenever)\b[^,;:]{3,80},\s*", re.I)
_REASON = re.compile(r"^(?:and |but |so )?(?:since|because|given that|seeing as)\s+(?P<why>[^,;:]{8,120}),\s*", re.I)


def _subject_prefix(clause: str, fragment_first: str) -> str | None:
    """The shared subject (and modal) of ``clause`` to put before a verb-phrase fragment."""
    ws = _words(clause)
    i = _first_verb(ws)
    if i is None:
        return None
    j = i
    if _bare(fragment_first) not in _AUX:
        while j < len(ws) and _bare(ws[j]) in _AUX:
            j += 1
        if j >= len(ws) or j == len(ws):
            j = i
    return " ".join(ws[:j]) if j > 0 else None


# words ending in "-ing" that are not verbs: "anything shorter" is no gerund
_NOT_GERUNDS = {"during", "morning", "evening", "ceiling", "spring", "string", "wing", "king", "ring", "bring", "sing"}


def _gerund_base(word: str) -> str | None:
    w = _bare(word)
    if not w.endswith("ing") or len(w) < 5 or w.endswith("thing") or w in _NOT_GERUNDS:
        return None
    stem = w[:-3]
    for cand in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem):
        if cand in _VERBS:
            return cand
    return stem


# A reply word before a statement ("so no, lifting doesn't…"): it answers someone, it does not negate the statement
_INTERJECTION = re.compile(r"^(no|nope|nah|yes|yep|yeah|well|look|honestly|sure|ok|okay|so)\s*[,!—–-]\s*", re.I)


def _clean(part: str) -> str:
    part = _LEAD_DROP.sub("", part.strip(" ,;:—–-\"“”'"))
    part = _INTERJECTION.sub("", _LEAD_DROP.sub("", part))
    return re.sub(r"[\s,;:]+(and|but|or|so)$", "", part.rstrip(" ,;:."), flags=re.I).rstrip(" ,;:.")


def _in_brackets(text: str, pos: int) -> bool:
    return text[:pos].count("(") > text[:pos].count(")")


def drop_asides(sent: str) -> str:
    """Remove a ", which is …," aside that sits between a subject and its verb."""
    def sub(m: re.Match) -> str:
        return " " if _is_verb(m.group(2), "it") else m.group(0)
    return _APPOSITION.sub(sub, sent)


def _series(clause: str) -> str:
    """"X makes you faster, doesn't add muscle, and halves injuries": the items of a series of verb phrases are
    joined with "and" like its last one, so each is split off."""
    if not re.search(r",\s+and\s+", clause):
        return clause

    def item(m: re.Match) -> str:
        w = m.group(1)
        verb = _is_verb(w, "to") or bool(re.fullmatch(r"(doesn|don|won|can|isn|aren|didn)['’]?t", w, re.I))
        return f" and {w}" if verb else m.group(0)
    return re.sub(r",\s+(?!and\b|or\b)([A-Za-z'’]+)", item, clause)


def _split_and(clause: str) -> list[str]:
    """Split at "and"/"or" joining verb phrases, clauses or different outcomes, carrying the subject over."""
    clause = _series(clause)
    out = [clause]
    for m in list(_AND.finditer(clause))[::-1]:
        left, right = clause[:m.start()], clause[m.end():]
        lw, rw = _words(left), _words(right)
        if not lw or not rw or _in_brackets(clause, m.start()):
            continue
        if m.group(1).lower() == "or" and _bare(rw[0]) in _QUANTITY_TAIL:
            continue  # "90% of your max or more"
        lv = _first_verb(lw)
        if lv is None and re.search(r"['’](re|ll|ve|d|s|m)$", lw[0], re.I):
            lv = 0  # "they're more specific, and heavy squats …": the verb is in the contraction
        if lv is None:
            continue  # "and" inside the subject ("heavy lifting and plyometrics improve...")
        if _SUBORDINATE_TAIL.search(left) and _bare(rw[0]) not in _PRONOUNS:
            continue  # "…more so when lifting and cardio shared a session": the subject of a clause inside
        first = rw[0]
        adverb = _bare(first) in {"also", "then"} or (_bare(first).endswith("ly") and len(_bare(first)) > 4)
        if (_is_verb(first, "to") and _bare(first) not in {"not", "never"} and (len(rw) > 1 or _bare(first) not in _AMBIGUOUS)) or \
                ((adverb or _bare(first) in {"not", "never"}) and len(rw) > 1 and _is_verb(rw[1], "to")):
            # ("…, and nearly halved their injuries": an adverb before the verb)
            prefix = _subject_prefix(left, rw[1] if adverb else first)
            new_right = f"{prefix} {right}" if prefix else right
        elif _bare(first) in {"you", "it", "they", "we", "runners", "runner", "lifting", "strength", "this", "your",
                              "their", "heavy", "light", "plyometrics", "squats", "lifters"} \
                and (rv := _first_verb(rw)) is not None and rv <= 3:
            new_right = right  # a full clause with its own subject
        elif len(rw) > 2 and _finite_clause(rw) and ((fv := _first_verb(rw, 0)) is None or fv <= 4):
            new_right = right  # "..., and staying healthy is the biggest lever"
        elif _bare(first) in {"the", "a", "an", "one", "another", "this", "these", "each"} and _REPORTS.search(right):
            new_right = right  # "..., and the meta-analysis that compared them found …": a finding of its own
        else:
            # noun coordination after the verb: split only when the two sides name different outcomes
            obj, rnoun = " ".join(lw[lv:]), right.split(",")[0]
            lo, ro = outcomes(obj), outcomes(rnoun)
            if len(rnoun.split()) > 5 or not (lo and ro and not (ro <= lo)):
                continue
            end = lv  # the whole verb group: "did NOT change their economy or VO2max" -> "did NOT change VO2max"
            while end + 1 < len(lw) and _bare(lw[end]) in _AUX and (_bare(lw[end + 1]) in _AUX or _is_verb(lw[end + 1], "to")):
                end += 1
            new_right = " ".join(lw[:end + 1]) + " " + right
        head = clause[:m.start()]
        return _split_and(head) + [new_right]
    return out


def decompose(claim: str) -> list[str]:
    """Atomic claims of a (possibly compound) claim, each a readable sentence with its subject."""
    return [p for p, _ in decompose_marked(claim)]


def decompose_marked(claim: str) -> list[tuple[str, bool]]:
    """The atomic claims, each with whether it is a conclusion drawn from the part before it ("…, so every runner
    should take it", "which is why …")."""
    pieces: list[str] = []
    conclusions: set[str] = set()
    sentences = split_sentences(" ".join(claim.split()))
    statements = [t for t in sentences if not t.rstrip().endswith("?")]
    # "When someone pooled 22 studies, X; within the heavy stuff, Y; and in runner studies, Z": a leading condition
    # reaches to the first ";", not to the statements listed after it
    statements = [x for t in statements for x in (t.split(";", 1) if _CONDITION.match(t) else [t])]
    for sent in statements or sentences:  # "New to lifting? Skip the light stuff…": a question is not a claim
        sent = drop_asides(sent.strip().rstrip(".!"))
        label, group = _LABEL.match(sent), ""
        if label and len(label.group("label").split()) <= 12 and not outcomes(label.group("label")) \
                and not _SAYS_WHOSE.search(label.group("label")) and not _CLAIM_WORDS.search(label.group("label")):
            # ("Runner-specific research is in:" scopes the claim; "Don't start with heavy triples:" is one)
            # ...and "For the total newbies in our club:" says who each part is about
            group = f"{label.group('label')}, " if re.match(r"(for|among|in)\b", label.group("label"), re.I) \
                and populations(label.group("label")) and not _SOURCE.search(label.group("label")) else ""
            sent = sent[label.end():]
        # "If injury prevention is the goal, X is … and does …": the condition is not the subject of the parts;
        # each part keeps it ("Once you're past 40, heavy weights stop working" is about masters runners)
        # "Since economy decides the last 10 km, this will knock minutes off": the reason is a claim of its own
        reason = _REASON.match(sent)
        if reason and _first_verb(_words(sent[reason.end():]), 0) is not None:
            pieces.append(_clean(reason.group("why")))
            sent = sent[reason.end():]
        cond = _CONDITION.match(sent)
        cond = cond.group(0) if cond and _first_verb(_words(sent[cond.end():]), 0) is not None else group
        sent, first = sent[len(cond) if cond != group else 0:], len(pieces)
        flags: list[bool] = []
        segs = _segments(sent, flags)
        subject = None
        referent = None
        for k, seg in enumerate(segs):
            seg = _clean(seg)
            if not seg:
                continue
            if k == 0 and (sw := _SWAP.match(seg)):
                referent = (sw.group("b") or sw.group("c") or "").strip(" ,")
            elif k > 0 and referent and re.match(r"(they|they're|it|it's)\b", seg, re.I):
                seg = _resolve_pronouns(seg, referent)
            ws = _words(seg)
            if subject is None:
                v = _first_verb(ws)
                # "don't start heavy: begin at 8–12 reps" — an imperative has no subject to carry over
                subject = " ".join(ws[:v]) if v and not all(_bare(w) in _AUX for w in ws[:v]) \
                    and not (k > 0 and _is_verb(ws[0])) else None
            if k > 0 and seg.lower().startswith("which "):
                seg = "This " + seg[6:]
            elif k > 0 and subject and re.match(r"(it|this|that)\s+\S", seg, re.I) and len(ws) > 1 and _is_verb(ws[1]):
                seg = f"{subject} {' '.join(ws[1:])}"  # "..., but it doesn't raise VO2max" -> the shared subject
            elif k > 0 and subject and ws[0].lower() == "they" and len(ws) > 1 \
                    and (_is_verb(ws[1]) or _bare(ws[1]) in _AUX) and _plural(noun := _ADVERB_TAIL.sub("", subject)):
                seg = f"{noun} {' '.join(ws[1:])}"  # "high reps are better because they build endurance"
            elif k > 0 and subject and (c := re.match(r"(they|it)['’](re|s)\s+", seg, re.I)):
                seg = f"{subject} {'are' if c.group(2).lower() == 're' else 'is'} {seg[c.end():]}"  # "because they're …"
            elif k > 0 and _first_verb(ws, 0) is None and (base := _gerund_base(ws[0])) and subject:
                last = _bare(subject.split()[-1])
                if last not in {"you", "i", "we", "they"} and not last.endswith("s"):
                    base = base + ("es" if base.endswith(("s", "sh", "ch", "x")) else "s")  # "Lifting uses"
                seg = f"{subject} {base} {' '.join(ws[1:])}".strip()  # "while using less oxygen"
            elif k > 0 and _is_verb(ws[0]) and _bare(ws[0]) not in _AUX and subject and pieces:
                seg = f"{subject} {seg}"
            for p in _split_and(seg):
                p = _clean(p)
                if p:
                    pieces.append(p)
                    if flags[k]:
                        conclusions.add(p)
        if cond:
            done = [f"{cond}{p[0].lower() + p[1:] if p[:2] != p[:2].upper() else p}" for p in pieces[first:]]
            conclusions |= {d for p, d in zip(pieces[first:], done) if p in conclusions}
            pieces[first:] = done
    pieces = _drop_prefaces(pieces, claim)
    pieces = [q for p in pieces for q in _sufficiency(p)]
    out, seen = [], set()
    for p in pieces:
        key = p.lower()
        if key not in seen and len(terms(p)) >= 2:
            seen.add(key)
            out.append((p[0].upper() + p[1:], p in conclusions or bool(CONCLUSION.match(p))))
    return out[:MAX_PARTS] or [(" ".join(claim.split()), False)]


_PLENTY = re.compile(r"^(?P<x>.{6,80}?)\s+(?:is|are)\s+(?:plenty|all (?:you|runners|a runner) needs?|more than enough)$", re.I)


def _sufficiency(part: str) -> list[str]:
    """"X is plenty" says two things: X is enough, and more than X adds nothing."""
    m = _PLENTY.match(part)
    if not m:
        return [part]
    x = m.group("x")
    return [f"{x} is enough to get the benefits", f"More than {x[0].lower() + x[1:]} adds nothing"]


_ADVERB_TAIL = re.compile(r"(\s+(only|just|really|actually|also|all|both|simply|basically))+$", re.I)  # "low-rep sets only"


def _plural(subject: str) -> bool:
    """A subject "they" can stand for: its head noun is plural ("high reps", "heavy squats"); after a singular one
    ("lifting helps runners because they …") "they" names someone else."""
    head = _bare(subject.split()[-1])
    return head.endswith("s") and not head.endswith(("ss", "us", "is")) and head not in _PRONOUNS


def _resolve_pronouns(seg: str, referent: str) -> str:
    """"they're more specific and they do more" -> with the swapped-in exercise named."""
    ref = referent[0].upper() + referent[1:]
    plural = _bare(referent.split()[-1]).endswith("s")
    seg = re.sub(r"^(they|it)['’](re|s)\b", f"{ref} {'are' if plural else 'is'}", seg, flags=re.I)
    seg = re.sub(r"^(they|it)\b", ref, seg, flags=re.I)
    return re.sub(r"\b(and|but|so)\s+(they|it)\b", lambda m: f"{m.group(1)} {referent}", seg, flags=re.I)


# The comparison arm of a study a claim describes: part of that claim, not a claim of its own
_COMPARISON_ARM = re.compile(r"\s*(the |their |a )?(control|placebo|comparison|running[- ]only)( group| groups| runners)?s?\b", re.I)


_SO = re.compile(r",?\s*so( that)?\s+|,?\s+which means( that)?\s+", re.I)
_PRESCRIPTION = re.compile(r"^[^.;]*?\b(should|must|need to|needs to|have to|has to|ought to|might as well|"
                           r"don'?t|do not|stop|skip|switch|drop)\b", re.I)
# A conclusion drawn from the statement before it ("…, so every runner should take it", "which is why…")
# or a remark on it ("That's just the price of getting stronger")
CONCLUSION = re.compile(r"^(so|this is why|that'?s why|that is why|which is why|therefore|hence|"
                        r"(that'?s|that is|this is) (just |simply |only |all )?(the|a|what|why|how|part of))\b", re.I)


def _segments(sent: str, flags: list[bool] | None = None) -> list[str]:
    """Split at strong clause boundaries (";", ", so", "which means", "while", "because", ": "...); ``flags`` gets,
    per segment, whether it is a conclusion ("…, so you should …")."""
    out, pos, so, concl, after = [], 0, False, [], [""]
    for m in _STRONG.finditer(sent):
        if _in_brackets(sent, m.start()):
            continue
        out.append(sent[pos:m.start()])
        concl.append(so)
        after.append(m.group(0))
        so = bool(_SO.fullmatch(m.group(0)))
        pos = m.end()
        rest = sent[pos:].split()
        if so and not (_PRESCRIPTION.search(sent[pos:]) or (rest and _bare(rest[0]) in _VERBS and _bare(rest[0]) not in _AUX)):
            # (an imperative after "so" is a conclusion too: "…, so get your squat there first")
            so = False  # "…, so you run faster" is a claim of its own; "…, so you should …" is a conclusion
    out.append(sent[pos:])
    concl.append(so)
    segs: list[str] = []
    for seg, c, d in ((s, c, d) for s, c, d in zip(out, concl, after) if s.strip()):
        ws = seg.split()
        verbless = _first_verb(ws, 0) is None and not any(_bare(w) in _PAST for w in ws[1:])  # "…; the update found"
        verbless = verbless and "because" not in d.lower()  # "…, because the extra muscle costs more": a reason
        if segs and ((verbless and not _gerund_base(ws[0])) or _COMPARISON_ARM.match(seg)):
            # "...powerlifting: heavy, low reps" stays one statement; so does "..., while the control group didn't change"
            segs[-1] = f"{segs[-1]}, {seg.strip()}"
        else:
            segs.append(seg)
            if flags is not None:
                flags.append(c)
    return segs


_LEAD_IN = re.compile(r"^(let'?s|let me|let us|here'?s|here is)\b|"  # "Let's be clear for …": said to the reader
                      # "Two things every runner should know", "Taper advice from our podcast, in two parts": announced
                      r"^([\w'-]+ ){0,6}(two|three|four|five|a few|some) (things|takeaways|myths|points|facts|rules|tips|"
                      r"lessons|parts|findings)\b|\bin (two|three|four) parts$|"
                      # "That NYC Marathon trial proved it", "the research backs this up": what follows is the claim
                      r"\b(prove[sd]?|proven|show(s|ed|n)?|confirm(s|ed)?|settled|nailed|backs?|backed)\s+(it|this|that)"
                      r"(\s+up)?( (once and )?for (all|good))?\W*$", re.I)


# what others believe, set up for the claim that follows ("People act like the squat rack is a death trap. [But] …")
_SETUP = re.compile(r"^\W*(people|everyone|everybody|folks|(so )?many( \w+)?|most( \w+)?|some( \w+)?|a lot of \w+|lots of \w+)"
                    r" (act|acts|talk|talks) (like|as if)\b|^\W*(people|everyone|everybody|folks) (think|thinks|believe|"
                    r"believes|assume|assumes|worry|worries)\b", re.I)


_BECAUSE = re.compile(r"\b(because|since|given that)\b", re.I)


# what a claim can cite: a study, a review, a podcast…
_SOURCE_NOUNS = r"stud(y|ies)|trials?|papers?|(meta-?)?analys[ie]s|reviews?|infographics?|podcasts?|articles?"
_SOURCE = re.compile(rf"\b({_SOURCE_NOUNS}|research|books?)\b", re.I)
_MEASURED = re.compile(r"(?<![\w.])(?!(19|20)\d\d\b)\d|%|\b(percent|found|finds|shows|showed|shown|reported|improv\w*|"
                       r"increas\w*|reduc\w*|lower\w*|cut|kept|faster|slower|more|less|fewer|better|worse|no change|"
                       r"didn'?t|did not|halv\w*|doubl\w*|which|that|when|where|if)\b", re.I)


# a verbless attribution: "From the 2019 review of 12 trials", "Figures from the big marathon injury trial"
_ATTRIBUTION = re.compile(rf"^[^.;]{{0,90}}\b({_SOURCE_NOUNS}|(position )?stand|summary|newsletter|handout|notes|caption)"
                          r"(\s+(of|in|from|on|with|by)\s+[^.;]{0,70})?$", re.I)


def remark_on_source(part: str) -> bool:
    """A remark about a study or source rather than a statement of what it found: "Piacentini's trial is small but
    telling", "Støren's study is the one I send to doubters", "Neat little trial for the home-gym crowd", or a
    verbless attribution ("From the 2019 review of 12 trials and 3,000 athletes")."""
    ws = _words(part)
    past = next((i for i in range(1, len(ws)) if _bare(ws[i]) in _PAST), None)
    v = min((i for i in (past, _first_verb(ws)) if i is not None), default=None)
    if v is None and _ATTRIBUTION.match(part) and not re.search(r"\b(better|worse|improv\w*|more|less|faster|slower|fewer|"
                                                              r"higher|lower|gains?|no change|cut|halved?)\b", part, re.I):
        return True
    if v is not None and re.match(r"(in|across|among|within)\b", part, re.I):
        return False  # "In runner studies body composition doesn't shift": where it was found, then what
    subject, said = (ws, []) if v is None else (ws[:v], ws[v:])
    if not _SOURCE.search(" ".join(subject)) or len(said) > 8 or (v is None and len(ws) > 10) \
            or _CONDITION.match(part) or any(w.endswith(",") for w in subject):  # "When you pool the trials, X is …"
        return False
    if any(re.match(r"(show|suggest|prove|confirm|report|find|found|demonstrat)\w*$", _bare(w)) for w in said[:1] or ws):
        return False  # "the runner-only trials show the same drop": what a source found
    return not any(f(" ".join(said or ws)) for f in (outcomes, _MEASURED.search, _CLAIM_WORDS.search))


def _drop_prefaces(pieces: list[str], claim: str) -> list[str]:
    """Drop lead-ins with nothing to check ("The research here is fairly consistent", "That last point matters") and
    remarks about a source ("X's trial is small but useful") beside the statements that say what it found."""
    if len(pieces) < 2:
        return pieces
    keep = []
    for i, p in enumerate(pieces):
        short = len(p.split()) <= 7
        checkable = bool(outcomes(p)) or bool(re.search(r"\b(lift\w*|strength|squat\w*|heavy|light|reps?|sessions?|"
                                                        r"plyometric\w*|weights?|circuits?)\b", p, re.I))
        if (i < len(pieces) - 1 and ((short and not checkable) or _LEAD_IN.search(p) or _SETUP.match(p))) \
                or remark_on_source(p):
            continue
        if i == len(pieces) - 1 and i > 0 and short and not checkable and _BECAUSE.search(claim) \
                and re.search(rf"\b(because|since|as|given that)\s+{re.escape(p.split()[0])}", claim, re.I):
            continue  # the reason offered ("…, because running is a single-leg sport") is not about lifting
        keep.append(p)
    return keep or pieces


def split_figure_phrase(part: str) -> list[str]:
    """"X improves economy, often by three to eight percent" -> the bare statement and the statement with its figure."""
    m = re.search(r",\s*((often|usually|typically|generally|up to|by|in the range of|around|about|roughly)\b[^,]*?"
                  rf"{_NUM}\s*(%|percent|per cent)[^,]*)(,|$)", part, re.I)
    if not m:
        return [part]
    bare = (part[:m.start()] + part[m.end() - len(m.group(5) or ""):]).strip(" ,")
    return [bare, part] if len(terms(bare)) >= 3 else [part]

