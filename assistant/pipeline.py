"""The assistant: services wired into one flow, retrieval and composition as one LangChain runnable.

    message (+ history) -> understand (understand.py: parts, question types, runner context, scope)
        -> per part: retrieve (retrieve.py) -> compose (compose.py, or llm.py)
        -> outline (outline.py: sections, declines, the runner's numbers, clinician first)
        -> caveats (caveats.py) -> Answer (schema.py)
    claim -> checker.py;  plan request -> plan.py

Services (embedder, index, composer) are passed in; missing ones come from settings,
loaded lazily and once.  ``Assistant`` is thread-safe for answering.
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Callable

from langchain_core.runnables import Runnable, RunnableLambda

from . import caveats as caveat_rules
from . import outline
from .claims import ClaimMatcher, load_ledger
from .claimtext import outcomes, populations
from .compose import GroundedComposer
from .embed import Embedder
from .errors import AssistantError, IndexDamagedError
from .index import IndexManager, tqdm_progress
from .messages import FOLLOWUP, INJECTION_NOTICE, NOT_ENGLISH, REFUSAL, clean_question, last_user_turn, looks_english
from .lead_questions import SentenceQuestions
from .qtypes import TypeClassifier, question_type
from .retrieve import HybridRetriever, QueryEncoder
from .runner import pain_now
from .schema import Answer
from .scope import Intent, SpellFixer, analyse, asks_something, vocabulary
from .settings import Settings
from .snapshot import Snapshot
from .spelling import english_words
from .text import asks_progression, named_sources
from .text import question_sentences
from .understand import Understanding, article_claim, asks_if_true, understand


class _storage_errors:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, Exception) and not isinstance(exc, AssistantError):
            raise IndexDamagedError(f"the index could not be read ({exc.__class__.__name__}: {str(exc)[:120]}) — "
                                    "run `strength-assistant doctor`") from exc
        return False


class Assistant:
    def __init__(self, settings: Settings | None = None, *, embedder: Embedder | None = None,
                 index: IndexManager | None = None, auto_ingest: bool = True,
                 progress: Callable[[str], None] | None = None, llm=None):
        self.settings = settings or Settings.from_env()
        self.index = index or IndexManager(self.settings, embedder=embedder)
        self.auto_ingest = auto_ingest
        self.say = progress or (lambda msg: print(msg, file=sys.stderr))
        self._llm = llm
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._chain: Runnable | None = None
        self._seen_key: dict | None = None  # the embedded store's file as it was when last looked at

    # -- loading -------------------------------------------------------------
    def load(self) -> Snapshot:
        """Open the current index (building it first when missing or stale) once."""
        if self._snapshot is not None:
            return self._snapshot
        with self._lock:
            if self._snapshot is None:
                snap = self._open()
                self._build(snap)
                self._snapshot = snap
        return self._snapshot

    def _open(self) -> Snapshot:
        try:
            return self._open_once()
        except IndexDamagedError:
            if not self.auto_ingest:
                raise
            moved = self.index.quarantine()
            self.say("the index could not be read; " + (f"moved it to {moved} and rebuilding…" if moved else "rebuilding…"))
            return self._open_once(rebuild=True)

    def _open_once(self, rebuild: bool = False) -> Snapshot:
        """Open the current generation; build or refresh it first when missing or stale."""
        from .index import files_fingerprint

        fingerprint = files_fingerprint(self.settings.corpus_dir)
        saved = self._saved_snapshot_path
        if not rebuild and (key := self.index.snapshot_key()):
            snap = Snapshot.read(saved, key)
            if snap is not None and snap.corpus_hash == fingerprint:
                self._seen_key = key
                return snap  # the store is exactly as when this copy was saved: no need to open it
        opened = None
        if not rebuild:
            try:
                opened = self.index.open_current()
            except IndexDamagedError:
                raise
            except AssistantError:
                if not self.auto_ingest:
                    raise
        stale = opened is not None and opened[3].get("corpus_hash") != fingerprint
        if self.auto_ingest and (opened is None or stale):
            self.say("building the index (first run or corpus changed)…")
            rep = self.index.ingest(rebuild=rebuild, progress=tqdm_progress())
            self.say(rep.summary())
            opened = self.index.open_current()
        chunks, sents, claims, man = opened
        with _storage_errors():
            snap = Snapshot.load(chunks, sents, claims, man["generation"], man.get("corpus_hash", ""))
        if key := self.index.snapshot_key():  # read after the store's own writes on opening
            self._seen_key = key
            try:
                snap.save(saved, key)
            except OSError as e:  # a read-only data folder only costs the next start its speed
                self.say(f"could not save the loaded index to {saved} ({e.strerror}); answering is unaffected")
        return snap

    @property
    def _saved_snapshot_path(self) -> Path:
        return Path(self.settings.data_dir) / "cache" / f"snapshot-{self.settings.collection}.npz"

    def _follow_ingests(self) -> None:
        """A long-running process serves a new generation once an ingest (here or in another process) switched
        to it: checked by one stat of the embedded store per question, the manifest read only when it changed."""
        snap = self._snapshot  # another thread may reload meanwhile
        if snap is None or not (key := self.index.snapshot_key()) or key == self._seen_key:
            return
        self._seen_key = key
        try:
            man = self.index.manifest()
        except AssistantError:
            return  # mid-ingest or damaged: keep serving what is loaded; opening again will say what to do
        if man and man.get("generation") != snap.generation:
            self.reload()

    @property
    def loaded(self) -> bool:
        """True once the index is open and answering needs no more start-up work."""
        return self._snapshot is not None

    def reload(self) -> None:
        """Drop the loaded snapshot so the next question sees a new index generation."""
        with self._lock:
            self._snapshot, self._chain = None, None

    def _build(self, snap: Snapshot) -> None:
        s = self.settings
        self.encoder = QueryEncoder(self.index.embedder)
        self.fixer = SpellFixer(vocabulary(snap.chunk_texts), english=english_words(s.model_path))
        questions = SentenceQuestions(snap, self.index.embedder, Path(s.data_dir) / "cache")
        self.classifier = TypeClassifier(self.index.embedder, Path(s.data_dir) / "cache", s.classifier,
                                         examples=(questions.vectors, questions.types))
        self.retriever = HybridRetriever(snapshot=snap, encoder=self.encoder, fixer=self.fixer, dense_k=s.dense_k,
                                         lexical_k=s.lexical_k, rrf_k=s.rrf_k, top_k=s.top_k)
        self.composer = GroundedComposer(snap, self.encoder, s.composer, refusal_text=REFUSAL,
                                         min_similarity=s.min_similarity, questions=questions)
        ledger = load_ledger(s.corpus_dir)
        self.matcher = ClaimMatcher(ledger, snap.claim_keys, snap.claim_emb, s.claim_similarity)
        composer = self.composer
        if s.llm or self._llm is not None:
            from .llm import LLMComposer

            composer = LLMComposer(self.composer, settings=s, model=self._llm)
        self.active_composer = composer
        self._chain = self._make_chain(self.retriever)

    def _make_chain(self, retriever) -> Runnable:
        """retriever -> composer, as one runnable: any LangChain retriever or composer drops in."""
        return (RunnableLambda(lambda x: {**x, "docs": retriever.invoke(x["query"])}, name="retrieve")
                | RunnableLambda(self._compose_step, name="compose"))

    def use_retriever(self, retriever) -> None:
        """Swap the retriever (e.g. a baseline or a deliberately bad one in tests)."""
        self.load()
        self.retriever = retriever
        self._chain = self._make_chain(retriever)

    @property
    def chain(self) -> Runnable:
        self.load()
        return self._chain

    def _compose_step(self, x: dict) -> Answer:
        t = time.perf_counter()
        ans = self.active_composer.compose(x["question"], x["docs"], context=x.get("context"),
                                           min_similarity=x.get("min_similarity"), qtype=x.get("qtype"),
                                           about_article=x.get("about_article", False),
                                           exclude=x.get("exclude", frozenset()), max_sentences=x.get("max_sentences"),
                                           groups=x.get("groups", frozenset()))
        ans.retrieved = [d.metadata["source_id"] for d in x["docs"]]
        ans.contexts = [d.page_content for d in x["docs"]]
        ans.timings_ms["retrieve"] = round((t - x["t0"]) * 1000, 2)
        ans.timings_ms["compose"] = round((time.perf_counter() - t) * 1000, 2)
        return ans

    # -- public API ---------------------------------------------------------
    def understand(self, message: str, history: list | None = None) -> Understanding:
        """The parts of a message to answer, the runner's context and the intent; for a follow-up, read
        together with the earlier user turn it builds on."""
        self.load()
        prev = last_user_turn(history)
        if prev:
            own = analyse(message, self.fixer)
            if not (FOLLOWUP.search(message) or (not own.domain and len(message.split()) < 10)):
                prev = ""
        return understand(message, self.fixer, self.encoder, self.classifier, previous=prev or None)

    def ask(self, question: str, history: list | None = None) -> Answer:
        t0 = time.perf_counter()
        q = clean_question(question, self.settings.max_question_chars)
        self._follow_ingests()
        u = self.understand(q, history)
        for part in u.parts:
            # "my watch says X, should I trust it?": about the watch, however many lifting words; and in a message of
            # several questions, one that neither names strength training nor fits a question type is not ours
            unsure = part.type_score < self.settings.type_confidence
            several = len(u.parts) > 1  # "creatine while lifting? and how many sessions?": the first part is creatine's
            # (...but "if carbon plates already give 4% economy, is there any point lifting for economy?" asks about
            # lifting for an outcome the evidence measured, whatever it names first)
            if part.off_terms and (unsure or (several and part.off_first and not outcomes(part.text) & {"economy"})
                                   or not part.named_domain):
                part.in_scope = False
        kept = [p for p in u.parts if p.in_scope]
        if any("?" in p.text and p.named_domain for p in kept):
            # a musing said in passing ("Honestly wondering if I should just quit road marathons and do trails.")
            # beside a question about lifting is backstory unless it clearly fits a question type
            # (a part split from a sentence that asks, "Is Friday too close to the long run, and should I…?", asks too)
            asked = question_sentences(q).lower()
            for part in kept:
                if part.text[:40].lower().rstrip(" ,?") not in asked and not part.named_domain \
                        and part.type_score < self.settings.musing_confidence:
                    part.in_scope = False
            kept = [p for p in u.parts if p.in_scope]
        unsure_parts = [p for p in kept if p.type_score < self.settings.type_confidence and not p.named_domain]
        if len(u.parts) > 1 and not (u.intent.domain and unsure_parts == kept):
            for part in unsure_parts:  # ...unless the message is about lifting and no part is surer than these
                part.in_scope = False
        if not looks_english(q, self.fixer):
            ans = Answer(question=q, answer=NOT_ENGLISH, refused=True)
        elif self._out_of_scope(u.intent, q) or not u.answerable or self._asks_elsewhere(u, q):
            ans = Answer(question=q, answer=REFUSAL, refused=True)
        elif u.about_article and (claim := article_claim(q)) and asks_if_true(q, claim) \
                and (ans := self._article_check(q, claim)).citations:
            pass  # "the article says X — true?" is a claim check of X — when the evidence speaks to X; otherwise
            # ("cleared after ACL surgery, can I lift heavy like the article says?") it is answered as a question
        else:
            answered, used = [], set()
            groups = frozenset(populations(q))  # who is asking, said anywhere in the message
            for part in u.answerable:
                context = self._part_context(part, u)
                a = self._invoke({"question": part.text, "query": f"{context} {part.text}" if context else part.text,
                                  "context": context, "min_similarity": self._floor(part, u),
                                  "qtype": part.qtype if part.type_score >= self.settings.type_confidence else None,
                                  "about_article": u.about_article, "t0": t0, "exclude": frozenset(used),
                                  "max_sentences": self.settings.max_sentences_per_part if len(u.answerable) > 1 else None,
                                  "groups": groups})
                if not a.refused:
                    answered.append((part, a))
                    used |= {c.quote for c in a.citations}
            ans = outline.assemble(q, u, answered) if answered else Answer(question=q, answer=REFUSAL, refused=True)
            if u.context.pain and not ans.refused:  # pain or an injury now, anywhere in the message: clinician first,
                # or straight after the answer when it is a minor aside and not what the question is about
                aside = u.context.pain_in_passing and not any(pain_now(p.text) for p in u.answerable)
                ans = outline.with_safety_first(ans, self.composer.safety_sentence(q), lead=not aside)
        if not ans.refused:
            from_check = list(ans.caveats)  # an article claim checked: the caveats of the article claims it matched
            ans.caveats = caveat_rules.select(outline.caveat_intent(u, self.settings.type_confidence), ans.citations,
                                              self._article_claims(u.intent.text) if u.about_article else set(),
                                              about_article=u.about_article)
            ans.caveats += [c for c in from_check if c.id not in {k.id for k in ans.caveats}]
        if u.intent.injection:
            ans.notice = INJECTION_NOTICE
        ans.timings_ms["total"] = round((time.perf_counter() - t0) * 1000, 2)
        return ans

    def _part_context(self, part, u: Understanding) -> str | None:
        """What a part is read with: the earlier turn of a follow-up; for a short question ("Where do I start?"), or
        one that doesn't name strength training itself, the sentence before it and what its question type is about."""
        bits = [u.previous] if u.previous else []
        if len(part.text.split()) <= 10 or not part.named_domain:  # "does the order matter?" leans on its backstory
            qt = question_type(part.qtype) if part.type_score >= self.settings.type_confidence else None
            bits += [part.before, qt.description if qt else ""]
        if asks_progression(part.text):  # "do I add 2.5 kg a week?": look for how to progress, whatever the type
            bits.append("progression: raise the load in small steps once you can do more reps than the target")
        return " ".join(b for b in bits if b) or None

    def _article_check(self, question: str, claim: str) -> Answer:
        res = self.checker.check(claim, from_article=True)
        return Answer(question=question, answer=res.answer, citations=res.citations, refused=False, caveats=res.caveats,
                      timings_ms=dict(res.timings_ms), retrieved=res.retrieved, contexts=res.contexts)

    def _invoke(self, x: dict) -> Answer:
        """Run the chain; if the store went away under us (e.g. a concurrent ingest swapped generations),
        reload the current generation once and retry."""
        try:
            return self.chain.invoke(x)
        except AssistantError:
            raise
        except Exception:
            self.reload()
            with _storage_errors():
                return self.chain.invoke(x)

    def _asks_elsewhere(self, u: Understanding, message: str) -> bool:
        """The message reads as a runner's question about something else ("Gym is going fine. Any tips for running
        in the heat?"): the scope model's off-topic class, when no part names strength training and the message
        names no study, running economy, pain or condition."""
        if self.settings.off_topic_probability >= 1 or u.previous or any(p.named_domain for p in u.parts) \
                or u.intent.medical or u.context.pain or "economy" in outcomes(message) \
                or named_sources(message, self.composer.names):
            return False  # ...running economy, the outcome the evidence is about, is never off topic
        return self.classifier.off_topic(self.encoder(message)) >= self.settings.off_topic_probability

    def _out_of_scope(self, intent: Intent, question: str) -> bool:
        if intent.injection and not asks_something(question):
            return True  # an instruction with no question in it: nothing to answer
        return intent.off_topic and not intent.domain and not intent.medical


    def _floor(self, part, u: Understanding) -> float:
        """Similarity needed to answer a part: low when it names strength training (or follows up on a
        message that does), higher when only running or research words tie it to the corpus, highest otherwise."""
        s = self.settings
        if part.named_domain or u.intent.domain:
            return s.min_similarity
        if u.intent.related or u.intent.running:
            return (s.min_similarity + s.scope_similarity) / 2
        return s.scope_similarity

    def _article_claims(self, text: str) -> set[str]:
        """Article claims a question touches: those of the ledger claim it closely matches."""
        m = self.matcher.match(text, self.encoder(text))
        return {m.claim.article_claim} if m and m.claim.article_claim else set()

    def check(self, claim: str) -> Answer:
        """Judge a claim (split into its parts) and cite the evidence for and against it: see checker.py."""
        return self.checker.check(claim)

    def check_passage(self, passage: str):
        """Check every checkable claim of a paragraph or article: see checker.py."""
        return self.checker.check_passage(passage)

    @property
    def checker(self):
        from .checker import ClaimChecker

        if getattr(self, "_checker", None) is None:
            self._checker = ClaimChecker(self)
        return self._checker
