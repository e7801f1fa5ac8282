"""A child whose phone the register takes for a line's controller. Holders are adults in
nearly every line; a child linked to the controlling number is most often a runner
carrying the controller's handset, a child whose phone was wrongly attributed, or a
child's records merged with a relative's. Whichever it is, a child is a victim first: the
register may name them beside the line only when the list carries them with this reason
(flags.with_safeguarding), and a lead must establish what their part is. Age is taken
when the line was first seen: a child at any time during its activity."""

from __future__ import annotations

from crossline.analyse.safeguard.findings import Finding, child_age
from crossline.analyse.safeguard.people import Context
from crossline.model.evidence import Factor
from crossline.model.vocab import SafeguardReason

NAME = "children named as holders"


def rule(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for line in ctx.lines:
        if not line.controller or not line.deals:
            continue
        first = min(d.first_seen for d in line.deals)
        for pid in sorted(ctx.persons_of_phone.get(line.controller, ())):
            p = ctx.people.get(pid)
            if p is None or not p.may_be_child_at(first):
                continue
            age = p.age_at(first)
            factors = (
                Factor(
                    "holds_controller_phone",
                    line.controller,
                    f"their records give them {line.controller}, the number the register "
                    f"takes for line {line.line_id}'s controller",
                    subject=line.line_id,
                ),
                child_age(age, "when the line was first seen", p.year_only()),
            )
            out.append(
                Finding(
                    NAME,
                    pid,
                    SafeguardReason.CHILD_NAMED_HOLDER.value,
                    frozenset({line.line_id}),
                    factors,
                    seen_at=first,
                )
            )
    return out
