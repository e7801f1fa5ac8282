"""Person resolution: which nominal records, across and within forces, are one person.

Forces hold their own records of the same people, spelled and dated differently, so a
national picture needs them joined: the runner Merseyside knows as Muhammad Khan, born
1999-04-03, is the Mohammed Khan born 1999-03-04 the Met has. This is a deduplication over
every force's records at once with a Fellegi-Sunter model (Splink): blocking rules choose
candidate pairs, the model scores each pair from learned m and u probabilities, pairs at
or above the match threshold are linked and persons are the connected components.

Training is Splink's own: u by random sampling of record pairs, m by expectation
maximisation over blocked pairs, the prior match rate from deterministic rules; nothing
is set by hand for a dataset. The seed fixes the sampling so that one store always
resolves to the same persons, and person ids derive from each person's smallest
(force, record_id), so they stay stable while the person's records stay together.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from splink import DuckDBAPI, Linker

from crossline.analyse import persons_model as model
from crossline.analyse import persons_prepare as p
from crossline.analyse.persons_config import PersonsConfig
from crossline.engine.base import Engine
from crossline.model import schema as s

log = logging.getLogger(__name__)

PERSON_ID, MATCH_PROBABILITY = s.PERSONS_COLUMNS[0], s.PERSONS_COLUMNS[3]
PERSONS_SCHEMA = pa.schema(
    [
        (PERSON_ID, pa.string()),
        (s.FORCE, pa.string()),
        (s.RECORD_ID, pa.string()),
        (MATCH_PROBABILITY, pa.float64()),
    ]
)
assert tuple(PERSONS_SCHEMA.names) == s.PERSONS_COLUMNS


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


def person_id(force: str, record_id: str) -> str:
    """Stable id of a person, from its smallest (force, record_id)."""
    digest = hashlib.sha1(f"{force}\x1f{record_id}".encode()).hexdigest()
    return f"PER-{digest[:12]}"


def resolve_persons(engine: Engine, cfg: PersonsConfig | None = None) -> pa.Table:
    """One row per nominal record: person_id, force, record_id, match_probability.

    match_probability is the strongest link from the record to another record of its
    person (1.0 for a person known from one record only)."""
    return resolve(engine, cfg).persons


def resolve(engine: Engine, cfg: PersonsConfig | None = None) -> Resolution:
    cfg = cfg or PersonsConfig()
    prep = p.prepare_nominals(engine)
    n = prep.num_rows
    if n < 2:
        return Resolution(_assemble(prep, np.arange(n), {}), n, 0, 0, False, 0.0)

    db_api = DuckDBAPI()
    sdf = db_api.register(prep, table_name="__crossline_nominals")
    notes: list[str] = []
    prior = cfg.probability_two_random_records_match or 1e-4
    trained = n >= cfg.min_records_to_train
    linker = Linker(sdf, model.settings(prior, tf=trained), log_level=None)
    if cfg.probability_two_random_records_match is None:
        prior = _estimate_prior(linker, n, cfg, notes)
    if trained:
        _train(linker, cfg, notes)
        linker = Linker(sdf, _floor_m(linker, cfg.m_floor, notes), log_level=None)
    else:
        notes.append(
            f"{n} records are too few to train on (< {cfg.min_records_to_train}): "
            "the model's starting m and u values were used"
        )
    pairs = linker.inference.predict(
        threshold_match_probability=cfg.predict_floor, warning_mode="never"
    ).as_pyarrow_table()  # type: ignore[no-untyped-call]
    uid_l = pairs.column(f"{p.UID}_l").to_numpy()
    uid_r = pairs.column(f"{p.UID}_r").to_numpy()
    prob = pairs.column("match_probability").to_numpy()
    keep = prob >= cfg.match_threshold
    edges = _Edges(uid_l[keep] - 1, uid_r[keep] - 1, prob[keep])
    labels = _components(n, edges)
    labels = _split_oversized(n, edges, labels, cfg, notes)
    best = _best_link(n, edges, labels)
    persons = _assemble(prep, labels, best)
    for note in notes:
        log.info("person resolution: %s", note)
    return Resolution(persons, n, len(prob), int(keep.sum()), trained, prior, notes)


def _estimate_prior(linker: Linker, n: int, cfg: PersonsConfig, notes: list[str]) -> float:
    """Prior match rate from pairs that are one person beyond doubt (a shared phone
    number; same canonical name and full date of birth), scaled up by their assumed
    recall. Bounded above by one half, below by one true pair among all pairs (or
    1e-3 when there are fewer than a thousand pairs)."""
    settings = linker._settings_obj
    lo, hi = min(1.0 / (n * (n - 1) / 2), 1e-3), 0.5
    try:
        linker.training.estimate_probability_two_random_records_match(
            model.deterministic_rules(), recall=cfg.deterministic_rules_recall
        )
        prior = float(settings._probability_two_random_records_match)
    except ValueError:  # the rules found more pairs than the assumed recall allows
        prior = hi
    if not lo <= prior <= hi:
        prior = min(max(prior, lo), hi)
        settings._probability_two_random_records_match = prior
        notes.append(f"prior match rate bounded to {prior:.3g}")
    return prior


def _train(linker: Linker, cfg: PersonsConfig, notes: list[str]) -> None:
    linker.training.estimate_u_using_random_sampling(max_pairs=cfg.u_max_pairs, seed=cfg.seed)
    for rule in model.training_blocking_rules():
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=cfg.em_max_pairs
            )
        except Exception as exc:  # a session that cannot train keeps its priors
            notes.append(f"EM session skipped ({exc.__class__.__name__}: {exc})")


def _floor_m(linker: Linker, floor: float, notes: list[str]) -> dict[str, Any]:
    """The trained model with every m probability at least `floor`.

    EM over a few hundred true pairs sees no true pair in a rare level (a family name
    that differs completely, dates of birth a year apart) and drives its m towards zero,
    so that one such disagreement would veto any match however strong the rest; a floor
    keeps such a disagreement strong evidence against, not proof."""
    model_dict = linker.misc.save_model_to_json()
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


def _components(n: int, edges: _Edges) -> np.ndarray:
    """Connected components (union-find, path halving); label = smallest member index."""
    parent = np.arange(n)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    for a, b in zip(edges.a.tolist(), edges.b.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(n)])


def _split_oversized(
    n: int,
    edges: _Edges,
    labels: np.ndarray,
    cfg: PersonsConfig,
    notes: list[str],
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
        labels = _components(n, edges.subset(inside | outside))
        sizes = np.bincount(labels, minlength=n)
        big = np.flatnonzero(sizes > cfg.max_cluster_size)
        notes.append(f"oversized persons re-linked at probability {threshold:.6f}")
    return labels


def _best_link(
    n: int,
    edges: _Edges,
    labels: np.ndarray,
) -> dict[int, float]:
    best: dict[int, float] = {}
    same = labels[edges.a] == labels[edges.b]
    for a, b, pr in zip(
        edges.a[same].tolist(), edges.b[same].tolist(), edges.prob[same].tolist(), strict=True
    ):
        for i in (a, b):
            if pr > best.get(i, -1.0):
                best[i] = pr
    return best


def _assemble(
    prep: pa.Table,
    labels: np.ndarray,
    best: dict[int, float],
) -> pa.Table:
    """Rows in uid order (uid is the rank of (force, record_id)), so the first record of
    each component is its smallest (force, record_id) and names the person."""
    forces = prep.column(s.FORCE).to_pylist()
    records = prep.column(s.RECORD_ID).to_pylist()
    order = pc.sort_indices(prep.column(p.UID)).to_numpy()
    forces = [forces[i] for i in order]
    records = [records[i] for i in order]
    ids: dict[int, str] = {}
    out_ids: list[str] = []
    probs: list[float] = []
    for i in range(len(forces)):
        root = int(labels[i])
        if root not in ids:
            ids[root] = person_id(forces[root], records[root])
        out_ids.append(ids[root])
        probs.append(round(best.get(i, 1.0), 6))
    return pa.table(
        [
            pa.array(out_ids, pa.string()),
            pa.array(forces, pa.string()),
            pa.array(records, pa.string()),
            pa.array(probs, pa.float64()),
        ],
        schema=PERSONS_SCHEMA,
    )
