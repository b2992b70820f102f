"""Reading a runner's week, the subject of a question, and the polarity and scope of a claim's parts."""
from __future__ import annotations

import re

import pytest

from assistant.claimtext import negated
from assistant.decompose import decompose
from assistant.outline import schedule_note
from assistant.runner import runner_context
from assistant.scope import analyse
from assistant.text import weekly_counts

WEEK = ("Half in 9 weeks. My week:\nTue - club intervals\nThu - tempo 8-10k\nSat - easy 6k\nSun - long run\n"
        "Mon, Wed, Fri are rest days. I'm planning 2 sessions a week of squats and RDLs.")


def _ctx(text: str):
    return runner_context(text, analyse(text, None))


def test_a_schedule_written_a_line_a_day_is_read_as_one():
    ctx = _ctx(WEEK)
    assert ctx.run_days == ["tue", "thu", "sat", "sun"]  # the rest days are not run days
    assert ctx.hard_days == ["tue", "thu"] and ctx.long_run_day == "sun"
    assert not ctx.race_soon  # "tempo 8-10k" then "Sat" on the next line is not a 10k on Saturday
    assert ctx.runs_per_week is None  # two lifting sessions a week are not two runs


@pytest.mark.parametrize("text, run_days", [
    ("Deadlifts on FRIDAY, 32k long run on SATURDAY - bad idea?", ["sat"]),
    ("Runs tue/thu/sat (long run sat), squats on mon", ["tue", "thu", "sat"]),
    ("Mon easy run, Tue deadlifts, Wed intervals and Sun long run", ["mon", "wed", "sun"]),
    ("I run mon, wed and fri, long run sat", ["mon", "wed", "fri", "sat"]),
])
def test_a_day_named_with_a_lift_in_its_own_clause_is_not_a_run_day(text, run_days):
    assert _ctx(text).run_days == run_days


def test_a_race_on_a_named_day_is_still_soon():
    assert _ctx("My 10k is on Saturday, should I lift this week?").race_soon


def test_with_one_clear_day_the_second_session_goes_after_a_hard_run():
    note = schedule_note(_ctx(WEEK))
    assert note.startswith("Lift on Tue and Fri") or note.startswith("Lift on Thu and Fri") or \
        note.startswith("Lift on Tue and Thu")
    assert "after the hard session" in note and "convention" in note


def test_the_placement_leads_when_the_runner_asks_which_days(assistant):
    ans = assistant.ask(WEEK + " Which two days should the lifting go on?")
    assert ans.answer.startswith("Lift on"), ans.answer[:200]
    other = assistant.ask(WEEK + " Should the squats be heavy?")
    assert not other.answer.startswith("Lift on")


def test_a_clinician_named_as_the_source_of_advice_is_not_a_condition(assistant):
    ans = assistant.ask("My physio has been on at me to start lifting. How many sessions a week should I do?")
    assert "see-clinician" not in {c.id for c in ans.caveats}
    hurt = assistant.ask("My knee hurts after runs. How many sessions a week should I lift?")
    assert "see-clinician" in {c.id for c in hurt.caveats}


@pytest.mark.parametrize("text, counts", [
    ("is one session a week worth it", {1.0}), ("2x/wk", {2.0}), ("twice weekly", {2.0}),
    ("every other week", {0.5}), ("4 runs a week", set()), ("one session a fortnight", {0.5}),
    ("once every 2 weeks, or once a week?", {0.5, 1.0}),
])
def test_weekly_counts(text, counts):
    assert weekly_counts(text) == counts


def test_a_question_about_a_dose_the_guide_opening_does_not_name_gets_the_sentence_that_does(assistant):
    ans = assistant.ask("I've never done any strength work. Is one session a week going to do anything for my running?")
    first = ans.answer.split("\n")[0]
    assert "1 session a week" in first or "once a week" in first, first


def test_a_question_about_eating_around_lifting_is_declined_with_its_follow_on(assistant):
    u = assistant.understand("1) can I lift on an empty stomach or should I have breakfast first? how many grams? "
                             "2) my squat is 80kg x 8, should I do fewer reps with more weight?")
    scope = [p.in_scope for p in u.parts]
    assert scope[-1] and not any(scope[:-1]), [(p.text, p.in_scope) for p in u.parts]


def test_a_new_lifter_asking_about_injuries_gets_an_injury_answer(assistant):
    u = assistant.understand("Never lifted before. Does a hip and core routine reduce injuries for beginners?")
    assert u.parts[0].qtype == "injury"


@pytest.mark.parametrize("text, neg", [
    ("Lifting leaves VO2max more or less unchanged", True),
    ("It neither builds nor costs you aerobic capacity", True),
    ("Lifting raises VO2max", False),
    ("Body weight doesn't stay the same", False),
])
def test_a_claim_that_nothing_changes_reads_as_negated(text, neg):
    assert negated(text) is neg


def test_a_leading_condition_is_kept_with_each_part_not_taken_as_the_subject():
    parts = decompose("If speed is the goal, heavy squats are the best tool and do far more than circuits.")
    assert parts == ["If speed is the goal, heavy squats are the best tool",
                     "If speed is the goal, heavy squats do far more than circuits"]


def test_a_curated_untested_claim_shows_the_nearest_evidence(assistant):
    res = assistant.check("Heavy lifting will take minutes off your marathon finishing time.")
    assert res.verdict == "no-evidence"
    assert res.citations and "nearest" in res.answer.lower()


def test_a_question_about_a_group_leads_with_what_that_groups_studies_found(assistant):
    ans = assistant.ask("Does lifting improve running economy in women too, or only in men?")
    first = ans.answer.split("\n")[0]
    assert "female" in first.lower() or "women" in first.lower(), first


def test_a_question_pointing_back_at_outside_subjects_is_declined_beside_the_strength_part(assistant):
    u = assistant.understand("My friend swears by magnesium at night and a cold plunge after the gym. Do those help "
                             "soreness? And should leg day move further from my track session?")
    assert [p.in_scope for p in u.parts][-1] and u.parts[-1].qtype == "scheduling"
    ans = assistant.ask("My friend swears by magnesium at night and a cold plunge after the gym. Do those help "
                        "soreness? And should leg day move further from my track session?")
    assert not ans.refused


def test_a_conclusion_drawn_from_an_untested_statement_is_untested_too():
    from assistant.decompose import decompose_marked

    parts = decompose_marked("Beetroot juice doubles strength gains, so every runner who lifts should drink it.")
    assert [c for _, c in parts] == [False, True]
    assert decompose_marked("Lifting makes you stronger, so you run faster.")[1][1] is False  # a claim of its own


def test_a_lifter_asking_about_every_other_week_gets_the_maintenance_finding_not_the_starting_gap(assistant):
    ans = assistant.ask("I've lifted twice a week since January. Over the summer I can only get to the gym once every "
                        "2 weeks. Will that hold my strength, or do I need once a week?")
    first = ans.answer.split("\n")[0]
    assert "every second week" in first or "every other week" in first, first


def test_half_the_club_is_not_a_half_marathon():
    assert _ctx("Half the club is 50+ and nervous about barbells.").race is None
    assert _ctx("My half is in May, should I lift?").race == "half"


def test_a_race_on_the_weekday_is_soon():
    assert _ctx("3 weeks out from the marathon I have a 30k tune-up race on the Sunday.").race_soon


def test_a_follow_up_with_its_own_schedule_takes_its_own_type_but_does_that_change_it_keeps_the_topic(assistant):
    first = [{"role": "user", "content": "I've never lifted. How heavy should I start?"},
             {"role": "assistant", "content": "Start moderate, with loads you can lift 8-12 times."}]
    u = assistant.understand("ok but i can only lift right after my tempo runs on tuesdays, does that mess it up", first)
    assert u.parts[0].qtype == "scheduling"
    bulk = [{"role": "user", "content": "Will heavy squats make my legs bulky? I lift twice a week."},
            {"role": "assistant", "content": "Unlikely to be visible: body weight usually stayed the same."}]
    u = assistant.understand("ok but what if i do 3 sessions a week instead of 2, does that change it?", bulk)
    assert u.parts[0].qtype == "muscle-mass"


def test_every_beginners_answer_carries_the_progression_caveat(assistant):
    ans = assistant.ask("Where should I start with lifting, and how fast should I add weight?")
    assert "beginner-progression" in {c.id for c in ans.caveats}


def test_a_second_clause_with_a_plural_subject_is_its_own_part_but_not_past_a_comma():
    assert decompose("Lifting cuts sports injuries to a third, and the runner-only trials show the same drop.") == [
        "Lifting cuts sports injuries to a third", "The runner-only trials show the same drop"]
    assert len(decompose("Lifters kept better economy and strength at week 20, while the controls didn't change.")) == 1


def test_a_kind_of_study_is_not_taken_for_a_named_source(assistant):
    res = assistant.check("Runner-specific trials show strength training cuts running injuries to about a third.")
    assert res.verdict == "not-supported"
    assert "Runner-specific" not in res.answer.split("\n\n")[1]  # no "my sources don't include “Runner-specific”"


def test_a_jump_in_a_lift_is_not_plyometrics_but_jumps_against_squats_are(assistant):
    u = assistant.understand("My squat went from 70 to 85kg in 4 weeks. Is that jump all nervous system?")
    assert u.parts[0].qtype != "plyometrics"
    u = assistant.understand("I have 30 minutes twice a week: box jumps and bounding, or heavy squats. "
                             "Which does more for running economy?")
    assert u.parts[0].qtype == "plyometrics"


def test_a_question_about_vo2max_gets_the_sentence_that_names_it_and_eat_into_is_not_eating(assistant):
    ans = assistant.ask("I worry lifting will eat into my aerobic fitness - will my VO2max drop because my legs are "
                        "always tired from squats?")
    first = next(line for line in ans.answer.split("\n") if line.strip() and not line.startswith("**"))
    assert "VO2max" in first, ans.answer[:300]
    assert "outside what my sources cover" not in ans.answer


CLAIMS = [  # (claim, verdict, what the reading gets right)
    ("Only light sets done to failure make muscles grow.", "not-supported", "an exclusive claim"),
    ("Heavy lifting is the only kind of strength work that lowers injury risk.", "not-supported", "the only way"),
    ("It only takes two heavy sessions a week to see results.", "supported", "only as enough"),
    ("Pooled, lifting improves running economy by about 4% on average, not the 10-15% some influencers quote.",
     "supported", "a figure the claim denies is neither its figure nor a negation"),
    ("Ferrauti's 2010 study showed that two strength sessions a week made recreational marathoners more economical.",
     "not-supported", "what a named study found, not the topic at large"),
    ("Støren's trial is the one to quote: runners who did nothing but heavy half-squats ran about 5% more economically.",
     "supported", "a study named before the part, and 'nothing but' is not a negation"),
    ("If you have never lifted, don't start with heavy triples: begin at 8-12 reps and add load in small steps.",
     "supported", "a negation in a condition and an imperative with no subject"),
    ("Lifting once every other week is plenty to hold on to your strength in season.", "not-supported",
     "every other week names a dose"),

    ("Worried about bulk? Heavy sets of three reps add some muscle.", "supported", "a question is not a claim"),
    ("Adding heavy lifting leaves a trained runner's VO2max more or less unchanged.", "supported", "no-change wording"),
    ("If you want your economy to move at all, you need a minimum of three lifting sessions every week.",
     "not-supported", "a minimum dose"),
    ("Taking creatine every morning doubles the strength gains runners get from lifting.", "no-evidence",
     "a subject outside the sources"),
    ("Meta-analyses show strength training cuts sports injuries to about a third.", "supported", "sport in general"),
    ("In trials of runners alone, strength training cut running injuries to about a third.", "not-supported",
     "runners alone"),
    ("A 2020 paper found beetroot juice doubles strength gains, so every runner who lifts should drink it.",
     "no-evidence", "a conclusion of an untested premise"),
    ("Expect to put on 3 to 5 kg of body weight in your first months of heavy lifting.", "not-supported",
     "kilograms of body weight"),
    ("Heavy lifting won't put 3 kg of body weight on a runner.", "supported", "kilograms, negated"),
    ("You need at least 16 weeks of lifting before running economy improves at all.", "not-supported",
     "a programme-length minimum"),
    ("Eight weeks of heavy half-squats are enough to improve running economy.", "supported", "a programme length"),
    ("Anyone promising you a guaranteed marathon improvement from squats is overselling it.", "supported",
     "a denial by 'overselling'"),
]


@pytest.mark.parametrize("claim, verdict, reading", CLAIMS, ids=[c[2] for c in CLAIMS])
def test_claim_verdicts_read_as_written(assistant, claim, verdict, reading):
    res = assistant.check(claim)
    assert res.verdict == verdict, res.answer


def test_a_how_long_question_gets_how_many_weeks_it_took_but_not_how_long_gains_last(assistant):
    from assistant.text import asks_duration

    assert asks_duration("is 8 weeks even long enough to get anything out of it for my economy?")
    assert not asks_duration("how long can I go with no lifting before the economy benefit disappears?")
    ans = assistant.ask("I have 8 weeks before my 10k. Is 8 weeks of lifting long enough to improve my running economy?")
    first = next(line for line in ans.answer.split("\n") if line.strip() and not line.startswith("**"))
    assert "weeks" in first, first


@pytest.mark.parametrize("question", [
    "How long until I notice a difference in my running once I start lifting?",
    "when will I start seeing results from the gym in my running",
])
def test_when_will_it_show_is_answered_with_how_many_weeks_it_took(assistant, question):
    from assistant.text import asks_duration

    assert asks_duration(question)
    ans = assistant.ask(question)
    first = next(line for line in ans.answer.split("\n") if line.strip() and not line.startswith("**"))
    assert re.search(r"\d+ weeks", first), first


def test_a_gap_about_another_timing_does_not_answer_a_same_day_question(assistant):
    from assistant.lead import timings

    assert timings("squats on Saturday, long run on Sunday") == {"adjacent days"}
    assert timings("am I overdoing it?") == set()
    ans = assistant.ask("does lifting on the same day as my tempo run ruin the tempo? i usually do tempo tuesday mornings")
    first = ans.answer.split("\n")[0]
    assert "3 hours" in first and "day before" not in first, first
    # straight after a session is the same session, not the day after
    assert timings("can I lift straight after my intervals at the track?") == {"same day"}
    ans = assistant.ask("Can I do my weights right after my track intervals, or does that wreck the gains?")
    assert "3 hours" in ans.answer.split("\n")[0] and "day before" not in ans.answer.split("\n")[0], ans.answer
    ans = assistant.ask("Can I squat heavy the day before my long run?")  # the gap on that timing still leads
    assert "day before or the day after a long run" in ans.answer.split("\n")[0], ans.answer


def test_how_many_days_a_week_is_answered_with_a_weekly_count(assistant):
    from assistant.text import asks_how_often

    assert asks_how_often("how many gym days can I fit in?") and asks_how_often("how often should I lift?")
    assert not asks_how_often("How many days should there be between a heavy leg session and the long run?")
    assert not asks_how_often("how many reps should I do?")
    ans = assistant.ask("half marathon in 10 weeks, running 4x a week. how many gym days can I fit in without wrecking "
                        "my legs for the long run on sunday?")
    assert "Two sessions a week" in ans.answer.split("\n")[0], ans.answer


def test_too_late_for_jumps_is_answered_with_how_long_the_shortest_programme_ran(assistant):
    for question in ("I have a 10k in 4 weeks - is it too late to start plyometrics?",
                     "race in 5 weeks, how long do plyos take to work?"):
        ans = assistant.ask(question)
        assert "6 weeks (Spurrs 2003)" in ans.answer.split("\n")[0], ans.answer


def test_who_is_asking_said_only_in_the_backstory_picks_the_lead_for_that_group(assistant):
    first = assistant.ask("I'm 61 and have been running for 30 years, mostly 10ks. My physio suggested weights. Is "
                          "lifting safe at my age and will it actually help my running?").answer.split("\n")[0]
    assert first.startswith("Older runners can gain too") and "Piacentini 2013" in first, first


def test_warm_up_sets_and_rep_speed_get_the_honest_gap_with_the_closest_guidance(assistant):
    first = assistant.ask("how many warm-up sets before my working sets? and should reps be explosive or slow and "
                          "controlled?").answer.split("\n")[0]
    assert first.startswith("No study here tested warm-up sets") and "ACSM 2009" in first, first


def test_lifting_every_other_week_is_compared_with_the_maintenance_trial(assistant):
    res = assistant.check("You only need to lift every two weeks to keep your strength.")
    assert res.verdict == "not-supported" and "every second week" in res.answer


@pytest.mark.parametrize("question", [
    "I'm dropping to one lifting session a week for my peak marathon weeks. Is that enough to keep what I built?",
    "Are light band exercises pointless for preventing running injuries?",
    "Will lifting help me late in a marathon when I'm tired?",
])
def test_answers_to_ordinary_questions_never_quote_the_articles_words(assistant, question):
    from assistant.compose import quotes_the_article

    snap = assistant.composer.snapshot
    quoting = {t for t, q in zip(snap.sent_texts, quotes_the_article(snap)) if q}
    assert quoting  # the corpus has such sentences: "…does not show two sessions a week is "plenty"…"
    ans = assistant.ask(question)
    assert not [c.quote for c in ans.citations if c.quote in quoting]


def test_the_guide_short_answer_goes_on_with_its_next_sentence_when_it_is_about_the_question(assistant):
    ans = assistant.ask("Will heavy squats make my legs bulky?")
    quotes = [c.quote for c in ans.citations]
    assert quotes[0].startswith("Expect a little muscle but little change in body weight")
    assert quotes[1].startswith("Body composition was usually unaffected")  # the short answer goes on


def test_late_race_fatigue_is_a_race_question_and_taper_week_is_race_week(assistant):
    u = assistant.understand("Does lifting help in the last 10k of a marathon when everything starts falling apart?")
    assert u.parts[0].qtype == "race-performance"
    assert _ctx("Taper week: do I keep the weights heavy but do fewer sets?").race_soon


def test_decomposing_reasons_reports_and_plural_subjects():
    from assistant.decompose import decompose

    assert decompose("Since economy decides the last 10 km, this will knock minutes off your marathon.") == [
        "Economy decides the last 10 km", "This will knock minutes off your marathon"]
    assert decompose("The reviews put the economy gain at 2-8%, and the meta-analysis that compared them found heavy "
                     "loading came out ahead.") == [
        "The reviews put the economy gain at 2-8%",
        "The meta-analysis that compared them found heavy loading came out ahead"]


def test_a_citation_prefix_never_swallows_a_claim_before_it():
    from assistant.citing import strip_citation

    text = "Reviews put the gain at 2-8%, and a meta-analysis of 22 studies found heavy loading came out ahead."
    assert strip_citation(text, {}) == (text, None)


def test_a_hedge_is_not_an_anecdote_and_this_in_a_claim_is_the_lifting(assistant):
    res = assistant.check("From what I've read, lifting heavy twice a week improves running economy.")
    assert res.verdict == "supported" and "One person's result" not in res.answer
    assert assistant.check("This will knock minutes off your next marathon.").verdict == "no-evidence"


def test_a_first_person_lead_in_does_not_make_an_anecdote(assistant):
    res = assistant.check("Two myths I'm done with: lifting makes runners heavier, and heavy low-rep work adds no muscle.")
    assert "One person's result" not in res.answer and len(res.parts) == 2
    res = assistant.check("I started 5x5 two weeks ago and took three minutes off my 5k.")
    assert "One person's result" in res.answer
    # the speaker's practice is neither an anecdote nor a part to judge
    res = assistant.check("Why I cap my runners at two gym sessions a week: two sessions a week improve running economy.")
    assert "One person's result" not in res.answer and all("I cap" not in p.claim for p in res.parts)


def test_a_lifter_returning_after_years_or_never_under_a_barbell_gets_the_progression_caveat(assistant):
    # ACSM 2009 treats anyone who has not lifted for several years as a novice again
    for q in ("Haven't lifted in 6 years. How heavy should I squat for my 10k?",
              "I've never touched a barbell. How heavy should I squat for my 10k?"):
        assert "beginner-progression" in {c.id for c in assistant.ask(q).caveats}, q
    assert "beginner-progression" not in {c.id for c in assistant.ask(
        "I've squatted twice a week for three years. How heavy should I squat for my 10k?").caveats}


def test_an_aim_to_stay_injury_free_said_anywhere_brings_the_injury_evidence(assistant):
    q = "Main goal this year is staying injury free after a rough 2025. Should I do 3 sets of squats or 5?"
    assert "injury-evidence" in {c.id for c in assistant.ask(q).caveats}
    assert "injury-evidence" not in {c.id for c in assistant.ask("Should I do 3 sets of squats or 5?").caveats}


def test_a_numbered_second_question_of_the_same_type_gets_its_own_titled_section(assistant):
    msg = ("Running 60 km a week and lifting twice. 1) Does all that running stop me building leg strength? "
           "2) And will sore quads from squats spoil my track session two days later?")
    u = assistant.understand(msg)
    assert len(u.answerable) == 2 and u.parts[0].qtype == u.parts[1].qtype
    ans = assistant.ask(msg)
    assert "**Will sore quads from squats spoil my track session two days…**" in ans.answer
    # ...but a question put twice, or one leaning on the one before it, stays one
    assert len(assistant.understand("What did Støren 2008 do? And what did it find?").answerable) == 1
    assert len(assistant.understand("Can I do both gym sessions back to back on Saturday? Like 2 hours once "
                                    "instead of 2 x 1 hour?").answerable) == 1


def test_a_bracketed_aside_is_its_own_clause_when_reading_lifts():
    from assistant.calculator import parse_all

    lifts = parse_all("squat 3x6 @ 70kg (I reckon my 1RM is somewhere around 90), split squats with 16kg dumbbells")
    assert [(e.weight, e.reps) for e in lifts] == [(70.0, 6)]  # not a 70 kg one-rep max
    assert [(e.weight, e.reps, e.exercise) for e in parse_all("squat (back) 100kg x 5")] == [(100.0, 5, "squat")]
    assert [(e.weight, e.reps, e.exercise) for e in parse_all("thursday squats (3x5 @ 60kg) or skip?")] == [(60.0, 5, "squat")]
    assert [(e.weight, e.reps) for e in parse_all("front squats, 4x6 @ 70kg (my 1RM is ~100kg)")] == [(70.0, 6), (100.0, 1)]


def test_sets_by_reps_then_the_lift_then_the_load_is_read_but_a_pair_of_dumbbells_is_not_a_set():
    from assistant.calculator import parse_all

    got = lambda text: [(e.weight, e.reps, e.exercise) for e in parse_all(text)]  # noqa: E731
    assert got("Been doing 3x12 goblet squats with a 16kg kettlebell for a couple months") == [(16.0, 12, "goblet squat")]
    assert got("trap bar deadlift 3x5 @ 110kg") == [(110.0, 5, "trap bar deadlift")]
    assert got("3x10 lunges with 2x12kg dumbbells") == []  # two 12 kg dumbbells, not 12 kg for 2 reps
    assert got("DB split squats 2x20kg for 8s each leg") == [(20.0, 8, "split squat")]  # 20 kg a hand, sets of 8


def test_an_easy_run_named_by_its_distance_is_not_a_race_and_a_stated_pb_asks_nothing():
    from assistant.text import RACE_GAIN

    assert not _ctx("first squat session monday, tried an easy 5k tuesday and it was grim").race_soon
    assert _ctx("5k on saturday, can I squat thursday?").race_soon
    assert not RACE_GAIN.search("im a 5k runner (19:40 pb)") and not RACE_GAIN.search("my PB is 3:15")
    assert RACE_GAIN.search("will lifting help me get a pb?")


def test_a_week_written_day_dash_session_is_read_line_by_line():
    ctx = _ctx("Here's my week:\nMon - rest\nTue - 8x800 @ 5k pace\nWed - 10k easy\nThu - 12k with 6k tempo\n"
               "Fri - 6k easy\nSat - parkrun (racing it)\nSun - 24k long run\nWhere do I fit 2 lifting sessions?")
    assert ctx.run_days == ["tue", "wed", "thu", "fri", "sat", "sun"]
    assert ctx.hard_days == ["tue", "thu", "sat"] and ctx.long_run_day == "sun"  # not Fri: a line ends at its line
    note = schedule_note(ctx)
    assert note.startswith("Lift on Tue and Thu") and "Tue, Thu and Sat" in note, note


def test_the_bike_in_a_triathletes_question_about_lifting_is_not_another_subject(assistant):
    u = assistant.understand("Coaching a 70.3 triathlete. (1) Is there evidence lifting helps the run off the bike "
                             "specifically? (2) where do I squeeze 2 gym sessions in?")
    assert len(u.answerable) == 2, [p.text for p in u.parts]


def test_a_question_after_an_off_topic_one_is_answered_and_the_subject_declined_once(assistant):
    ans = assistant.ask("Should I lift in my running shoes or something flat? and tbh if carbon plate shoes already "
                        "give you ~4% economy is there any point lifting for economy too")
    assert not ans.refused and "economy" in ans.answer.split("\n")[0]
    assert ans.answer.count("outside what my sources cover") == 1, ans.answer


def test_a_question_naming_the_article_is_answered_when_the_claim_check_has_no_evidence(assistant):
    ans = assistant.ask("Had ACL reconstruction 9 months ago and I've been cleared to run. Can I start heavy squats "
                        "for running like the article says or is that a different thing for me?")
    assert ans.citations and "My sources don't speak to this claim" not in ans.answer
    assert "see-clinician" in {c.id for c in ans.caveats}


def test_where_someone_said_it_is_not_a_subject_to_decline(assistant):
    ans = assistant.ask("someone on strava commented that light high-rep weights work just as well as heavy for "
                        "runners. is that true?")
    assert "On strava" not in ans.answer and not ans.refused


def test_weekdays_written_as_letters_in_a_slashed_list_are_days():
    ctx = _ctx("I run M/W/F/Su, long run Sunday, track Wednesday")
    assert ctx.run_days == ["mon", "wed", "fri", "sun"] and ctx.hard_days == ["wed"] and ctx.long_run_day == "sun"
    assert _ctx("A/B testing my shoes").run_days == []


def test_a_question_after_a_comma_is_its_own_part_but_a_condition_stays_with_its_question():
    from assistant.questions import question_texts

    asked = [t for t, _ in question_texts("3 things: how heavy should i go on squats (currently 60kg for 8), do i need "
                                          "to do plyos as well, and is it bad to lift the day after my long run?")]
    assert len(asked) == 3 and asked[1] == "do i need to do plyos as well", asked
    assert [t for t, _ in question_texts("If I lift heavy, do I need plyos as well?")] == \
        ["If I lift heavy, do I need plyos as well?"]


def test_questions_numbered_on_one_line_are_parts_of_their_own():
    from assistant.questions import question_texts

    asked = [t for t, _ in question_texts("quick qs: 1) how long should i rest between heavy squat sets 2) can i lift "
                                          "the morning of a tempo run 3) do i keep lifting in race week")]
    assert len(asked) == 3 and asked[2] == "3) do i keep lifting in race week", asked


def test_a_session_written_as_repeats_or_a_race_is_a_hard_day():
    ctx = _ctx("Mon easy 5k\nTue 6x800m @ 5k pace\nThu 5 x 3 min hills\nSat parkrun, raced\nSun long run")
    assert ctx.hard_days == ["tue", "thu", "sat"] and ctx.long_run_day == "sun"


def test_a_question_asking_what_percentage_leads_with_the_evidence_then_the_runners_kilos(assistant):
    ans = assistant.ask("My squat is 3x5 @ 80kg. Roughly what % of 1RM should I be lifting at for running economy?")
    first, _, rest = ans.answer.partition("\n")
    assert "90%" in first and "80 kg for 5" in ans.answer


def test_a_claim_restating_one_side_of_split_evidence_is_supported_a_general_one_stays_mixed(assistant):
    from assistant.checker import ClaimChecker

    judge = ClaimChecker(assistant).judge
    j = judge("When researchers pooled the prevention trials done only in endurance runners, exercise programmes "
              "did not significantly reduce running injuries")
    assert j.verdict == "supported" and "mixed" in j.reason and j.pro and "Wu 2024" in j.pro[0].text
    assert judge("Strength training keeps runners injury-free").verdict == "mixed"
    assert judge("Only heavy lifting improves running economy").verdict == "not-supported"


def test_hurting_your_running_is_interference_and_hurting_your_knees_is_injury(assistant):
    assert assistant.understand("Will lifting hurt my running?").parts[0].qtype == "soreness-interference"
    assert assistant.understand("Will squats hurt my knees?").parts[0].qtype == "injury"


def test_a_number_compared_with_is_kept_when_reading_the_question_type(assistant):
    assert assistant.understand("Would a 3rd gym day make me faster than 2, or just tire me out?").parts[-1].qtype \
        == "frequency"


def test_worse_reverses_a_claim_of_better_and_doesnt_hurt_agrees_with_it(assistant):
    from assistant.checker import ClaimChecker

    judge = ClaimChecker(assistant).judge
    assert judge("Heavy lifting actually made distance runners' economy worse").verdict == "not-supported"
    assert judge("Lifting doesn't hurt your running economy").verdict == "supported"
    assert judge("Heavy lifting improves running economy").verdict == "supported"


def test_a_reason_after_because_is_its_own_part_but_because_of_is_not():
    assert decompose("Heavy lifting made runners' economy worse, because the extra muscle costs more oxygen to carry") \
        == ["Heavy lifting made runners' economy worse", "The extra muscle costs more oxygen to carry"]
    assert decompose("Heavy lifting improves economy because of neural adaptations") == \
        ["Heavy lifting improves economy because of neural adaptations"]


def test_a_claim_about_a_group_never_studied_for_that_outcome_is_untested(assistant):
    from assistant.checker import ClaimChecker

    judge = ClaimChecker(assistant).judge
    j = judge("Heavy lifting clearly keeps older runners injury-free")
    assert j.verdict == "no-evidence" and "that group" in j.reason
    assert judge("Heavy lifting improves running economy in masters runners").verdict == "supported"


def test_a_dose_the_trials_used_does_not_make_a_comparison_of_doses_tested(assistant):
    from assistant.checker import ClaimChecker

    judge = ClaimChecker(assistant).judge
    assert judge("Two heavy sessions a week will improve your economy more than one").verdict == "no-evidence"
    j = judge("Two heavy sessions a week improve running economy")
    assert j.verdict == "supported" and not j.reason.startswith("No ")  # the reason is the figure's, not "untested"


def test_really_for_one_group_is_exclusive_and_a_body_weight_target_is_untested(assistant):
    from assistant.checker import ClaimChecker

    judge = ClaimChecker(assistant).judge
    j = judge("Strength training is really for elite runners")
    assert j.verdict == "not-supported" and "not for them alone" in j.reason
    j = judge("Runners should squat 1.5 to 2.5 times body weight")
    assert j.verdict == "no-evidence" and "squat-to-body-weight" in j.reason  # the figure's reason, not the ledger's


def test_fainting_or_a_replaced_joint_brings_the_clinician_caveat(assistant):
    for q in ("I went dizzy and nearly blacked out after a heavy squat set last week. How heavy should I go?",
              "I'm 68 with a knee replacement. Should I lift heavy for my running?"):
        assert "see-clinician" in {c.id for c in assistant.ask(q).caveats}, q
    assert "see-clinician" not in {c.id for c in assistant.ask("How heavy should I squat for my 10k?").caveats}


def test_after_a_race_and_before_one_are_told_apart(assistant):
    after = assistant.ask("Ran my first marathon on Sunday. How long after the marathon should I wait before heavy squats?")
    assert "after a race" in after.answer.split("\n")[0]
    before = assistant.ask("How many weeks out from my marathon should I cut the lifting back?")
    assert "after a race" not in before.answer.split("\n")[0]


def test_a_premise_clause_before_a_question_is_not_a_question_of_its_own():
    from assistant.questions import question_texts

    # a question pointing back joins the question before it, unless it carries its own statement
    assert [q for q, _ in question_texts("Intervals feel flat. Is Tuesday's leg day the problem? Should I move it?")] \
        == ["Is Tuesday's leg day the problem? Should I move it?"]
    assert [q for q, _ in question_texts("How heavy should I squat? And I've been sleeping 10 hours a night, is that normal?")] \
        == ["How heavy should I squat?", "And I've been sleeping 10 hours a night, is that normal?"]

    qs = [q for q, _ in question_texts("I lift twice a week. Since my Saturdays are busy, which days suit the gym best?")]
    assert qs == ["Since my Saturdays are busy, which days suit the gym best?"]


def test_a_claim_gets_the_clinician_caveat_only_about_a_persons_condition_or_treating_pain(assistant):
    ids = lambda claim: {c.id for c in assistant.check(claim).caveats}  # noqa: E731
    assert "see-clinician" in ids("Heavy squats fix runner's knee.")
    assert "see-clinician" in ids("If you have osteoporosis you should lift heavy.")
    assert "see-clinician" not in ids("Heavy squats halve stress-fracture rates in female runners.")
    assert "see-clinician" not in ids("The Sports Medicine meta-analyses show plyometrics beat lifting for economy.")
    assert "see-clinician" not in {c.id for c in assistant.ask("Will heavy leg work hurt my run off the bike?").caveats}


def test_a_claim_gets_the_race_caveat_only_when_it_is_about_race_times(assistant):
    ids = lambda claim: {c.id for c in assistant.check(claim).caveats}  # noqa: E731
    assert "marathon-evidence" in ids("Two heavy sessions a week will take minutes off your marathon time.")
    assert "marathon-evidence" in ids("Strength training improves 10k time-trial results.")
    assert "marathon-evidence" not in ids("First-time marathoners who did a short strength routine had fewer injuries.")


def test_stayed_where_they_were_is_a_claim_of_no_change(assistant):
    from assistant.checker import ClaimChecker

    assert negated("VO2max and lactate threshold stayed where they were")
    assert ClaimChecker(assistant).judge("After plyometrics, VO2max stayed where it was").verdict == "supported"


def test_supershoes_and_sleeping_asked_beside_lifting_are_declined_by_name(assistant):
    ans = assistant.ask("Should I keep squatting heavy twice a week in my marathon block? "
                        "Also are supershoes worth it for a 3:30 marathoner?")
    assert not ans.refused and "outside what my sources cover" in ans.answer
    ans = assistant.ask("How heavy should I squat for my half? And I've been sleeping 10 hours a night, is that normal?")
    assert not ans.refused and "outside what my sources cover" in ans.answer


def test_a_numbered_statement_before_its_question_and_a_subject_before_worth_it_are_read_whole(assistant):
    msg = ("Half in 10 weeks. 1) should I switch to heavy lifting for the half? 2) my intervals are Thursday and long "
           "run Sunday, which days should the gym go on? 3) any good gel brands?")
    u = assistant.understand(msg)
    assert [p.in_scope for p in u.parts] == [True, True, False] and "intervals are Thursday" in u.parts[1].text
    ans = assistant.ask("1) caffeine pill before lifting, worth it? 2) is 4 sets of squats too many for a runner?")
    declined = [ln for ln in ans.answer.split("\n") if "outside what my sources cover" in ln]
    assert declined and "caffeine" in declined[0].lower()


def test_race_words_are_whole_words_so_problems_is_not_a_pr(assistant):
    ans = assistant.ask("Will doing calf raises stop me getting Achilles problems?")
    assert "marathon-evidence" not in {c.id for c in ans.caveats}
    ans = assistant.ask("Will heavy squats help my 5k PR?")
    assert "marathon-evidence" in {c.id for c in ans.caveats}


def test_the_article_caveat_goes_with_claims_from_the_article_not_with_a_coachs_own(assistant):
    own = assistant.check("Heavy lifting improves running economy in distance runners.")
    assert "article-overstates" not in {c.id for c in own.caveats}
    echo = assistant.check("Heavy lifting improves running economy by three to eight percent.")
    assert "article-overstates" in {c.id for c in echo.caveats}
    asked = assistant.ask("The article says lifting heavy means you will not get bulky. Is the article right about that?")
    assert "article-overstates" in {c.id for c in asked.caveats}


def test_a_follow_up_carries_the_race_caveat_only_from_a_conversation_about_race_times(assistant):
    plain = [{"role": "user", "content": "I'm training for a marathon. How heavy should I lift?"},
             {"role": "assistant", "content": "Lift heavy: sets of 4 reps or fewer."}]
    ans = assistant.ask("and how many sets?", plain)
    assert "marathon-evidence" not in {c.id for c in ans.caveats}
    racing = [{"role": "user", "content": "Will lifting make my marathon faster?"},
              {"role": "assistant", "content": "No trial here measured marathon times."}]
    ans = assistant.ask("and what about a half?", racing)
    assert "marathon-evidence" in {c.id for c in ans.caveats}


def test_a_week_listed_activity_then_day_is_read_without_crossing_commas():
    ctx = _ctx("I run 4x a week: intervals Tuesday, easy Thursday, tempo Saturday, long run Sunday.")
    assert ctx.hard_days == ["tue", "sat"] and ctx.long_run_day == "sun"
    note = schedule_note(ctx)
    assert note.startswith("Lift on Tue and Thu") and "Sun" not in note.split(":")[0]


def test_an_attribution_is_not_a_claim_and_a_series_of_verb_phrases_is_split():
    from assistant.citing import strip_citation

    assert strip_citation("Our club newsletter says heavy lifting halves injuries.", {}) == (
        "Heavy lifting halves injuries.", None)
    assert decompose("Heavy lifting makes runners more economical, doesn't add any muscle, and halves injury risk.") == [
        "Heavy lifting makes runners more economical", "Heavy lifting doesn't add any muscle",
        "Heavy lifting halves injury risk"]
    assert decompose("Lifting builds strength, power, and speed.") == ["Lifting builds strength, power, and speed"]


def test_a_question_and_a_lead_in_to_the_reader_are_not_parts_of_a_claim():
    from assistant.decompose import decompose

    assert decompose("New to the gym? Go straight to heavy sets of three. Two sessions a week is enough.") == [
        "Go straight to heavy sets of three", "Two sessions a week is enough"]
    assert decompose("Don't start with heavy triples: begin at 8-12 reps and add load in small steps.") == [
        "Don't start with heavy triples", "Begin at 8-12 reps and add load in small steps"]
    assert decompose("Let's be honest with the runners worried about bulk: heavy triples add no muscle.") == [
        "Heavy triples add no muscle"]


def test_a_ledger_claim_about_another_dose_does_not_judge_a_claim():
    from assistant.claimtext import doses, other_doses

    assert doses("4x5 squats twice a week") == {"reps": (5.0, 5.0), "sessions": (2.0, 2.0)}
    assert doses("heavy triples") == {"reps": (3, 3)}
    assert other_doses("begin at 8-12 reps", "start with heavy sets of three to six reps")
    assert not other_doses("sets of three", "start with heavy sets of three to six reps")
    assert other_doses("one session every other week", "two sessions a week are enough")


def test_a_second_question_after_and_also_is_its_own_part_and_a_lead_in_does_not_hide_a_question():
    from assistant.questions import question_texts

    parts = [p for p, _ in question_texts("Coach says rest 90 s, a friend says 3 min. Who's right, and also my watch "
                                          "shows a low recovery score so should I skip lifting on those days?")]
    assert len(parts) == 2 and parts[0].startswith("Coach says") and parts[1].startswith("my watch")
    parts = [p for p, _ in question_texts("Is one session a week enough in season? Second thing, can anyone "
                                          "suggest a stretching flow for tight hips")]
    assert len(parts) == 2


def test_a_lifting_message_whose_questions_are_all_unsure_is_still_answered(assistant):
    ans = assistant.ask("I squat twice a week, 4x4 half squats. Read that a study had people squatting 3x a week. "
                        "Would adding a third day get me more, or is 2 enough?")
    assert not ans.refused and "two" in ans.answer.lower()


def test_a_question_about_weekly_mileage_alone_is_declined(assistant):
    assert assistant.ask("Sub-3 attempt in spring, 70 km a week now. How many km a week do I need to get up to, "
                         "and how long should my longest long run be?").refused


@pytest.mark.parametrize("text, now", [
    ("Physio cleared my old Achilles niggle in the summer. Should I start lifting?", False),
    ("I had an old knee injury and it still aches on stairs. Should I squat?", True),
    ("My Achilles is sore this week, should I still lift?", True),
    ("My achilles has been stiff in the mornings for 3 weeks, and it's sore if I squeeze the tendon.", True),
    ("My legs are sore after squats, normal?", False),
])
def test_an_old_injury_that_is_over_is_not_pain_now(text, now):
    from assistant.runner import pain_now

    assert pain_now(text) is now


def test_a_progression_question_leads_with_how_to_add_load_even_with_stated_lifts(assistant):
    from assistant.text import asks_progression

    assert asks_progression("how much weight do i add each week?") and asks_progression("when should I go heavier?")
    assert not asks_progression("will lifting make me put on weight?")
    ans = assistant.ask("Squat 3x8 at 60kg and the last sessions felt easy. Do I add 2.5kg a week or add reps first?")
    first = ans.answer.split("\n")[0]
    assert "2–10%" in first, first
    assert "60 kg for 8" in ans.answer  # the runner's numbers still follow the lead


def test_a_passage_keeps_its_imperatives_and_strengthening_claims():
    from assistant.passage import extract_claims

    got = extract_claims("Put new runners straight onto heavy deadlifts from week one. Foot strengthening is pointless for runners. "
                         "Lovely weather today.")
    assert got == ["Put new runners straight onto heavy deadlifts from week one.", "Foot strengthening is pointless for runners."]


def test_days_written_short_are_days_to_the_type_classifier(assistant):
    from assistant.understand import _day_names

    assert _day_names("lift weds, long run sun, sat morning parkrun") == \
        "lift Wednesday, long run Sunday, Saturday morning parkrun"
    assert _day_names("I sat down after the run") == "I sat down after the run"
    u = assistant.understand("Parkrun on Saturday. I normally lift heavy weds. Should I still lift weds?")
    assert u.answerable[0].qtype != "older-women-bone"


@pytest.mark.parametrize("question, qtype", [
    ("Can I superset squats with pull-ups in the rest time, or does that ruin it?", "rest"),
    ("How many exercises do I need per session to get the running benefit?", "reps-sets"),
    ("is 3x a week better than 2x??", "frequency"),
])
def test_rest_time_and_exercises_per_session_name_their_types(assistant, question, qtype):
    assert assistant.understand(question).answerable[0].qtype == qtype


def test_two_whether_questions_in_one_sentence_are_two_parts_and_the_backstory_group_does_not_retype_a_dose(assistant):
    u = assistant.understand("I coach a 58-year-old woman who runs 10k in 52 minutes. She wants to know whether lifting "
                             "will do anything for her running economy at her age, and whether once a fortnight is enough.")
    assert [p.qtype for p in u.answerable] == ["running-economy", "frequency"]


@pytest.mark.parametrize("message", [
    "I coach a 38-year-old client. Her shin is tender and getting worse on runs. She's asked whether she should add "
    "heavy squats and calf raises to prevent a stress fracture. My instinct is to say yes. Thoughts?",
    "I coach a masters women's group and two have osteopenia. I want to add heavy deadlifts and squats, 5x5 at 85%, "
    "to our Saturday session in the park. Good idea?",
])
def test_a_bare_thoughts_or_good_idea_asks_about_the_proposal_before_it(assistant, message):
    ans = assistant.ask(message)
    assert not ans.refused
    assert "see-clinician" in {c.id for c in ans.caveats}


def test_a_calorie_deficit_question_is_outside_scope(assistant):
    assert assistant.ask("I'm at 78 kg and want to race at 72. How big a calorie deficit can I run on 60 km a week? "
                         "Is 1800 kcal a day ok?").refused


def test_a_question_about_that_number_or_what_the_research_says_is_read_with_the_sentence_before(assistant):
    u = assistant.understand("A podcast said lifting improves running economy by 3-8%. How solid is that number?")
    assert u.answerable[0].qtype == "running-economy"
    u = assistant.understand("My daughter is 16 and wants to start heavy squats. I'm worried it will stunt her growth. "
                             "What does the research say?")
    assert "stunt her growth" in u.answerable[0].text


def test_how_many_minutes_a_lifting_block_is_worth_is_a_race_question_with_its_caveats(assistant):
    ans = assistant.ask("Marathon in 16 weeks, PB 3:06. If I add 2 heavy sessions a week starting now (never really "
                        "lifted), roughly how many minutes could that be worth on race day?")
    assert "no study here measured marathon times" in ans.answer.split("\n")[0]
    assert {"beginner-progression", "marathon-evidence"} <= {c.id for c in ans.caveats}


def test_a_run_named_as_a_time_to_lift_around_is_not_a_subject_to_decline(assistant):
    history = [{"role": "user", "content": "Should I lift heavy the day after my long run?"},
               {"role": "assistant", "content": "No study here tested lifting the day before or after a long run."}]
    ans = assistant.ask("ok makes sense. but what about the day BEFORE intervals? will my legs be dead?", history=history)
    assert not ans.refused and "outside what my sources cover" not in ans.answer
    assert assistant.ask("How should I structure my intervals?").refused
    assert assistant.ask("How long should my warm-up be before intervals?").refused  # no lifting in the talk


def test_a_superset_question_hears_that_no_study_tested_it(assistant):
    first = assistant.ask("Can I superset squats with pull-ups in the rest time, or does that ruin it?").answer.split("\n")[0]
    assert first.startswith("No study here tested") and "supersets" in first


def test_a_question_that_names_no_lifting_is_read_with_the_sentence_before_it(assistant):
    ans = assistant.ask("Mon and Wed I run an easy 10k at 6:30am and squat heavy at lunch, about 5 hours later. "
                        "So on the days I do both, does the order actually matter??")
    assert not ans.refused


@pytest.mark.parametrize("text, soon", [
    ("Marathon in 11 weeks. Should I stop lifting completely in race week?", False),
    ("It's race week and I normally lift on Wednesday.", True),
])
def test_race_week_asked_about_is_not_race_week_now(text, soon):
    assert _ctx(text).race_soon is soon


def test_an_answer_never_quotes_the_same_finding_twice(assistant):
    import numpy as np

    ans = assistant.ask("Title: lifting in a marathon block??\n\nValencia in 11 weeks, running 5 days. I've been "
                        "squatting 3x5 @ 100kg twice a week since summer. Do I keep both sessions through the block or "
                        "drop to one, and should I stop completely in race week?")
    snap = assistant.composer.snapshot
    idx = [snap.sent_texts.index(c.quote) for c in ans.citations if c.quote in snap.sent_texts]
    emb = snap.sent_emb[idx]
    sims = emb @ emb.T - np.eye(len(idx)) * 2
    assert len(idx) >= 2 and float(sims.max()) <= assistant.settings.composer.duplicate_similarity


def test_running_with_a_cold_is_outside_scope_but_sick_of_light_weights_is_not(assistant):
    assert assistant.ask("I lift weights. Is it ok to run with a cold?").refused
    assert not assistant.ask("I'm sick of light weights. How heavy should I lift?").refused


def test_a_statement_a_question_points_back_to_is_not_split_into_a_part_and_is_he_right_or_is_two():
    from assistant.questions import question_texts

    parts = [p for p, _ in question_texts("Just started the gym doing 3x12 with light dumbbells. A guy at parkrun said I'm "
                                          "wasting my time and should go heavy. Is he right or will heavy stuff just "
                                          "make me sore and slow for my sessions?")]
    assert parts == ["A guy at parkrun said I'm wasting my time and should go heavy. Is he right",
                     "will heavy stuff just make me sore and slow for my sessions?"]
    # an alternative inside one question stays one question
    assert len(question_texts("Should I lift before or after my run?")) == 1


@pytest.mark.parametrize("text, sex", [("a guy at parkrun says I should squat", None), ("I'm a 45 year old guy", "male"),
                                       ("52F here, marathoner", "female"), ("as a woman runner", "female")])
def test_sex_is_read_only_when_the_runner_says_it_of_themselves(text, sex):
    assert runner_context(text, analyse(text, None)).sex == sex


def test_a_percentage_is_not_restated_by_a_distance_and_the_figure_is_compared(assistant):
    from assistant.claimtext import percents

    assert percents("economy improved by 10% over 10 km, or 3.9 percent") == {10.0, 3.9}
    res = assistant.check("Heavy lifting improves running economy by 10%.")
    # a 10-km finding is not this claim restated: the claim's figure is set against the reviews' 2–8%
    assert res.verdict == "not-supported" and "How the numbers compare" in res.answer and "2–8%" in res.answer


def test_a_claim_that_restates_one_finding_is_judged_on_that_finding_not_on_a_broader_ledger_claim(assistant):
    from assistant.checker import ClaimChecker

    judge = ClaimChecker(assistant).judge
    j = judge("A 2018 meta-analysis found that every 10% increase in strength-training volume went with an "
              "injury risk more than 4 percentage points lower")
    assert (j.verdict, j.how) == ("supported", "finding") and "Lauersen 2018" in j.reason
    # ...but not when it says more than the finding: another race, certainty, or a figure the finding lacks
    for claim in ("Eight marathon runners who stopped strength work for four weeks kept their economy gains",
                  "Eight middle-distance runners who stopped lifting for four weeks kept their gains, clearly proving "
                  "a break never hurts",
                  "A 2018 meta-analysis found that every 10% increase in strength-training volume went with an "
                  "injury risk 40 percentage points lower",
                  # a design or a cause the finding doesn't have
                  "A randomised trial has shown that calf strengthening prevents Achilles problems in runners"):
        assert judge(claim).how != "finding", claim


def test_decomposing_compound_nouns_clauses_inside_and_labels():
    claim = ("Stat for the newsletter: an older meta-analysis found running alongside lifting blunted muscle and "
             "strength gains more than cycling did; the 2022 update across 43 studies found no meaningful loss of "
             "maximal strength; and explosive strength did take a hit, more so when lifting and cardio shared a "
             "session than when they were three hours apart.")
    assert decompose(claim) == [
        "An older meta-analysis found running alongside lifting blunted muscle and strength gains more than cycling did",
        "The 2022 update across 43 studies found no meaningful loss of maximal strength",
        "Explosive strength did take a hit, more so when lifting and cardio shared a session than when they were "
        "three hours apart"]
    # a label that says whose findings these are stays with the claim
    assert decompose("Runner-specific research is in: strength programmes cut running injuries by 70 percent.")[0] \
        .startswith("Runner-specific research is in")


def test_examples_in_brackets_are_not_outside_subjects_and_nothing_hurting_is_not_pain(assistant):
    from assistant.runner import pain_now
    from assistant.scope import off_topic_terms

    assert off_topic_terms("Are foot strengthening exercises (towel scrunches, toe yoga) worth doing?") == []
    assert off_topic_terms("Should I take creatine (and how much?) while lifting?") == ["creatine"]
    assert not pain_now("~40k a week, nothing hurting right now") and pain_now("my knee is hurting right now")
    ans = assistant.ask("Flat feet. Which insoles should I get for running? And separately, are foot strengthening "
                        "exercises (towel scrunches, short foot, toe yoga) worth doing to stay injury free? Nothing "
                        "hurting right now")
    assert not ans.refused and "insoles" in ans.answer.split("outside")[0].split("You also asked")[-1]


def test_a_coachs_only_question_is_answered_even_when_only_guides_were_retrieved(assistant):
    ans = assistant.ask("Hi Jo,\n\nOne of my athletes (M, 44, 2:51 marathoner) wants to drop all gym work 4 weeks out "
                        "from Chicago because his legs \"feel heavy\". He's done 2 heavy sessions a week since June. "
                        "I'd rather he kept one going. Is he going to throw away the economy gains if he stops for "
                        "those 4 weeks? Trying to figure out how hard to push back.\n\nThanks, Mel")
    assert not ans.refused and "Berryman 2020" in ans.answer.split("\n")[0]


def test_questions_that_lean_on_what_came_before_are_read_with_it():
    from assistant.questions import asked_sentences, question_texts

    # a short question whose pronoun names what was said before it
    parts = question_texts("I do my tempo on the treadmill and go straight into squats. Other option is tempo at "
                           "lunch and lifting at 6, so about 5 hrs between. worth the faff of splitting them?")
    assert [p for p, _ in parts] == ["Other option is tempo at lunch and lifting at 6, so about 5 hrs between. "
                                     "worth the faff of splitting them?"]
    parts = question_texts("Every plan on insta has calf raises and single-leg stuff. Is any of that backed by research?")
    assert parts[0][0].startswith("Every plan on insta")
    # "Which is exactly what I want." is a remark, not a question; the statement before it is what is asked about
    msg = ("A guy at my gym says sets of 3 make you stronger without adding muscle. Which is exactly what I want. "
           "Is he right or is that a gym myth?")
    assert len(question_texts(msg)) == 1 and "adding muscle" in asked_sentences(question_texts(msg)[0][0])
    # "i.e." does not end a sentence; "and by how much?" is a detail of the same question
    assert len(question_texts("Is there any truth to it, i.e. lifting hurting the running side?")) == 1
    assert [p for p, _ in question_texts("I do goblet squats. When do I move up and by how much?")] == \
        ["When do I move up and by how much?"]


@pytest.mark.parametrize("message, refused", [
    ("Lifting 2x a week. Should my long runs be at 5:30/km or slower?", True),
    ("Gym twice a week, thoughts on ice baths after long runs?", True),
    ("I lift heavy. What's a good warm-up routine before a 5k race?", True),
    ("Gym twice a week, is that enough to improve my running economy?", False),
    ("How many warm-up sets should I do before heavy squats?", False),
    ("Squats on Monday. Thoughts on my new shoes? They feel great.", True),  # "thoughts on X" names its own subject
])
def test_running_only_questions_after_lifting_backstory_are_declined(assistant, message, refused):
    assert assistant.ask(message).refused == refused


@pytest.mark.parametrize("question, lead", [
    ("are depth jumps and bounding worth it on top of lifting?", "Jumps and bounds can help"),
    ("Do foot strengthening drills prevent injuries?", "It may lower your injury risk"),
])
def test_a_gap_that_shares_the_questions_words_does_not_lead_when_the_opening_answers_the_question_asked(
        assistant, question, lead):
    # the gap ("no study compared individual jump exercises") names the same words; the questions each sentence
    # answers (the guide's asks) show the opening answers what was asked
    assert assistant.ask(question).answer.startswith(lead)
    saved, assistant.composer.questions = assistant.composer.questions, None
    try:
        assert not assistant.ask(question).answer.startswith(lead)  # without them, the gap's words won
    finally:
        assistant.composer.questions = saved


def test_a_guide_ask_that_starts_no_sentence_names_the_fix(small_corpus):
    from assistant.corpus import parse_file
    from assistant.errors import CorpusError

    guide = small_corpus / "guide-test.md"
    guide.write_text("---\nid: guide-test\ntype: guide\ntitle: A guide\nquestion_types: [rest]\ntags: [dosing]\n"
                     "asks:\n- sentence: Nothing like this\n  asks: [How long should I rest?]\n---\n\n"
                     "## The short answer\n\nRest 3–5 minutes (ACSM 2009).\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="copy the sentence's first words exactly"):
        parse_file(guide)


@pytest.mark.parametrize("text, race", [("Boston in April and I want strong quads for the downhills", "marathon"),
                                        ("4 weeks out from Chicago, still lifting twice a week", "marathon"),
                                        ("I live in London and lift twice a week", None)])
def test_a_big_city_marathon_named_as_the_race_is_a_marathon_but_a_home_town_is_not(text, race):
    assert runner_context(text, analyse(text)).race == race
    assert ("marathon" in analyse(text).topics) == (race == "marathon")


def test_quotes_short_questions_first_half_and_going_heavier():
    from assistant.text import casual_sentences
    from assistant.questions import question_texts

    assert casual_sentences('Read the "Runners don\'t need to lift more. They need to lift heavier." piece. True?') == \
        ['Read the "Runners don\'t need to lift more. They need to lift heavier." piece.', "True?"]
    # a question too short to name a subject is about what was just said — unless it names an outside subject
    assert question_texts("Economy didn't budge after 12 weeks. Did I do something wrong?")[0][0].startswith("Economy")
    assert question_texts("I want to lose 4 kg. Is 1800 kcal a day ok?")[0][0] == "Is 1800 kcal a day ok?"
    text = "The downhills in the first half trash your quads"
    assert runner_context(text, analyse(text)).race is None


def test_going_heavier_on_the_bar_is_a_load_question_and_getting_heavier_a_muscle_one(assistant):
    u = assistant.understand("Would going properly heavier on a barbell give me anything the kettlebell stuff isn't?")
    assert u.parts[0].qtype == "load-intensity"
    assert assistant.understand("Will squatting make me heavier?").parts[0].qtype == "muscle-mass"


def test_a_claim_that_tells_a_study_by_its_numbers_but_reverses_its_finding_is_not_supported(assistant):
    from assistant.checker import ClaimChecker

    judge = ClaimChecker(assistant).judge
    j = judge("The New York City Marathon study enrolled 720 first-timers, gave them a ten-minute strength routine "
              "three times a week, and nearly halved their overuse injuries")
    # (judged on the finding it restates, or on the study its name now tells: either way, against Toresdahl 2020)
    assert j.verdict == "not-supported" and j.how in ("finding", "study") and "Toresdahl 2020" in j.reason
    # a dose alone ("one session a week") does not tell which study a claim is about
    assert judge("One heavy session a week is enough to hold on to the strength you built").verdict == "supported"


def test_a_quoted_title_names_what_was_read_and_late_race_fatigue_is_a_race_question(assistant):
    u = assistant.understand('Read that "Stop lifting light. Go heavier." post, and the bit I liked was that lifting '
                             'helps you when fatigued, late in a long race. Has anyone tested it in a marathon?')
    assert u.parts[0].qtype == "race-performance"


def test_where_should_it_go_after_a_new_session_is_a_scheduling_part_not_declined(assistant):
    ans = assistant.ask("Running 5 days: easy Mon, intervals Tue, easy Thu, tempo Fri, long run Sun. I lift on Wed. "
                        "Coach wants me to add a second session. Where should it go, and should I go heavier?")
    assert "outside what my sources cover" not in ans.answer
    u = assistant.understand("Coach wants me to add a second gym session. Where should it go?")
    assert u.parts[0].qtype == "scheduling"


def test_the_runners_own_lifting_days_are_kept_checked_or_moved():
    ctx = _ctx("I already do weights on Wednesday and want another session. Runs are tue thu sat sun, "
               "long run sun, intervals tue")
    assert ctx.lift_days == ["wed"] and schedule_note(ctx).startswith("Keep Wed and add Fri")
    ctx = _ctx("I lift Monday and Thursday and run tue wed fri sat sun, long run Sunday.")
    assert ctx.lift_days == ["mon", "thu"] and ctx.run_days == ["tue", "wed", "fri", "sat", "sun"]
    assert schedule_note(ctx).startswith("Your lifting days, Mon and Thu, already keep")
    note = schedule_note(_ctx("Deadlifts on FRIDAY, 32k long run on SATURDAY. I run sun tue thu sat."))
    assert note.startswith("Fri is the day before your long run: moving it to Wed") and "convention" in note  # nearest
    assert _ctx("was thinking tue + thu for the gym, or maybe mon").lift_days == []  # options, not lifting days
    note = schedule_note(_ctx("I lift Mon and Thu. Long run is Sunday and Tuesday is intervals."))
    assert "moving it to Tue" in note and "Thu already fits" in note, note  # the day kept is said to fit
    assert _ctx("I lift Mon and Thu. Long run is Sunday.").long_run_day == "sun"  # "Thu." ends a sentence
    ctx = _ctx("Back squat 4x6 @ 70kg and step-ups, twice a week (tue/fri). Runs: mon, wed, sat, sun (long run sun).")
    assert ctx.lift_days == ["tue", "fri"] and ctx.run_days == ["mon", "wed", "sat", "sun"]
    ctx = _ctx("I run mon, wed, fri and sat (long run sat) and go to the gym on Thursday evening.")
    assert ctx.run_days == ["mon", "wed", "fri", "sat"] and ctx.lift_days == ["thu"]  # the list goes on with its run
    ctx = _ctx("Intervals on Tuesday, long run Sunday. Goblet squats 3x12 and some lunges, Mondays only.")
    assert ctx.lift_days == ["mon"]  # "only" qualifies the day: the clause goes on with the lifting before it
    assert schedule_note(ctx).startswith("Mon is the day before")


def test_what_a_runner_sets_aside_does_not_type_the_question(assistant):
    # "my worry isn't X, it's Y" asks about Y; X alone would make it a question about muscle
    u = assistant.understand("I lift twice a week. My worry isn't bulking, it's that lifting will eat into my fitness - "
                             "like will my VO2max or threshold drop because my legs are always tired?")
    assert u.parts[0].qtype == "soreness-interference"


def test_an_overstatement_repeated_anywhere_in_a_message_brings_its_caveat(assistant):
    # the runner repeats the article's "won't add muscle" in the backstory, then asks about something else
    r = assistant.ask("A guy at my gym says if I keep everything to sets of 3 I'll get stronger without putting on any "
                      "muscle. Is he right?")
    assert "article-overstates" in {c.id for c in r.caveats}
    assert "article-overstates" not in {c.id for c in assistant.ask("Will sets of 3 make me bulky?").caveats}


def test_a_week_written_out_is_context_not_a_question_nor_a_race_this_weekend(assistant):
    week = ("ok so my week is: mon rest, tue intervals 6x800, wed easy 8k, thu tempo, fri rest, sat parkrun, sun long "
            "run 22k. half marathon in 11 weeks. where do i fit 2 gym sessions without wrecking the quality sessions??")
    u = assistant.understand(week)
    assert [p.qtype for p in u.parts] == ["scheduling"] and all(p.in_scope for p in u.parts)
    assert not u.context.race_soon  # a weekly parkrun listed before Sunday's long run is no race this weekend
    assert "mon" not in u.context.run_days and "fri" not in u.context.run_days  # "mon rest"
    assert _ctx("marathon Sunday, should I lift on Wednesday?").race_soon


def test_a_new_lifter_asking_which_exercises_gets_the_exercises_and_the_progression_caveat(assistant):
    q = ("first time lifter here, 5k runner, 3 runs a week. how often should i go to the gym and what exercises? "
         "no idea what I'm doing lol")
    assert [p.qtype for p in assistant.understand(q).parts] == ["frequency", "exercise-choice"]
    ans = assistant.ask(q)
    assert "squat" in ans.answer.split("**Which exercises**")[1].split("\n\n")[0].lower()
    assert "beginner-progression" in {c.id for c in ans.caveats}


def test_bodyweight_exercises_are_not_a_question_about_body_weight(assistant):
    u = assistant.understand("Can I just do bodyweight stuff at home instead of the gym? Squats, lunges, planks?")
    assert "muscle-mass" not in {p.qtype for p in u.parts}
    assert assistant.understand("Will squats put body weight on me?").parts[0].qtype == "muscle-mass"


def test_an_older_man_asking_about_his_age_is_answered_with_the_older_runners_evidence(assistant):
    from assistant.claimtext import populations

    assert "masters" in populations("61 y/o, been running since my 20s")
    ans = assistant.ask("61 y/o bloke, 10k runner for decades, never touched a barbell. Is heavy lifting actually "
                        "sensible at my age?")
    first = next(line for line in ans.answer.split("\n") if line.strip() and not line.startswith("**"))
    assert "Piacentini 2013" in first and "postmenopausal" not in first, ans.answer
