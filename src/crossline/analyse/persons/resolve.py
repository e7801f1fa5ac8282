"""Person resolution: which nominal records, across and within forces, are one person.

Forces hold their own records of the same people, spelled and dated differently, so a
national picture needs them joined: the runner Merseyside knows as Muhammad Khan, born
1999-04-03, is the Mohammed Khan born 1999-03-04 the Met has. This is a deduplication over
every force's records at once with a Fellegi-Sunter model (Splink): blocking rules choose
candidate pairs, the model scores each pair from learned m and u probabilities, pairs at
or above the match threshold are linked and persons are built from the links, strongest
first, never joining records that say they are different people (apart.py: a plainly
different given name, dates of birth a generation apart).

Training is Splink's own: u by random sampling of record pairs, m by expectation
maximisation over blocked pairs, the prior match rate from deterministic rules; nothing
is set by hand for a dataset. The seed fixes the sampling so that one store always
resolves to the same persons, and person ids derive from each person's smallest
(force, record_id), so they stay stable while the person's records stay together.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker

from crossline.analyse.persons import apart, blocking, model, noise
from crossline.analyse.persons import prepare as p
from crossline.analyse.persons.config import PersonsConfig
from crossline.analyse.persons.evidence import person_factors
from crossline.engine.base import Engine
from crossline.model import outputs as o
from crossline.model import schema as s

log = logging.getLogger(__name__)

PERSON_ID, MATCH_PROBABILITY = o.PERSON_ID, o.PERSONS.columns[3].name
PERSONS_SCHEMA = pa.schema(
    [
        (PERSON_ID, pa.string()),
        (s.FORCE, pa.string()),
        (s.RECORD_ID, pa.string()),
        (MATCH_PROBABILITY, pa.float64()),
    ]
)
assert tuple(PERSONS_SCHEMA.names) == o.PERSONS.export_columns


@dataclass
class Resolution:
    """What resolution did, for reports: the persons table and how it was reached."""

    persons: pa.Table
    records: int
    pairs_scored: int
    links: int
    trained: bool
    prior: float
    notes: list[str] = field(default_factory=list)
    timings: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Stage -> (wall seconds, CPU seconds of this process), for benchmarks."""


@contextmanager
def _timed(timings: dict[str, tuple[float, float]], stage: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    timings[stage] = (time.perf_counter() - wall, time.process_time() - cpu)


_NOMINALS = "__crossline_nominals"  # the prepared records, as Splink sees them


def person_id(force: str, record_id: str) -> str:
    """Stable id of a person, from its smallest (force, record_id)."""
    digest = hashlib.sha1(f"{force}\x1f{record_id}".encode()).hexdigest()
    return f"PER-{digest[:12]}"


def resolve_persons(engine: Engine, cfg: PersonsConfig | None = None) -> pa.Table:
    """One row per nominal record: person_id, force, record_id, match_probability.

    match_probability is the strongest link from the record to another record of its
    person (1.0 for a person known from one record only), with its evidence as factors."""
    cfg = cfg or PersonsConfig()
    return person_factors(resolve(engine, cfg).persons, cfg.match_threshold)


def resolve(engine: Engine, cfg: PersonsConfig | None = None) -> Resolution:
    # Splink logs its training diagnostics ("level ... not observed in dataset", EM
    # sampling probes) as warnings on the console, where an analyst reads them as faults;
    # the run's own notes (log, Resolution) say what training did.
    splink_log = logging.getLogger("splink")
    level = splink_log.level
    splink_log.setLevel(logging.ERROR)
    try:
        return _resolve(engine, cfg or PersonsConfig())
    finally:
        splink_log.setLevel(level)


def _resolve(engine: Engine, cfg: PersonsConfig) -> Resolution:
    timings: dict[str, tuple[float, float]] = {}
    with _timed(timings, "prepare"):
        prep = p.prepare_nominals(engine, cfg.postcode_block_max_records)
    n = prep.num_rows
    if n < 2:
        return Resolution(_assemble(prep, np.arange(n), np.ones(n)), n, 0, 0, False, 0.0)

    threads = cfg.threads or os.cpu_count() or 1
    backend = engine.splink_backend(threads=threads, memory_limit=cfg.memory_limit)
    sdf = backend.api.register(prep, table_name=_NOMINALS)
    notes: list[str] = []
    prior = cfg.probability_two_random_records_match or 1e-4
    trained = n >= cfg.min_records_to_train
    linker = Linker(sdf, model.settings(prior, tf=trained), log_level=None)
    if cfg.probability_two_random_records_match is None:
        with _timed(timings, "prior"):
            prior = _estimate_prior(linker, n, cfg, notes)
    if trained:
        # trained where the engine says (for Spark: in-process DuckDB, the same samples)
        coach = engine.splink_training_backend(threads=threads, memory_limit=cfg.memory_limit)
        local = sdf if coach is None else coach.api.register(prep, table_name=_NOMINALS)
        learner = Linker(local, model.settings(prior, tf=trained), log_level=None)
        with _timed(timings, "train"):
            trained_model = _train(learner, local, cfg, notes, timings)
        floored = _floor_m(trained_model, cfg.m_floor, notes)
        if coach is not None:  # the model's SQL in the scoring backend's dialect
            floored = _trained_for(backend.api, floored, prior)
        linker = Linker(sdf, floored, log_level=None)
    else:
        notes.append(
            f"{n} records are too few to train on (< {cfg.min_records_to_train}): "
            "the model's starting m and u values were used"
        )
    # Scoring writes the pairs in parallel when their order is free (clustering does not
    # depend on it); training keeps insertion order so that its seeded samples repeat.
    backend.free_row_order()
    with _timed(timings, "predict"):
        pairs = linker.inference.predict(
            threshold_match_probability=cfg.predict_floor, warning_mode="never"
        ).as_pyarrow_table()  # type: ignore[no-untyped-call]
    with _timed(timings, "cluster"):
        uid_l = pairs.column(f"{p.UID}_l").to_numpy()
        uid_r = pairs.column(f"{p.UID}_r").to_numpy()
        prob = pairs.column("match_probability").to_numpy()
        keep = prob >= cfg.match_threshold
        edges = _Edges(uid_l[keep] - 1, uid_r[keep] - 1, prob[keep])
        recs = apart.records(prep)
        gap = _generation_gap(prep, recs, cfg, notes)
        strict = _strict_names(prep, recs, cfg, notes)

        def link(e: _Edges) -> np.ndarray:
            return apart.constrained_components(n, e.a, e.b, e.prob, recs, gap, strict)

        labels = link(edges)
        labels = _split_oversized(n, edges, labels, cfg, notes, link)
        best = _best_link(n, edges, labels)
    with _timed(timings, "assemble"):
        persons = _assemble(prep, labels, best)
    for note in notes:
        log.info("person resolution: %s", note)
    for stage, (wall, cpu) in timings.items():
        log.info("person resolution: %s %.1f s (CPU %.1f s)", stage, wall, cpu)
    return Resolution(persons, n, len(prob), int(keep.sum()), trained, prior, notes, timings)


def _generation_gap(
    prep: pa.Table, recs: list[apart.Rec], cfg: PersonsConfig, notes: list[str]
) -> int | None:
    """The generation rule's gap, or None where this data's dates of birth are noise."""
    gap = cfg.generation_gap_years
    if gap is None:
        return None
    check = noise.generation_check(prep, recs, gap, cfg.generation_beyond_years)
    if not check.dates_are_noise(cfg.generation_noise_share, cfg.generation_noise_min_pairs):
        notes.append(
            f"generation rule applied: {check.pairs} pairs of records with one full name at "
            f"one address {gap}+ years apart, {check.beyond} over "
            f"{cfg.generation_beyond_years} years apart"
        )
        return gap
    notes.append(
        f"generation rule not applied: of {check.pairs} pairs of records with one full name "
        f"at one address and dates of birth {gap}+ years apart, {check.beyond} are over "
        f"{cfg.generation_beyond_years} years apart (no parent and child are), so these "
        "dates of birth are noise, not a generation"
    )
    return None


def _strict_names(
    prep: pa.Table, recs: list[apart.Rec], cfg: PersonsConfig, notes: list[str]
) -> bool:
    """Whether a plainly different given name alone keeps two records apart here."""
    if not cfg.twins_rule:
        return False
    check = noise.names_check(prep, recs)
    replaced = check.names_are_noise(cfg.name_noise_share, cfg.name_noise_min_pairs)
    notes.append(
        f"twins rule {'not applied' if replaced else 'applied'}: of records with one full "
        f"date of birth at one address, {check.given} pairs of one family name have "
        f"plainly different given names and {check.family} pairs of one given name "
        "plainly different family names"
        + (
            " (names replaced, not typed: a different given name is no evidence)"
            if replaced
            else ""
        )
    )
    return not replaced


def _estimate_prior(linker: Linker, n: int, cfg: PersonsConfig, notes: list[str]) -> float:
    """Prior match rate from pairs that are one person beyond doubt (a shared phone
    number; same canonical name and full date of birth), scaled up by their assumed
    recall. Bounded above by one half, below by one true pair among all pairs (or
    1e-3 when there are fewer than a thousand pairs)."""
    settings = linker._settings_obj
    lo, hi = min(1.0 / (n * (n - 1) / 2), 1e-3), 0.5
    try:
        linker.training.estimate_probability_two_random_records_match(
            blocking.deterministic_rules(), recall=cfg.deterministic_rules_recall
        )
        prior = float(settings._probability_two_random_records_match)
    except ValueError:  # the rules found more pairs than the assumed recall allows
        prior = hi
    if not lo <= prior <= hi:
        prior = min(max(prior, lo), hi)
        settings._probability_two_random_records_match = prior
        notes.append(f"prior match rate bounded to {prior:.3g}")
    return prior


def _train(
    linker: Linker,
    sdf: Any,
    cfg: PersonsConfig,
    notes: list[str],
    timings: dict[str, tuple[float, float]],
) -> dict[str, Any]:
    """u by sampling, then m by one EM session per training rule; the trained model.

    A session that fails (Splink raises when an m underflows) keeps the model as it was
    before the session. Splink takes the session's blocked comparisons out of the
    linker's settings while it trains and puts them back only when it succeeds: after a
    failed session on the name block the linker had lost both name comparisons, and
    persons were then resolved without names (two records sharing only a postcode
    linked at 0.99997)."""
    with _timed(timings, "train u"):
        linker.training.estimate_u_using_random_sampling(max_pairs=cfg.u_max_pairs, seed=cfg.seed)
    trained = linker.misc.save_model_to_json()
    for i, rule in enumerate(blocking.training_blocking_rules()):
        try:
            with _timed(timings, f"train EM {i + 1}"):
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True, max_pairs=cfg.em_max_pairs
                )
            trained = linker.misc.save_model_to_json()
        except Exception as exc:  # a session that cannot train keeps the model as it was
            notes.append(f"EM session skipped ({exc.__class__.__name__}: {exc})")
            linker = Linker(sdf, trained, log_level=None)
    return trained


def _trained_for(api: Any, trained: dict[str, Any], prior: float) -> dict[str, Any]:
    """The model written for `api`'s SQL dialect, carrying the trained m, u and prior: a
    model saved by one backend holds its SQL in that backend's dialect, which another
    reads wrongly (DuckDB's quoted names are string literals to Spark)."""
    out: dict[str, Any] = model.settings(prior, tf=True).create_settings_dict(
        api.sql_dialect.sql_dialect_str
    )
    out["probability_two_random_records_match"] = trained["probability_two_random_records_match"]
    for mine, theirs in zip(out["comparisons"], trained["comparisons"], strict=True):
        for a, b in zip(mine["comparison_levels"], theirs["comparison_levels"], strict=True):
            for key in ("m_probability", "u_probability"):
                if key in b:
                    a[key] = b[key]
    return out


def _floor_m(model_dict: dict[str, Any], floor: float, notes: list[str]) -> dict[str, Any]:
    """The trained model with every m probability at least `floor`.

    EM over a few hundred true pairs sees no true pair in a rare level (a family name
    that differs completely, dates of birth a year apart) and drives its m towards zero,
    so that one such disagreement would veto any match however strong the rest; a floor
    keeps such a disagreement strong evidence against, not proof."""
    raised = 0
    for comparison in model_dict["comparisons"]:
        for level in comparison["comparison_levels"]:
            m = level.get("m_probability")
            if m is not None and m < floor:
                level["m_probability"] = floor
                raised += 1
    if raised:
        notes.append(f"{raised} m probabilities raised to the floor {floor}")
    return model_dict


@dataclass
class _Edges:
    a: np.ndarray
    b: np.ndarray
    prob: np.ndarray

    def subset(self, mask: np.ndarray) -> _Edges:
        return _Edges(self.a[mask], self.b[mask], self.prob[mask])


def _split_oversized(
    n: int,
    edges: _Edges,
    labels: np.ndarray,
    cfg: PersonsConfig,
    notes: list[str],
    link: Callable[[_Edges], np.ndarray],
) -> np.ndarray:
    """A component far larger than one person's records is a chain of doubtful links
    (a common name and a shared birthday): re-link it at stricter thresholds."""
    sizes = np.bincount(labels, minlength=n)
    big = np.flatnonzero(sizes > cfg.max_cluster_size)
    if big.size == 0:
        return labels
    threshold = cfg.match_threshold
    while big.size and threshold < 1 - 1e-9:
        threshold = 1 - (1 - threshold) / 10
        inside = np.isin(labels[edges.a], big) & (edges.prob >= threshold)
        outside = ~np.isin(labels[edges.a], big)
        labels = link(edges.subset(inside | outside))
        sizes = np.bincount(labels, minlength=n)
        big = np.flatnonzero(sizes > cfg.max_cluster_size)
        notes.append(f"oversized persons re-linked at probability {threshold:.6f}")
    return labels


def _best_link(
    n: int,
    edges: _Edges,
    labels: np.ndarray,
) -> np.ndarray:
    """Each record's strongest link inside its person (1.0 for a record alone)."""
    best = np.full(n, -1.0)
    same = labels[edges.a] == labels[edges.b]
    for end in (edges.a[same], edges.b[same]):
        np.maximum.at(best, end, edges.prob[same])
    return np.where(best < 0, 1.0, best)


def _assemble(
    prep: pa.Table,
    labels: np.ndarray,
    best: np.ndarray,
) -> pa.Table:
    """Rows in uid order (uid is the rank of (force, record_id)), so the first record of
    each component is its smallest (force, record_id) and names the person."""
    order = pc.sort_indices(prep.column(p.UID))
    forces = pc.take(prep.column(s.FORCE), order).combine_chunks()
    records = pc.take(prep.column(s.RECORD_ID), order).combine_chunks()
    roots, inverse = np.unique(labels, return_inverse=True)
    root_forces = forces.take(pa.array(roots)).to_pylist()
    root_records = records.take(pa.array(roots)).to_pylist()
    ids = pa.array(
        [person_id(f, r) for f, r in zip(root_forces, root_records, strict=True)], pa.string()
    )
    return pa.table(
        [
            ids.take(pa.array(inverse.reshape(-1))),
            forces.cast(pa.string()),
            records.cast(pa.string()),
            pa.array(np.round(best, 6), pa.float64()),
        ],
        schema=PERSONS_SCHEMA,
    )
