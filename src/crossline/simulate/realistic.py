"""The realistic style's records (families.py says how they vary and who is related):
each record drawn with its own slips, relatives and namesakes given records of their own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from crossline.model import schema as s
from crossline.model.vocab import EventType
from crossline.simulate import families, names
from crossline.simulate.families import Ident
from crossline.simulate.world import World

if TYPE_CHECKING:
    from crossline.simulate.records import _Builder


def record(b: _Builder, p: int, force: str, rid: str, ident: Ident, flags: Sequence[str]) -> str:
    """A record as forces actually hold them (families.py describes how they vary)."""
    from crossline.simulate import records

    rng = b.rrng
    given, family = families.one_name(
        families.vary_given(ident.given, rng), families.vary_family(ident.family, rng), rng
    )
    phones = []
    if rng.random() < 0.55:
        phones.append(names.phone_format("44" + str(int(b.w.number[p])), rng))
    if b.w.new_number[p] and rng.random() < 0.5:
        phones.append(names.phone_format("44" + str(int(b.w.new_number[p])), rng))
    address = ident.address if rng.random() < 0.7 else records._other_address(rng, b.w, p)
    b.out.nominals.append(
        {
            s.RECORD_ID: rid,
            s.FORCE: force,
            s.FAMILY_NAME: family,
            s.GIVEN_NAMES: given,
            s.DATE_OF_BIRTH: families.vary_dob(ident.dob, rng),
            s.SEX: ident.sex if rng.random() < 0.95 else "U",
            s.ADDRESS: address if rng.random() < 0.85 else "",
            s.POSTCODE: ident.postcode if rng.random() < 0.8 else "",
            s.PHONE_NUMBERS: s.LIST_SEP.join(phones),
            s.FLAGS: s.LIST_SEP.join(sorted(set(flags))),
        }
    )
    b.out.nominal_truth.append(
        {s.FORCE: force, s.RECORD_ID: rid, "person_id": records.person_id(p)}
    )
    return rid


def relatives(w: World, b: _Builder) -> None:
    """Realistic style: relatives and namesakes of the people forces hold, with records
    of their own (a sibling known to the same force, a father at the same address), and
    now and then a missing report of a child who is not in any line's hands."""
    from crossline.simulate import records

    anchors = sorted({p for p, _f in b.by_force})
    roles = np.zeros(w.n_people, dtype=bool)
    roles[anchors] = True
    for line in w.lines:
        roles[[line.holder, *[r.person for r in line.runners], *line.cuckooed]] = True
        roles[line.customers] = True
    d = w.identity_draws
    assert isinstance(d, records._Draws)
    fam = families.plan(
        w,
        anchors,
        np.flatnonzero(~roles),
        w.age,
        w.female,
        w.home_place,
        lambda q: records.identity(w, q),
        w.cfg.seed,
    )
    d.families.update(fam.identities)
    force_of = [p.force for p in w.places]
    rng = b.rrng
    for q in sorted(fam.identities):
        f = force_of[int(w.home_place[q])]
        b.nominal(q, f, [])
        if w.age[q] < 18 and rng.random() < 0.2:
            day = int(rng.integers(0, max(1, w.cfg.days - 3)))
            b.event(f, EventType.MISSING_EPISODE, day, q, cell=b.located(int(w.home_cell[q])))
            b.event(f, EventType.FOUND_AFTER_MISSING, day + 1, q)
    b.out.relatives.extend(fam.relatives)
