"""What forces and providers hold about the world: nominal records (overlapping across
forces, with the variation real records show), events, graded intelligence and subscriber
data (subscribers.py), and the truth of who each record is. The realistic style's records
and relatives are realistic.py's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from crossline.model import schema as s
from crossline.model.vocab import EventType, NominalFlag
from crossline.simulate import families, names, realistic
from crossline.simulate.families import Ident as Identity
from crossline.simulate.subscribers import subscribers
from crossline.simulate.world import World

Row = dict[str, object]


def e164(national: int) -> str:
    return f"+44{int(national)}"


@dataclass
class Records:
    nominals: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    intelligence: list[Row] = field(default_factory=list)
    subscribers: list[Row] = field(default_factory=list)
    nominal_truth: list[Row] = field(default_factory=list)  # force, record_id, person_id
    missing_reported: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    # realistic style: (anchor, relative, kind) of the families and namesakes planned
    relatives: list[tuple[int, int, str]] = field(default_factory=list)


def person_id(p: int) -> str:
    return f"P{p:07d}"


class _Draws:
    """Every person's identity draws at once (vectorised), so a million-person world
    needs no per-person random generator."""

    def __init__(self, world: World) -> None:
        n = world.n_people
        rng = np.random.default_rng([world.cfg.seed, 2])
        self.given = rng.integers(0, 1 << 30, n)
        self.family = rng.integers(0, len(names.FAMILY), n)
        self.day = rng.integers(0, 365, n)
        self.street = rng.integers(0, len(names.STREETS), n)
        self.house = rng.integers(1, 200, n)
        self.district = rng.integers(1, 20, n)
        self.sector = rng.integers(1, 10, n)
        self.unit = rng.integers(0, 26, (n, 2))
        realistic = world.cfg.style == "realistic"
        self.names = families.NameDraws.of(n, world.cfg.seed) if realistic else None
        self.families: dict[int, Identity] = {}  # relatives' identities (realistic)


def identity(world: World, p: int) -> Identity:
    d = world.identity_draws
    if not isinstance(d, _Draws):
        d = world.identity_draws = _Draws(world)
    if p in d.families:
        return d.families[p]
    female = bool(world.female[p])
    pool = names.GIVEN_F if female else names.GIVEN_M
    given = pool[int(d.given[p]) % len(pool)]
    family = names.FAMILY[int(d.family[p])]
    if d.names is not None:
        given, family = d.names.names(p, female)
    dob = world.cfg.start - timedelta(days=int(world.age[p]) * 365 + int(d.day[p]))
    place = world.places[int(world.home_place[p])]
    address = f"{int(d.house[p])} {names.STREETS[int(d.street[p])]}, {place.name}"
    area = "".join(ch for ch in place.name.upper() if ch.isalpha())[:2]
    postcode = f"{area}{int(d.district[p])} {int(d.sector[p])}" + "".join(
        chr(65 + int(x)) for x in d.unit[p]
    )
    return Identity(given, family, dob, "F" if female else "M", address, postcode)


class _Builder:
    def __init__(self, world: World) -> None:
        self.w = world
        self.rng = np.random.default_rng([world.cfg.seed, 3])
        self.out = Records()
        self.by_force: dict[tuple[int, str], str] = {}
        self.seq: dict[str, int] = {}
        self.start = datetime.combine(world.cfg.start, datetime.min.time(), UTC)
        self.realistic = world.cfg.style == "realistic"
        # the realistic style's own draws, so that own worlds are unchanged by it
        self.rrng = np.random.default_rng([world.cfg.seed, 23])

    def located(self, cell: int) -> int | None:  # realistic reports often give no place
        if self.realistic and self.rrng.random() < 0.4:
            return None
        return cell

    def _next(self, force: str, prefix: str) -> str:
        self.seq[prefix + force] = self.seq.get(prefix + force, 0) + 1
        return f"{prefix}{self.seq[prefix + force]:06d}"

    def when(self, day: int, hour: int | None = None) -> str:
        h = int(self.rng.integers(0, 24)) if hour is None else hour
        t = self.start + timedelta(days=day, hours=h, minutes=int(self.rng.integers(0, 60)))
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    def nominal(self, p: int, force: str, flags: Sequence[str]) -> str:
        """The record `force` holds of person p (created once, varied per force)."""
        key = (p, force)
        if key in self.by_force:
            return self.by_force[key]
        rid = self._add(p, force, flags)
        if self.realistic and self.rrng.random() < 0.05:
            self._add(p, force, flags)  # the force holds them twice
        self.by_force[key] = rid
        return rid

    def _add(self, p: int, force: str, flags: Sequence[str]) -> str:
        rng, ident = self.rng, identity(self.w, p)
        rid = self._next(force, "N")
        if self.realistic:
            return realistic.record(self, p, force, rid, ident, flags)
        dob: str
        u = rng.random()
        if u < 0.7:
            dob = ident.dob.isoformat()
        elif u < 0.8:
            dob = ident.dob.strftime("%Y-%m")
        elif u < 0.87:
            dob = str(ident.dob.year)
        elif u < 0.93 and ident.dob.day <= 12:
            dob = f"{ident.dob.year:04d}-{ident.dob.day:02d}-{ident.dob.month:02d}"
        elif u < 0.96:
            dob = (ident.dob + timedelta(days=int(rng.integers(-3, 4)))).isoformat()
        else:
            dob = ""
        phones = []
        if rng.random() < 0.6:
            phones.append(names.phone_format("44" + str(int(self.w.number[p])), rng))
        if self.w.new_number[p] and rng.random() < 0.5:
            phones.append(names.phone_format("44" + str(int(self.w.new_number[p])), rng))
        address = ident.address if rng.random() < 0.7 else _other_address(rng, self.w, p)
        self.out.nominals.append(
            {
                s.RECORD_ID: rid,
                s.FORCE: force,
                s.FAMILY_NAME: names.variant(ident.family, rng)
                if rng.random() < 0.3
                else ident.family,
                s.GIVEN_NAMES: names.variant(ident.given, rng)
                if rng.random() < 0.35
                else ident.given,
                s.DATE_OF_BIRTH: dob,
                s.SEX: ident.sex if rng.random() < 0.95 else "U",
                s.ADDRESS: address if rng.random() < 0.85 else "",
                s.POSTCODE: ident.postcode if rng.random() < 0.8 else "",
                s.PHONE_NUMBERS: s.LIST_SEP.join(phones),
                s.FLAGS: s.LIST_SEP.join(sorted(set(flags))),
            }
        )
        self.out.nominal_truth.append({s.FORCE: force, s.RECORD_ID: rid, "person_id": person_id(p)})
        return rid

    def event(
        self,
        force: str,
        etype: EventType,
        day: int,
        p: int | None = None,
        phone: int | None = None,
        cell: int | None = None,
        **extra: object,
    ) -> None:
        w = self.w
        lat = lon = ""
        if cell is not None:
            lat = f"{w.cells.lat[cell] + self.rng.normal(0, 0.002):.5f}"
            lon = f"{w.cells.lon[cell] + self.rng.normal(0, 0.002):.5f}"
        row: Row = {
            s.EVENT_ID: self._next(force, "E"),
            s.FORCE: force,
            s.EVENT_TYPE: etype.value,
            s.OCCURRED_AT: self.when(day),
            s.NOMINAL_RECORD_ID: "" if p is None else self.by_force.get((p, force), ""),
            s.PHONE_NUMBER: ""
            if phone is None
            else names.phone_format("44" + str(int(phone)), self.rng),
            s.LAT: lat,
            s.LON: lon,
            s.POSTCODE: "",
            s.VALUE_GBP: "",
            s.QUANTITY: "",
            s.DETAIL: "",
        }
        row.update({k: str(v) for k, v in extra.items()})
        self.out.events.append(row)

    def intel(self, force: str, day: int, kind: str, ref: str, text: str) -> None:
        rng = self.rng
        code = "C" if rng.random() < 0.15 else "P"
        self.out.intelligence.append(
            {
                s.INTEL_ID: self._next(force, "I"),
                s.FORCE: force,
                s.SUBMITTED_AT: self.when(day),
                s.SUBJECT_KIND: kind,
                s.SUBJECT_REF: ref,
                s.TEXT: text,
                s.SOURCE_EVALUATION: str(rng.choice(["1", "2", "2", "3"])),
                s.INTELLIGENCE_ASSESSMENT: str(rng.choice(["A", "B", "B", "C", "C", "D", "E"])),
                s.HANDLING_CODE: code,
                s.HANDLING_CONDITIONS: "Not to be disseminated outside the receiving force "
                "without the originator's consent"
                if code == "C"
                else "",
            }
        )


def _other_address(rng: np.random.Generator, w: World, p: int) -> str:
    street = names.STREETS[int(rng.integers(len(names.STREETS)))]
    return (
        f"Flat {int(rng.integers(1, 30))}, {int(rng.integers(1, 200))} {street}, "
        + w.places[int(w.home_place[p])].name
    )


def build_records(world: World) -> Records:
    b = _Builder(world)
    w, rng = world, b.rng
    force_of = [p.force for p in w.places]
    for line in w.lines:
        exp_f, imp_f = force_of[line.exporter], force_of[line.importer]
        h = line.holder
        b.nominal(
            h,
            exp_f,
            [NominalFlag.DRUGS_SUPPLY, NominalFlag.GANG_ASSOCIATE]
            + ([NominalFlag.VIOLENCE] if rng.random() < 0.5 else []),
        )
        if rng.random() < 0.4:
            b.nominal(h, imp_f, [NominalFlag.DRUGS_SUPPLY])
        if rng.random() < 0.5:
            b.event(
                exp_f,
                EventType.VIOLENCE_INCIDENT,
                int(rng.integers(0, w.cfg.days)),
                h,
                cell=int(w.home_cell[h]),
            )
        for r in line.runners:
            p = r.person
            flags = [NominalFlag.MISSING_HISTORY] if r.child else [NominalFlag.DRUGS_SUPPLY]
            if r.child and rng.random() < 0.4:
                flags.append(NominalFlag.CHILD_LOOKED_AFTER)
            home_f = force_of[int(w.home_place[p])]
            b.nominal(p, home_f, flags)
            for a, z in r.trips:
                if r.child and home_f != imp_f and rng.random() < 0.6:
                    # a missing-person report records the child's mobile number
                    phone = int(w.number[p]) if rng.random() < 0.85 else None
                    home = int(w.home_cell[p])
                    b.event(home_f, EventType.MISSING_EPISODE, a, p, phone, b.located(home))
                    b.event(home_f, EventType.FOUND_AFTER_MISSING, z + 1, p, None, b.located(home))
                    b.out.missing_reported.setdefault(p, []).append((a, z))
                if rng.random() < 0.15:
                    b.nominal(p, imp_f, [NominalFlag.DRUGS_SUPPLY])
                    cell = int(w.cells.random_in(np.array([line.importer]), rng)[0])
                    b.event(
                        imp_f,
                        EventType.STOP_SEARCH,
                        int(rng.integers(a, z + 1)),
                        p,
                        phone=int(w.number[p]) if rng.random() < 0.5 else None,
                        cell=cell,
                    )
            if r.child and rng.random() < 0.3:
                b.event(home_f, EventType.SAFEGUARDING_REFERRAL, r.last_day, p)
        for va in line.cuckooed:
            b.nominal(va, imp_f, [NominalFlag.VULNERABLE_ADULT])
            if b.realistic and b.rrng.random() < 0.3:
                continue  # nobody reported it: the line's phones at their home are all
            day = int(rng.integers(0, w.cfg.days))
            b.event(
                imp_f,
                EventType.CUCKOOING_REPORT,
                day,
                va,
                cell=int(w.home_cell[va]),
                detail="Neighbours report young people coming and going at all hours",
            )
            b.intel(
                imp_f,
                day,
                "address",
                identity(w, va).address,
                "Address believed to be used to deal Class A by an out-of-town line",
            )
        for c in rng.choice(line.customers, max(1, len(line.customers) // 6), replace=False):
            b.nominal(int(c), imp_f, [NominalFlag.DRUGS_SUPPLY] if rng.random() < 0.1 else [])
        for dn in line.deals:
            if dn.end_reason == "tro":
                b.event(imp_f, EventType.TRO_APPLICATION, max(0, dn.last_day - 5), phone=dn.number)
                b.event(imp_f, EventType.TRO_GRANTED, dn.last_day, phone=dn.number)
            elif dn.end_reason == "arrest":
                if line.runners:
                    rp = line.runners[int(rng.integers(len(line.runners)))].person
                    b.nominal(rp, imp_f, [NominalFlag.DRUGS_SUPPLY])
                    cell = int(w.cells.random_in(np.array([line.importer]), rng)[0])
                    b.event(imp_f, EventType.ARREST, dn.last_day, rp, cell=cell)
                    b.event(
                        imp_f,
                        EventType.DRUGS_SEIZURE,
                        dn.last_day,
                        rp,
                        phone=dn.number,
                        cell=cell,
                        quantity=f"{rng.uniform(5, 80):.1f}",
                    )
                    b.event(
                        imp_f,
                        EventType.CASH_SEIZURE,
                        dn.last_day,
                        rp,
                        cell=cell,
                        value_gbp=f"{rng.integers(200, 5000)}",
                    )
            elif dn.end_reason == "closure":
                b.event(imp_f, EventType.LINE_CLOSURE, dn.last_day, phone=dn.number)
            if rng.random() < 0.5:
                b.intel(
                    imp_f,
                    dn.first_day + 2,
                    "phone",
                    e164(dn.number),
                    f"Number believed to be a deal line ('{line.name}') selling crack "
                    "cocaine and heroin",
                )
        if rng.random() < 0.5:
            b.intel(
                exp_f,
                int(rng.integers(0, w.cfg.days)),
                "nominal",
                b.by_force[(h, exp_f)],
                "Subject believed to run a drugs line into another force area",
            )

    # background: ordinary people with police records, some in two forces
    n_bg = max(20, w.n_people // 50)
    for p in rng.choice(w.n_people, n_bg, replace=False):
        p = int(p)
        f = force_of[int(w.home_place[p])]
        b.nominal(p, f, [NominalFlag.VIOLENCE] if rng.random() < 0.1 else [])
        if rng.random() < 0.12:
            other = force_of[int(rng.integers(len(force_of)))]
            b.nominal(p, other, [])
        if rng.random() < 0.3:
            etype = [EventType.STOP_SEARCH, EventType.ARREST, EventType.VIOLENCE_INCIDENT][
                int(rng.integers(3))
            ]
            b.event(f, etype, int(rng.integers(0, w.cfg.days)), p, cell=int(w.home_cell[p]))
        if rng.random() < 0.05 and w.vulnerable[p]:
            b.event(
                f,
                EventType.MISSING_EPISODE,
                int(rng.integers(0, w.cfg.days)),
                p,
                cell=int(w.home_cell[p]),
            )
    for _ in range(max(5, n_bg // 10)):
        p = int(rng.integers(w.n_people))
        b.intel(
            force_of[int(w.home_place[p])],
            int(rng.integers(0, w.cfg.days)),
            "phone",
            e164(int(w.number[p])),
            "Caller reported as a nuisance by a neighbour",
        )

    if b.realistic:
        realistic.relatives(w, b)
    subscribers(w, b)
    return b.out
