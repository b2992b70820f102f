"""Spelling correction (rapidfuzz): typos fixed, known and short words kept, the same result everywhere."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.corpus import load_corpus
from assistant.scope import SpellFixer as FromScope
from assistant.scope import vocabulary
from assistant.spelling import SpellFixer

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fixer() -> SpellFixer:
    return SpellFixer(vocabulary(s.text for s in load_corpus(REPO / "corpus")))


@pytest.mark.parametrize("typo, meant", [
    ("sqauts", "squats"), ("marthon", "marathon"), ("hevy", "heavy"), ("shuold", "should"),
    ("plyometircs", "plyometrics"), ("runing", "running"), ("strenght", "strength"), ("econmy", "economy"),
    ("injurys", "injury"), ("deadlfits", "deadlifts"),
])
def test_typical_runner_typos_are_corrected(fixer, typo, meant):
    assert fixer.fix_word(typo) == meant


def test_a_question_reads_as_meant(fixer):
    text, fixes = fixer.fix("do sqauts help my marthon")
    assert text == "do squats help my marathon"
    assert fixes == {"sqauts": "squats", "marthon": "marathon"}


def test_known_words_are_kept_with_their_case(fixer):
    text, fixes = fixer.fix("Heavy squats improve Running economy")
    assert text == "Heavy squats improve Running economy" and fixes == {}


def test_short_and_unmatched_words_are_kept():
    f = SpellFixer({"squat", "squats", "legs", "rep", "reps", "marathon"})
    assert f.fix_word("lgs") == "lgs"          # under four letters: never corrected
    assert f.fix_word("rpe") == "rpe"
    assert f.fix_word("xylophone") == "xylophone"  # nothing similar enough
    assert f.fix("Squat") == ("Squat", {})     # known, any case


def test_cutoff_is_inclusive_and_respected():
    f = SpellFixer({"abcdef"}, cutoff=0.8)
    assert f.fix_word("abcd") == "abcdef"      # ratio 2*4/10 = 0.8: exactly the cutoff counts
    assert SpellFixer({"abcdef"}, cutoff=0.81).fix_word("abcd") == "abcd"
    assert f.fix_word("zbcdef") == "zbcdef"    # first letter neither z nor b: not a candidate


def test_ties_go_to_the_first_candidate_in_a_fixed_order():
    # "squaz" is equally close (ratio 0.8) to "squad" and "squat": the alphabetically first wins,
    # whatever order the vocabulary came in
    for vocab in ({"squat", "squad", "squats"}, set(sorted({"squat", "squad", "squats"}, reverse=True))):
        assert SpellFixer(vocab, cutoff=0.8).fix_word("squaz") == "squad"


def test_scope_still_exports_the_spell_fixer():
    assert FromScope is SpellFixer


_PROBE = """
import json
from pathlib import Path
from assistant.corpus import load_corpus
from assistant.scope import vocabulary
from assistant.spelling import SpellFixer
f = SpellFixer(vocabulary(s.text for s in load_corpus(Path('corpus'))))
print(json.dumps([f.fix_word(w) for w in ["sqauts", "lifz", "econmy", "tendn", "strenth", "plyos", "runnr", "wieghts"]]))
"""


def test_corrections_are_the_same_in_every_process():
    outs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-c", _PROBE], cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        outs.add(proc.stdout.strip())
    assert len(outs) == 1, outs
    assert json.loads(outs.pop())[0] == "squats"


def test_real_english_words_are_never_corrected_into_corpus_words():
    from assistant.settings import Settings
    from assistant.spelling import english_words

    english = english_words(Settings().model_path)
    assert {"spring", "plank", "garden"} <= english and "shuold" not in english
    vocab = vocabulary(s.text for s in load_corpus(REPO / "corpus"))
    plain, guarded = SpellFixer(vocab), SpellFixer(vocab, english=english)
    assert plain.fix_word("spring") == "sprain"          # what the corpus vocabulary alone would do
    assert guarded.fix_word("spring") == "spring"        # a real word stays itself
    assert guarded.fix_word("sqauts") == "squats"        # typos are still corrected


def test_regular_inflections_of_real_words_are_kept_and_typos_still_fixed():
    from assistant.settings import Settings
    from assistant.spelling import english_words

    vocab = vocabulary(s.text for s in load_corpus(REPO / "corpus"))
    fixer = SpellFixer(vocab, english=english_words(Settings().model_path))
    assert "spacing" not in fixer.english  # not a whole WordPiece word, but "space" + ing
    for word in ("spacing", "spaced", "deloading", "boosts", "completely", "marathoner", "haven't", "shouldn’t",
                 "supershoes"):  # two known words written as one are not a typo
        assert fixer.fix_word(word) == word
    for typo, meant in (("runing", "running"), ("injurys", "injury"), ("lifitng", "lifting")):
        assert fixer.fix_word(typo) == meant
