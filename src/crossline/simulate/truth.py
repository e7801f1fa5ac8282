"""Ground truth of a simulated world, written beside its dataset so that `crossline
evaluate` can score every analysis against what really happened."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path

from crossline.model import schema as s
from crossline.model.vocab import EventType
from crossline.simulate.records import Records, e164, identity, person_id
from crossline.simulate.world import Line, World

SEP = s.LIST_SEP


def _write(path: Path, rows: Sequence[Mapping[str, object]], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns)
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})


_THREADS = {EventType.MISSING_EPISODE.value, EventType.CUCKOOING_REPORT.value}


def _tail(number: object) -> str:
    """A number's last ten digits: one key for every form a record writes it in."""
    return "".join(ch for ch in str(number) if ch.isdigit())[-10:]


def traceable(rec: Records, line_numbers: dict[str, set[str]]) -> set[str]:
    """Persons the forces' records give an analysis a thread to follow to their line: a
    record or an event on one of their records names a number of that line (its deal,
    controller, runner or customer numbers, as `line_numbers` holds them per person, by
    their last ten digits), or they were reported missing, or their home reported
    cuckooed.
    A person with none of these (a child known only by name, date of birth and a flag, or
    whose record gives only a personal phone that never touches the line) is in the truth
    but beyond any analysis of the data, and the evaluation says how many."""
    person_of = {
        (str(r[s.FORCE]), str(r[s.RECORD_ID])): str(r["person_id"]) for r in rec.nominal_truth
    }

    def names_line(pid: str | None, phones: object) -> bool:
        if not pid or not phones:
            return False
        listed = phones if isinstance(phones, (list, tuple)) else [phones]
        return any(_tail(x) in line_numbers.get(pid, set()) for x in listed)

    out = {
        who
        for r in rec.nominals
        if names_line(who := person_of[(str(r[s.FORCE]), str(r[s.RECORD_ID]))], r[s.PHONE_NUMBERS])
    }
    for e in rec.events:
        pid = person_of.get((str(e[s.FORCE]), str(e[s.NOMINAL_RECORD_ID])))
        if pid and (names_line(pid, e[s.PHONE_NUMBER]) or e[s.EVENT_TYPE] in _THREADS):
            out.add(pid)
    return out


def age_on(world: World, p: int, day: int) -> int:
    dob = identity(world, p).dob
    on = world.cfg.start + timedelta(days=day)
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


OBSERVED_MIN_CONTACTS = 3  # contacts with the line's phones that make a controller observable


def runner_phones(line: Line, w: World) -> list[int]:
    """The numbers a line's runners worked, in order, each once (a runner phone passes
    from one runner to the next in the realistic style)."""
    return list(dict.fromkeys(r.phone or int(w.number[r.person]) for r in line.runners))


def write_truth(
    world: World, rec: Records, out: Path, controller_contacts: Mapping[str, int] | None = None
) -> None:
    """Write truth/; `controller_contacts` (realistic style) counts, per line, the contacts
    between the holder's phone and the line's phones that the acquired data holds: fewer
    than OBSERVED_MIN_CONTACTS and the truth says the controller cannot be observed."""
    out.mkdir(parents=True, exist_ok=True)
    w = world
    force_of = [p.force for p in w.places]
    lines_rows: list[dict[str, object]] = []
    numbers: list[dict[str, object]] = []
    safeguard: dict[int, dict[str, set[str]]] = {}

    def flag(p: int, reason: str, line_id: str) -> None:
        entry = safeguard.setdefault(p, {"reasons": set(), "lines": set()})
        entry["reasons"].add(reason)
        entry["lines"].add(line_id)

    for line in w.lines:
        deals = [d for d in line.deals]
        runner_nums = [e164(n) for n in runner_phones(line, w)]
        seen_ctrl = (
            True
            if controller_contacts is None
            else controller_contacts.get(line.line_id, 0) >= OBSERVED_MIN_CONTACTS
        )
        lines_rows.append(
            {
                "line_id": line.line_id,
                "name": line.name,
                "deal_numbers": SEP.join(e164(d.number) for d in deals),
                "deal_first_days": SEP.join(str(d.first_day) for d in deals),
                "deal_last_days": SEP.join(str(d.last_day) for d in deals),
                "deal_end_reasons": SEP.join(d.end_reason for d in deals),
                "controller_number": e164(int(w.number[line.holder])),
                "holder_person_id": person_id(line.holder),
                "holder_holds_deal_phone": str(line.holder_holds_deal_phone).lower(),
                "runner_numbers": SEP.join(runner_nums),
                "runner_person_ids": SEP.join(person_id(r.person) for r in line.runners),
                "customer_count": len(line.customers),
                "exporter_force": force_of[line.exporter],
                "importer_force": force_of[line.importer],
                "line_scope": "local"
                if line.exporter == line.importer
                or (force_of[line.exporter] == force_of[line.importer])
                else "county",
                "controller_observable": str(seen_ctrl).lower(),
                "exporter_place": w.places[line.exporter].name,
                "importer_place": w.places[line.importer].name,
                "cuckooed_person_ids": SEP.join(person_id(p) for p in line.cuckooed),
            }
        )
        for d in deals:
            numbers.append(
                {"number": e164(d.number), "role": "deal", "line_id": line.line_id, "person_id": ""}
            )
        numbers.append(
            {
                "number": e164(int(w.number[line.holder])),
                "role": "controller",
                "line_id": line.line_id,
                "person_id": person_id(line.holder),
            }
        )
        for r in line.runners:
            numbers.append(
                {
                    "number": e164(r.phone or int(w.number[r.person])),
                    "role": "runner",
                    "line_id": line.line_id,
                    "person_id": person_id(r.person),
                }
            )
            if age_on(w, r.person, r.last_day) < 18:
                flag(r.person, "child_runner", line.line_id)
            if rec.missing_reported.get(r.person):
                flag(r.person, "missing_episode_linked", line.line_id)
        for va in line.cuckooed:
            flag(va, "cuckooed_address", line.line_id)
            flag(va, "vulnerable_adult", line.line_id)
        for c in line.customers:
            numbers.append(
                {
                    "number": e164(int(w.number[c])),
                    "role": "customer",
                    "line_id": line.line_id,
                    "person_id": person_id(int(c)),
                }
            )

    lookalikes = [
        {
            "number": e164(lk.number),
            "kind": lk.kind,
            "force": force_of[lk.place],
            "place": w.places[lk.place].name,
        }
        for lk in w.lookalikes
    ]
    changers = [
        {
            "number": e164(int(w.number[p])),
            "kind": "number_changer",
            "force": force_of[int(w.home_place[p])],
            "place": w.places[int(w.home_place[p])].name,
        }
        for p in range(w.n_people)
        if w.new_number[p]
    ]
    changers += [
        {**c, "number": e164(int(w.new_number[p]))}
        for c, p in zip(changers, [q for q in range(w.n_people) if w.new_number[q]], strict=True)
    ]

    _write(out / "lines.csv", lines_rows, list(lines_rows[0]) if lines_rows else ["line_id"])
    _write(out / "numbers.csv", numbers, ["number", "role", "line_id", "person_id"])
    _write(out / "lookalikes.csv", lookalikes + changers, ["number", "kind", "force", "place"])
    _write(out / "nominals.csv", rec.nominal_truth, [s.FORCE, s.RECORD_ID, "person_id"])
    by_line: dict[str, set[str]] = {}
    for n in numbers:
        by_line.setdefault(str(n["line_id"]), set()).add(_tail(n["number"]))
    traced = traceable(
        rec,
        {
            person_id(p): set().union(*(by_line.get(x, set()) for x in v["lines"]))
            for p, v in safeguard.items()
        },
    )
    _write(
        out / "safeguarding.csv",
        [
            {
                "person_id": person_id(p),
                "reasons": SEP.join(sorted(v["reasons"])),
                "line_ids": SEP.join(sorted(v["lines"])),
                "traceable": str(person_id(p) in traced).lower(),
            }
            for p, v in sorted(safeguard.items())
        ],
        ["person_id", "reasons", "line_ids", "traceable"],
    )
    people = sorted(
        {int(str(r["person_id"])[1:]) for r in rec.nominal_truth}
        | {int(p) for line in w.lines for p in line.customers}
    )
    prow = []
    for p in people:
        ident = identity(w, p)
        prow.append(
            {
                "person_id": person_id(p),
                "given_names": ident.given,
                "family_name": ident.family,
                "date_of_birth": ident.dob.isoformat(),
                "sex": ident.sex,
                "home_force": force_of[int(w.home_place[p])],
                "vulnerable": str(bool(w.vulnerable[p])).lower(),
            }
        )
    _write(
        out / "persons.csv",
        prow,
        [
            "person_id",
            "given_names",
            "family_name",
            "date_of_birth",
            "sex",
            "home_force",
            "vulnerable",
        ],
    )
    (out / "README.md").write_text(
        "Ground truth of a simulated Crossline world (synthetic: no real people).\n"
        f"seed={w.cfg.seed} lines={w.cfg.lines} people={w.cfg.people} days={w.cfg.days} "
        f"start={w.cfg.start.isoformat()}\n",
        encoding="utf-8",
    )
