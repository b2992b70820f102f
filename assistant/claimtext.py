"""The vocabulary of claims: what a claim is about (outcomes), which way it points (effect, null, harm),
what narrows it (populations, "only", qualifiers, comparisons) and how polarity is read."""
from __future__ import annotations

import re
from functools import lru_cache

from .claims import antonym_flips, is_negated

# -- outcomes: what a claim is about (general vocabularies, used to keep ledger matches on topic) -------------
OUTCOMES = {
    "economy": r"\b(running economy|economy|economical(ly)?|efficien\w*|oxygen cost|energy cost|less (oxygen|energy)|stride)\b",
    "vo2max": r"\b(vo2 ?max|aerobic capacity|maximal oxygen uptake)\b",
    "performance": r"\b(faster|speed|quicker|time[- ]trials?|5 ?k|10 ?k|5-km|10-km|pb|pr|personal best|race times?|"
                   r"performance|run longer|endurance|sprint\w*)\b",
    "marathon": r"\b(marathon\w*|42 ?k\w*|long races?)\b",
    "fatigue": r"\b(fatigu\w*|late in|final (stages|kilomet\w*|metres)|tired)\b",
    "injury": r"\b(injur\w*|healthy|on the road|durab\w*|achilles|runner'?s knee|patellofemoral|shin|tendon\w*|"
              r"(get|gets|getting|got) hurt|risk[- ]free|risky|unsafe|safe|dangerous)\b",
    "muscle": r"\b(bulk\w*|muscle|muscles|muscular|hypertroph\w*|lean mass|body ?weight|body mass|weight gain|gain weight|"
              r"size|big|bigger)\b",
    "fat": r"\b(body[- ]fat|fat)\b",
    # ("maximal strength training" is what was done, not an outcome)
    "strength": r"\b(stronger|1rm|max(imal|imum)? strength(?! (training|work|programmes?|sessions?))|power (gains?|development|output)|explosive\w*(?! (strength )?(training|work|programmes?|exercises?|lifts?|jumps?|sessions?))|strength (you|they|we) (build|gain|get|make)|top[- ]end strength|one[- ]rep(etition)? max\w*|strength gains?|force)\b",
    "bone": r"\b(bone\w*|osteop\w*)\b",
    "taper": r"\b(taper\w*|before (a|the|your|race)|race (week|day)|stop (lifting|strength)|detrain\w*|cessation)\b",
}
_OUTCOME_RX = {k: re.compile(v, re.I) for k, v in OUTCOMES.items()}

# Effect direction in a finding: "no change" beats "improved" in the same sentence.
_NULL = re.compile(r"\b((no|without any|without a) ([\w-]+ ){0,2}?(change|effect|difference|reduction|"
                   r"improvement|benefit|gain)s?|(did not|didn't)(?! (lift|train|do|take|exercise|add|perform|complete|run|follow|depend)\b)|does not(?! depend\b)|unchanged|not (change|improve|predict|reduce|differ)\w*|"
                   r"trivial|failed to|unaffected|no better|no (fewer|less|lower|smaller|faster)|nearly identical|null|neither)\b", re.I)
_EFFECT = re.compile(r"\b(improv\w*|increas\w*|rose|raised?|gain\w*|better|faster|reduc\w*|lower\w*|cut|fewer|"
                     r"benefit\w*|effective|helped|boost\w*|larger|greater|enhanc\w*|prevent\w*|held|kept|maintain\w*)\b", re.I)
_HARM = re.compile(r"\b(worse\w*|slower|slows?|hurts?|harm(s|ed|ful)?|impair(s|ed)?|damag\w*|dangerous|risky|unsafe|detriment\w*|"
                   r"interfer(es|ed)?|blunt(s|ed)?|ruin(s|ed)?|kills?|wreck(s|ed)?|takes? a hit|(los(e|es|t|ing)|costs?|costing) (\w+ ){0,3}(gains?|economy|strength|fitness|benefits?|progress|speed)|(causes?|caused|causing|leads? to|led to) (\w+ )?(fractures?|"
                   r"injur\w+|breaks?)|breaks? (your |their )?bones?)\b", re.I)
_ONLY = re.compile(r"\b(only|just)\b\s+(\w+\s+){0,3}?(sprinters?|middle[- ]distance|elite|beginners?|novices?|women|men|"
                   r"young|older|masters?|triathletes?|cyclists?)", re.I)
_COMPARE = re.compile(r"\b((better|worse|greater|bigger|larger|faster|slower|stronger|higher|lower|heavier|lighter|"
                      r"smaller|fewer)\s+(\w+\s+){0,3}?than|(more|less)\s+(\w+\s+){1,3}?than|as much as|as well as|"
                      r"as good as|just as|as \w+ as|(the )?same\b(?! (session|day|workout|time|week|morning|evening))|equally|equal|matches?|beats?|outperforms?|versus|vs)\b", re.I)
# When one session comes relative to another ("in the same session", "3 h apart", "right after a run").
TIMING = re.compile(r"\b(same (session|day|workout)|right (after|before)|straight after|(hours?|h) (apart|after|before|between)|"
                    r"separat\w*|spac(e|ed|ing)\b|different time|back[- ]to[- ]back|(before|after) (a|the|your) (run|session)|"
                    r"morning|evening|afternoon)\b", re.I)
# A restriction on where a claim holds ("especially at faster paces", "late in a race", "at marathon pace").
_QUALIFIED = re.compile(r"\b(especially|particularly|mainly|mostly|most when|biggest|at (faster|higher|quicker|high|fast) "
                        r"(paces?|speeds?)|when (you are |you're )?running fast|quicker paces|at marathon pace|"
                        r"late in|when fatigued|when tired)\b", re.I)
# Who a claim is about, when it narrows the population.
_POPULATION = re.compile(r"\b(beginn\w*|novices?|new to|untrained|older|elderly|women|female|masters?|elite|soccer|team[- ]sport|"
                         r"young|adolescents?|teen\w*|youth|sprinters?|cyclists?|triathletes?|osteop\w*|bone density)\b", re.I)
# A negation inside a relative clause ("muscles that can't handle the load") does not negate the claim.
_NEG_RELATIVE = re.compile(r",?\s+(that|which|who)\s+(can't|cannot|can not|don't|doesn't|won't|isn't|aren't|never|"
                           r"do not|does not|will not|is not|are not|didn't|did not|wasn't|was not|weren't|were not|"
                           r"haven't|have not|hadn't|had not)\b[^,.;]*", re.I)
# A negation inside a condition ("if you have never lifted, don't start heavy") does not negate the claim.
_NEG_CONDITION = re.compile(r"^\s*(if|when|unless|until|once)\b[^,;]*,\s*|\s+(if|when|unless|until)\s+[^,;]*"
                            r"\b(never|not|n't)\b[^,;]*", re.I)
_DOMAIN_WORD = re.compile(r"\b(strength|lift\w*|weights?|barbells?|squat\w*|deadlift\w*|plyometric\w*|resistance|sessions?|reps?|"
                          r"sets?|triples|doubles|singles|"
                          r"circuits?|gym|race\w*|taper\w*)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(I|I'?ve|I'm|[Mm]y|[Mm]e)\b")
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
            "fifty": 50, "half": 50, "a third": 33, "once": 1, "twice": 2, "a quarter": 25}
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(sorted(_WORDNUM, key=len, reverse=True)) + r")"
# a figure the claim denies ("about 4%, not the 10-15% some quote", "rather than 8%"): neither its figure nor a negation
_DENIED_FIGURE = re.compile(rf"[,;]?\s*\b(?:and\s+)?(not|rather than|instead of|never)\s+(the\s+|a\s+)?(claimed\s+|quoted\s+)?"
                            rf"{_NUM}(\s*(?:[-–]|to)\s*{_NUM})?\s*(%|percent|per cent)[^,;.]*", re.I)


# Wordings whose opposite-word reading misleads: "costs you less" is "more economical".
_POLARITY_NORMAL = [
    (re.compile(r"\b(costs?|costing|uses?|using|burns?|needs?)\s+(you\s+|them\s+)?less\s+(energy|oxygen)?", re.I),
     "is more economical "),
    (re.compile(r"\bless\s+(energy|oxygen)\b", re.I), "more economy"),
    # "should never lift heavy" says what "should stay away from heavy lifting" says, without a negation to flip
    (re.compile(r"\b(should|must|need to|needs to|ought to|have to|has to)\s+(never|not)\s+", re.I), "should avoid "),
    (re.compile(r"\b(shouldn['’]?t|mustn['’]?t)\s+(ever\s+)?", re.I), "should avoid "),
]

# -- who a claim is about: population groups, read the same way in claims, ledger texts and study populations --
POPULATIONS = {
    "youth": r"\b(teen\w*|adolescen\w*|youth|juniors?|high[- ]school\w*|school ?kids|kids|children|young (distance )?"
             r"(runners|athletes)|aged 1\d\s*[–-]\s*1\d|under[- ]18s?|1\d\s*[–-]\s*1[0-8][- ]?(years?|yrs?)[- ]?olds?|"
             r"1[0-7][- ]?(years?|yrs?)[- ]?olds?|1[0-7] ?(y/o|yo))\b",
    "masters": r"\b(masters?|veterans?|over[- ](40|45|50|60)s?|past (40|45|50|60)|in (their|your|my) (40s|50s|60s)|"
               r"older (runners|athletes|marathoners|lifters)|middle[- ]aged|master marathon|[4-7]\d[- ]?(years?|yrs?)[- ]?olds?|"
               r"aged [4-7]\d|(i'?m|i am) [4-7]\d|[4-7]\d ?(y/o|yo|yr old))\b",
    "women": r"\b(women|woman|female|females|girls|ladies)\b",
    "older-women": r"\b(postmenopausal|post-menopausal|menopaus\w*|osteop\w*|low bone|bone density|older women)\b",
    "beginners": r"\b(beginn\w*|novices?|newbies?|newcomers?|new to (running|lifting|strength|the gym)|untrained|first[- ]time\w*|"
                 r"never lifted|new lifters?)\b",
    "elite": r"\b(elite|highly trained|professional|world[- ]class)\b",
    "sprinters": r"\b(sprinters?|middle[- ]distance)\b",
    "other-sport": r"\b(triathl\w*|duathl\w*|cyclists?|soccer|footballers?|team[- ]sports?|skiers?|swimmers?)\b",
}
_POP_RX = {k: re.compile(v, re.I) for k, v in POPULATIONS.items()}
_MEN = re.compile(r"\b(men|male|males|boys)\b", re.I)


def populations(text: str, study: bool = False) -> set[str]:
    """The population groups a text names; in a study's population line, "women" only when no men took part."""
    out = {k for k, rx in _POP_RX.items() if rx.search(text)}
    if study and "women" in out and _MEN.search(text) and "older-women" not in out:
        out.discard("women")
    return out


# "... the same boost that adult runners do": a comparison between populations is a claim about the first one
_POP_COMPARE = re.compile(r"\b(as|than|that)\b[^,.;]{0,40}\b(adults?|grown[- ]ups|younger|older|men|women|males?|"
                          r"females?|seniors?|juniors?|everyone else|other runners)\b", re.I)


def compares_populations(text: str) -> bool:
    return bool(populations(text)) and bool(_POP_COMPARE.search(text))


# Absolute wording: a claim that something always / completely happens is not carried by evidence that is mixed.
ABSOLUTE = re.compile(r"\b(completely|entirely|totally|wipes? out|wiped out|cancel(s|led|ling)?|"
                      r"eliminates?|erases?|always|every single|every (runner|athlete|lifter|one)|everyone|guarantee[sd]?|certain(ly)? to|100 ?%|all of (it|them|those)|"
                      r"(does|do|did) (absolutely )?nothing|no (effect|benefit|difference) (at all|whatsoever)|zero (effect|benefit)|"
                      r"useless|pointless|worthless|a waste of time|risk[- ]free|(nobody|no one) (ever )?(gets?|got))\b", re.I)
# "every study shows", "all the trials found": the claim is that no study found otherwise
EVERY_STUDY = re.compile(r"\b(every|all|each)( (the|of the|single|last|one))? (study|studies|trials?|papers?|pieces? of research|"
                         r"meta-?analys[ie]s|reviews?)\b|\b(no|not a single|not one) (study|trial) (has )?(ever )?"
                         r"(found|failed|shown|showed) (otherwise|anything else|no)\b", re.I)
# A figure stated in a claim ("about 4%", "three to eight percent"): a ledger text with one judges only claims with one
FIGURE = re.compile(r"\d+(\.\d+)?\s*(%|percent|per cent)|\b(one|two|three|four|five|six|seven|eight|nine|ten|"
                    r"twelve|fifteen|twenty|thirty|fifty)\b[^.;,]{0,12}\b(percent|per cent)\b", re.I)


def normalise_polarity(text: str) -> str:
    for rx, rep in _POLARITY_NORMAL:
        text = rx.sub(rep, text)
    return " ".join(text.split())


_NEG_CONTRAST = re.compile(r",\s*(and\s+)?not\s+[^,.;]*", re.I)   # "from force, not from endless reps"


# A claim that something does not change says what a negated one says ("leaves VO2max unchanged" = "doesn't raise
# VO2max"); "neither X nor Y" is one negation, not two
_NULL_CLAIM = re.compile(r"\b(unchanged|unaffected|(stays?|stayed|remains?|remained|holds?) (the same|put|flat|steady|unchanged)|"
                         r"(stays?|stayed|remains?|remained) (where|as) (they|it|he|she) (were|was|are|is)|"
                         r"no (real |meaningful )?change)\b", re.I)
_NEITHER_NOR = re.compile(r"\bneither\b([^.;]*?)\bnor\b", re.I)


def negated(text: str) -> bool:
    """The claim's main clause is negated (negations in relative clauses and contrasts don't count) — or it
    denies strength training in a contrast: "economy comes from running more, not from the weight room"."""
    text = _NEITHER_NOR.sub(r"not\1or", text)
    text = _NEG_CONDITION.sub("", re.sub(r"\bnothing but\b", "only", _DENIED_FIGURE.sub("", text), flags=re.I))
    main = _NEG_CONTRAST.sub("", _NEG_RELATIVE.sub("", text))
    if main != text and _DOMAIN_WORD.search(text) and not _DOMAIN_WORD.search(main):
        return not _negated_main(main)
    return _negated_main(main)


# "anyone promising you X is overselling it": the claim denies X
_DENIAL = re.compile(r"\b(anyone|anybody|people|those|coaches|whoever|the (idea|notion|claim|belief) that)\b[^.;]{0,100}?"
                     r"\b(is|are)\s+(just\s+|simply\s+)?(overselling|overstating|exaggerating|wrong|mistaken|kidding)\b", re.I)


def _negated_main(main: str) -> bool:
    return (is_negated(main) != bool(_NULL_CLAIM.search(main))) != bool(_DENIAL.search(main))


def outcomes(text: str) -> set[str]:
    return {k for k, rx in _OUTCOME_RX.items() if rx.search(text)}



_REPS = re.compile(rf"\b{_NUM}\s*(?:[–-]|to)\s*{_NUM}\s*(?:reps?|repetitions|RM)\b|\b{_NUM}\s*(?:reps?|repetitions|RM)\b|"
                   rf"\bsets? of {_NUM}\b|\b\d+\s*[x×]\s*(\d+)\b|\b(triples|doubles|singles)\b", re.I)
_REP_WORDS = {"triples": 3, "doubles": 2, "singles": 1}


# numerals written as words; "half", "once", "a third" and the like are doses or shares, not stated numbers
_NUMERALS = {w: n for w, n in _WORDNUM.items() if " " not in w and w not in {"half", "once", "twice"}}


def numbers(text: str) -> set[float]:
    """The numbers a text states, in digits or words ("four weeks", "3.9%", "−6.31%")."""
    text = text.replace("−", "-")
    found = {float(x) for x in re.findall(r"(?<![\w.])(\d+(?:\.\d+)?)", text)}
    return found | {float(_NUMERALS[w.lower()]) for w in re.findall(rf"\b({'|'.join(_NUMERALS)})\b", text, re.I)}


def percents(text: str) -> set[float]:
    """The numbers a text states as percentages ("10%", "3.9 percent"): a 10% gain is not a 10-km race."""
    text = text.replace("−", "-")
    return {float(x) for x in re.findall(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)", text, re.I)}


def _num(w: str) -> float:
    """A number written in digits or words ("three", "twice") as a float."""
    w = w.lower()
    return float(_WORDNUM[w]) if w in _WORDNUM else float(w)


@lru_cache(maxsize=4096)  # asked of every ledger claim a part is matched against
def doses(text: str) -> dict[str, tuple[float, float]]:
    """The doses a text states, as ranges: reps per set ("3-6 reps", "sets of three", "4x5", "triples") and
    sessions a week ("twice a week")."""
    from .text import weekly_counts

    out: dict[str, tuple[float, float]] = {}
    reps = []
    for m in _REPS.finditer(text):
        g = [x for x in m.groups() if x]
        reps += [_REP_WORDS[g[0].lower()]] if g[0].lower() in _REP_WORDS else [_num(x) for x in g]
    if reps:
        out["reps"] = (min(reps), max(reps))
    weekly = weekly_counts(text)
    if weekly:
        out["sessions"] = (min(weekly), max(weekly))
    return out


def other_doses(a: str, b: str) -> bool:
    """Do two texts state different doses of the same kind (8–12 reps against three to six; once a week against two)?"""
    da, db = doses(a), doses(b)
    return any(k in db and (lo > db[k][1] or hi < db[k][0]) for k, (lo, hi) in da.items())


# -- claim-check readings (checker.py) ------------------------------------------------------------------------
# "…improves economy more than one", "twice a week beats once": one dose set against another
DOSE_COMPARED = re.compile(r"\bmore than (one|two|three|four|once|twice|\d)\b(?!\s*(%|percent|kg|lbs?|reps?|weeks?|months?))",
                           re.I)
TREATS = re.compile(r"\b(fix(es|ed)?|cures?|cured|treat(s|ed|ing|ment)?|heals?|rehab\w*)\b[^.;]{0,60}\b(pain|injur\w*|knee|achilles|"
                    r"tendon\w*|tendin\w*|shins?|hips?|back|fracture\w*|plantar|itb|it band)|\b(have|has|having|if you('ve| have)?)"
                    r"\b[^.;]{0,25}\b(pain|an injury|injured|runner'?s knee|tendin\w*|shin splints|a stress fracture)", re.I)
# what happened to the speaker ("took three minutes off", "I haven't been hurt since"), not a practice ("why I programme heavy")
EXPERIENCED = re.compile(r"\b(\w{3,}ed|took|got|ran|felt|went|did|had|made|lost|knocked|shaved|been|gone|run|hit|set|broke|"
                         r"came|grew|kept)\b", re.I)
_BETTER = re.compile(r"\b(improv\w*|better|more economical|faster|quicker|boost\w*|enhanc\w*)\b", re.I)
# what a ledger text says lifting does for an outcome ("builds bone density", "strengthens bones")
_GAINS = re.compile(rf"{_BETTER.pattern}|\b(strengthens?|builds?|helps?|raises?|increases?|gains?|protects?)\b", re.I)


def worse_for_better(part: str, ref: str) -> int:
    """1 when the part speaks of making an outcome worse ("made economy worse"; negated, "doesn't hurt economy")
    where the ledger text says it makes it better ("makes runners more economical") and no opposite-word pair says
    so already: "worse" reverses "better", and "doesn't hurt" then agrees with it."""
    if negated(ref) or antonym_flips(part, ref) or not _GAINS.search(ref) or _HARM.search(ref):
        return 0
    return int(bool(_HARM.search(part)) and not _BETTER.search(part))


# "as well as", "just as", "equally": one thing matching another, which denies that either beats the other
# (not "X builds strength as well as muscle", which is "and"; nor "by as much as 8%", a size)
_EQUAL = re.compile(r"\b(as (good|effective(ly)?|far|fast) as|as much as(?! (\d|one|two|three|four|five|six|seven|eight|nine|"
                    r"ten)\b)|just as|equally|every bit as|on (a )?par|the same (as|amount|benefit|protection|effect|gains?)|"
                    r"matche[sd]?|match)\b", re.I)
_SUPERIOR = re.compile(r"\b((better|more|greater|bigger|larger|superior|stronger|faster)\b[^.;]{0,60}?\bthan|beats?|beat|"
                       r"outperform\w*|superior to|ahead of)\b", re.I)


def equal_for_better(part: str, ref: str) -> int:
    """1 when one text says two things match ("stretching prevents injuries as well as lifting") and the other that
    one beats the other ("lifting prevents injuries better than stretching"): the one denies the other."""
    eq_part, eq_ref = bool(_EQUAL.search(part)), bool(_EQUAL.search(ref))
    sup_part, sup_ref = bool(_SUPERIOR.search(part)), bool(_SUPERIOR.search(ref))
    return int((eq_part and not sup_part and sup_ref and not eq_ref) or (eq_ref and not sup_ref and sup_part and not eq_part))
