"""A child whose phone is in touch with a line's deal phone or controller, though the
register does not count it a runner (it was seldom seen in the importer area, or too
briefly): a child in contact with a line is a child at risk of criminal exploitation, and
a lead should know. Age is taken at the latest such contact."""

from __future__ import annotations

from crossline.analyse.contacts import contacts_between
from crossline.analyse.safeguard.findings import Finding, child_age
from crossline.analyse.safeguard.people import Context, line_numbers, owners
from crossline.model.evidence import Factor
from crossline.model.vocab import SafeguardReason

NAME = "children in touch"


def rule(ctx: Context) -> list[Finding]:
    line_of = line_numbers(ctx.lines)
    if not line_of:
        return []
    earliest = min(d.first_seen for ln in ctx.lines for d in ln.deals)
    # (a phone link to a person no resolved record holds is left out)
    children = [
        pid for pid in ctx.phones if pid in ctx.people and ctx.people[pid].child_at(earliest)
    ]
    owner = owners(ctx.phones, children, exclude=set(line_of))
    out: list[Finding] = []
    found = contacts_between(ctx.engine, sorted(owner), sorted(line_of)).to_pylist()
    least = ctx.cfg.child_contact_min
    for r in found:
        if r["n"] < least:
            continue
        for pid in owner[r["num"]]:
            p = ctx.people[pid]
            if not p.child_at(r["last"]):
                continue
            age = p.age_at(r["last"])
            lines = frozenset(line_of[r["other"]])
            factors = (
                Factor(
                    "contacts_with_line",
                    int(r["n"]),
                    f"their phone {r['num']} and the line's phone {r['other']} were in "
                    f"contact {r['n']} times",
                    threshold=least,
                    subject=r["other"],
                ),
                child_age(age, "at the latest contact", p.year_only()),
            )
            out.append(
                Finding(
                    NAME,
                    pid,
                    SafeguardReason.CHILD_LINE_CONTACT.value,
                    lines,
                    factors,
                    seen_at=r["last"],
                )
            )
    return out
