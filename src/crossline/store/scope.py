"""Who may see what, as SQL: one place that says which lines, persons, phones and
intelligence a force's users see, so every read applies the same rule and nothing out of
scope is ever fetched (the API then answers 404 for it, as for an id that does not exist).

- a line touches a force when the force is its exporter or its importer, or when a
  tasking names it (lead or supporting force: `crossline.act.tasking`);
- a person is in scope with a record the force holds, or linked to a line in scope;
- a phone is in scope when it is a number of a line in scope;
- intelligence is in scope when the force submitted it, or when it is about a phone in
  scope and its handling code lets it travel (P); national users see everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, or_, select, true

from crossline.model import outputs as o
from crossline.model import schema as s
from crossline.model.vocab import HandlingCode
from crossline.store import tables as t
from crossline.store import tables_act as ta


@dataclass(frozen=True)
class Scope:
    """`force` None: national (everything)."""

    force: str | None

    @property
    def national(self) -> bool:
        return self.force is None

    def line(self) -> ColumnElement[bool]:
        if self.force is None:
            return true()
        tasked = exists(
            select(ta.tasking_forces.c.line_id).where(
                ta.tasking_forces.c.line_id == t.lines.c.line_id,
                ta.tasking_forces.c.force == self.force,
            )
        )
        return or_(
            t.lines.c.exporter_force == self.force,
            t.lines.c.importer_force == self.force,
            tasked,
        )

    def line_id_in_scope(self, line_id: ColumnElement[str]) -> ColumnElement[bool]:
        if self.force is None:
            return true()
        return exists(select(t.lines.c.line_id).where(t.lines.c.line_id == line_id, self.line()))

    def person(self, person_id: ColumnElement[str]) -> ColumnElement[bool]:
        if self.force is None:
            return true()
        pr, pl = t.persons.alias("scope_pr"), t.person_lines.alias("scope_pl")
        own = exists(
            select(pr.c[o.PERSON_ID]).where(
                pr.c[o.PERSON_ID] == person_id, pr.c[s.FORCE] == self.force
            )
        )
        linked = exists(
            select(pl.c[o.PERSON_ID]).where(
                pl.c[o.PERSON_ID] == person_id, self.line_id_in_scope(pl.c.line_id)
            )
        )
        return or_(own, linked)

    def phone(self, number: ColumnElement[str]) -> ColumnElement[bool]:
        if self.force is None:
            return true()
        ln = t.line_numbers.alias("scope_ln")
        return exists(
            select(ln.c.line_id).where(
                ln.c[s.NUMBER] == number, self.line_id_in_scope(ln.c.line_id)
            )
        )

    def intelligence(self) -> ColumnElement[bool]:
        if self.force is None:
            return true()
        i = t.intelligence.c
        return or_(
            i[s.FORCE] == self.force,
            and_(
                i[s.HANDLING_CODE] == HandlingCode.PERMITTED.value,
                i[s.SUBJECT_KIND] == "phone",
                self.phone(i.subject_key),
            ),
        )
