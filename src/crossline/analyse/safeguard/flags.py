"""The register's safeguarding flags: holders filled in, and every child runner (and every
runner whose age no force knows, or whom no record names) flagged on the line, so no view
of a line shows an exploited child only as a runner. The flags are a field
(`safeguarding_flags`, JSON) every face reads; the CSV export keeps them in prose at the
head of the evidence as well."""

from __future__ import annotations

import json
from collections import defaultdict

import pyarrow as pa

from crossline.model import schema as s
from crossline.model.vocab import Referral, SafeguardReason

SEP = s.LIST_SEP
SAFEGUARDING_FLAGS = "safeguarding_flags"
UNIDENTIFIED = "runner_unidentified"  # a runner number on no one's record


def with_safeguarding(register: pa.Table, listed: pa.Table, phone_persons: pa.Table) -> pa.Table:
    reasons = {r["person_id"]: set(r["reasons"].split(SEP)) for r in listed.to_pylist()}
    persons_of: dict[str, set[str]] = defaultdict(set)
    for r in phone_persons.select(["number", "person_id"]).to_pylist():
        persons_of[r["number"]].add(r["person_id"])
    rows = register.to_pylist()
    for row in rows:
        row["holder_nominal_ids"] = SEP.join(sorted(persons_of.get(row["controller_number"], ())))
        numbers = [n for n in str(row["runner_numbers"] or "").split(SEP) if n]
        runners = [(n, pid) for n in numbers for pid in sorted(persons_of.get(n, ()))]
        flags: list[dict[str, str | None]] = []
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
    """Whether a register row's flags name a child, or a runner who may be one."""
    return bool(json.loads(flags_json or "[]"))


def _prose(flags: list[dict[str, str | None]]) -> list[str]:
    def of(kind: str) -> list[str]:
        return [f"{f['number']} ({f['person_id']})" for f in flags if f["flag"] == kind]

    notes = []
    children = of(SafeguardReason.CHILD_RUNNER.value)
    unknown = of(SafeguardReason.RUNNER_AGE_UNKNOWN.value)
    nobody = [str(f["number"]) for f in flags if f["flag"] == UNIDENTIFIED]
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
    return notes
