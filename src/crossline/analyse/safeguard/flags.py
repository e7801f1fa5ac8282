"""The register's safeguarding flags: holders filled in, and every child runner (and every
runner whose age no force knows, or whom no record names) flagged on the line, so no view
of a line shows an exploited child only as a runner. The flags are a field
(`safeguarding_flags`, JSON) every face reads; the CSV export keeps them in prose at the
head of the evidence as well.

Holders follow the same rule: a person under 18 at any time during the line's activity is
named in `holder_nominal_ids` only when the safeguarding list carries them with the
reason (`child_named_holder`), and the flag `holder_child` stands beside them; a child the
list does not carry is withheld from the holders and flagged `holder_child_withheld`, so a
lead still sees them, as a child. A holder no record gives a date of birth is flagged
`holder_age_unknown`: they may be a child."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime

import pyarrow as pa

from crossline.analyse.safeguard.people import Person
from crossline.model import schema as s
from crossline.model.vocab import Referral, SafeguardReason

SEP = s.LIST_SEP
SAFEGUARDING_FLAGS = "safeguarding_flags"
UNIDENTIFIED = "runner_unidentified"  # a runner number on no one's record
HOLDER_CHILD = "holder_child"  # a child named as holder, on the list with the reason
HOLDER_CHILD_WITHHELD = "holder_child_withheld"  # a child kept out of the holders
HOLDER_AGE_UNKNOWN = "holder_age_unknown"  # no date of birth: may be a child
# the flags that mark a line as holding a child (or someone who may be one)
CHILD_FLAGS = frozenset(
    {
        SafeguardReason.CHILD_RUNNER.value,
        SafeguardReason.RUNNER_AGE_UNKNOWN.value,
        UNIDENTIFIED,
        HOLDER_CHILD,
        HOLDER_CHILD_WITHHELD,
    }
)
Flag = dict[str, str | None]


def _first_seen(row: dict[str, object]) -> datetime | None:
    v = row.get("first_seen")
    if isinstance(v, datetime):
        return v
    return datetime.fromisoformat(str(v).replace("Z", "+00:00")) if v else None


def _holders(
    row: dict[str, object],
    candidates: list[str],
    reasons: dict[str, set[str]],
    people: Mapping[str, Person],
) -> tuple[list[str], list[Flag]]:
    """The holders the register may name, and the flags that go beside them."""
    number = str(row["controller_number"] or "")
    first = _first_seen(row)
    named: list[str] = []
    flags: list[Flag] = []
    for pid in candidates:
        p = people.get(pid)
        if p is None:
            named.append(pid)
            continue
        if p.may_be_child_at(first):
            listed = SafeguardReason.CHILD_NAMED_HOLDER.value in reasons.get(pid, set())
            if listed:
                named.append(pid)
            kind = HOLDER_CHILD if listed else HOLDER_CHILD_WITHHELD
            flags.append(
                {"number": number, "person_id": pid, "flag": kind, "referral": Referral.BOTH.value}
            )
            continue
        named.append(pid)
        if p.dob() is None:
            flags.append(
                {"number": number, "person_id": pid, "flag": HOLDER_AGE_UNKNOWN, "referral": None}
            )
    return named, flags


def with_safeguarding(
    register: pa.Table,
    listed: pa.Table,
    phone_persons: pa.Table,
    people: Mapping[str, Person],
) -> pa.Table:
    """The register with holders filled in and its safeguarding flags. `people` (as
    safeguard.people.load_people reads them) give the holders' ages: no holder is named
    unchecked."""
    reasons = {r["person_id"]: set(r["reasons"].split(SEP)) for r in listed.to_pylist()}
    persons_of: dict[str, set[str]] = defaultdict(set)
    for r in phone_persons.select(["number", "person_id"]).to_pylist():
        persons_of[r["number"]].add(r["person_id"])
    rows = register.to_pylist()
    for row in rows:
        candidates = sorted(persons_of.get(row["controller_number"], ()))
        holders, flags = _holders(row, candidates, reasons, people)
        row["holder_nominal_ids"] = SEP.join(holders)
        numbers = [n for n in str(row["runner_numbers"] or "").split(SEP) if n]
        runners = [(n, pid) for n in numbers for pid in sorted(persons_of.get(n, ()))]
        for n, pid in runners:
            for reason in (SafeguardReason.CHILD_RUNNER, SafeguardReason.RUNNER_AGE_UNKNOWN):
                if reason.value in reasons.get(pid, ()):
                    referral = (
                        Referral.BOTH.value if reason is SafeguardReason.CHILD_RUNNER else None
                    )
                    flags.append(
                        {"number": n, "person_id": pid, "flag": reason.value, "referral": referral}
                    )
        flags += [
            {"number": n, "person_id": None, "flag": UNIDENTIFIED, "referral": None}
            for n in numbers
            if n not in persons_of
        ]
        row[SAFEGUARDING_FLAGS] = json.dumps(flags)
        if flags:
            row["evidence"] = (
                "SAFEGUARDING: " + "; ".join(_prose(flags)) + "; " + str(row["evidence"])
            )
    schema = register.schema
    if SAFEGUARDING_FLAGS not in schema.names:
        schema = schema.append(pa.field(SAFEGUARDING_FLAGS, pa.string()))
    return pa.Table.from_pylist(rows, schema=schema)


def flagged(flags_json: str | None) -> bool:
    """Whether a register row's flags name a child, or a runner or holder who may be one
    (a holder only of unknown age is said in the flags, not marked as a child)."""
    return any(f.get("flag") in CHILD_FLAGS for f in json.loads(flags_json or "[]"))


def _prose(flags: list[dict[str, str | None]]) -> list[str]:
    def of(kind: str) -> list[str]:
        return [f"{f['number']} ({f['person_id']})" for f in flags if f["flag"] == kind]

    notes = []
    children = of(SafeguardReason.CHILD_RUNNER.value)
    unknown = of(SafeguardReason.RUNNER_AGE_UNKNOWN.value)
    nobody = [str(f["number"]) for f in flags if f["flag"] == UNIDENTIFIED]
    held, withheld = of(HOLDER_CHILD), of(HOLDER_CHILD_WITHHELD)
    if held:
        notes.append(
            f"child(ren) linked to the controller's phone {', '.join(held)}: victims first, "
            f"on the safeguarding list, referral {Referral.BOTH.value}"
        )
    if withheld:
        notes.append(
            f"child(ren) linked to the controller's phone {', '.join(withheld)}: not named "
            "as holders, not on the safeguarding list; a lead must establish their part"
        )
    unknown_holders = of(HOLDER_AGE_UNKNOWN)
    if children:
        notes.append(
            f"child runner(s) {', '.join(children)}: victims first, referral {Referral.BOTH.value}"
        )
    if unknown:
        notes.append(f"runner(s) of unknown age {', '.join(unknown)}: may be children")
    if nobody:
        notes.append(
            f"runner number(s) {', '.join(nobody)} on no one's record: may be children, "
            "to be identified"
        )
    if unknown_holders:
        notes.append(f"holder(s) of unknown age {', '.join(unknown_holders)}: may be children")
    return notes
