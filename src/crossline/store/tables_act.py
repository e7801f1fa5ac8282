"""The tables of acting together (`crossline.act`): what forces record about a line once
Crossline has found it. Unlike the published tables these are never replaced by a run:
they are the forces' own record, kept across re-analyses and keyed by the stable ids
(a line's `line_id`, a person's `person_id`), so a line seen again is the same item.

`number_activity` (when each deal number was first and last active) and `handsets` (the
IMEI and IMSI of each number) are published with each run, so that re-emergence,
check-backs and breaches read dates and handsets, not guesses.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from crossline.store.tables import KEYS, RUN_ID, metadata

WHO = 64  # a username

# published with every run: a deal number's activity on its line
number_activity = Table(
    "number_activity",
    metadata,
    Column("line_id", String(KEYS), primary_key=True),
    Column("number", String(KEYS), primary_key=True),
    Column("first_seen", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column(RUN_ID, Integer, nullable=False),
)
Index(None, number_activity.c.number)

# published with every run: the handset (IMEI) and SIM (IMSI) the subscriber data gives
# each number, so an order on a handset can be matched to the numbers used in it
handsets = Table(
    "handsets",
    metadata,
    Column("number", String(KEYS), primary_key=True),
    Column("imei", String(KEYS)),
    Column("imsi", String(KEYS)),
    Column(RUN_ID, Integer, nullable=False),
)
Index(None, handsets.c.imei)

# every number a line has ever been seen using, across runs: a number not in it is new
line_numbers_seen = Table(
    "act_line_numbers_seen",
    metadata,
    Column("line_id", String(KEYS), primary_key=True),
    Column("number", String(KEYS), primary_key=True),
    Column("first_run", Integer, nullable=False),
)


def _who() -> list[Column[object]]:
    """Who recorded a row, for which force, when (every act row says so)."""
    return [
        Column("username", String(WHO), nullable=False),
        Column("force", String(KEYS), nullable=False),
        Column("at", DateTime, nullable=False),
    ]


tasking = Table(
    "act_tasking",
    metadata,
    Column("line_id", String(KEYS), primary_key=True),
    Column("lead_force", String(KEYS), nullable=False),
    Column("supporting_forces", Text, nullable=False),
    Column("status", String(30), nullable=False),
    Column("reason", Text, nullable=False),
    *_who(),
)
Index(None, tasking.c.lead_force)

# the forces a tasking names (lead and supporting), one row each: they see the line
tasking_forces = Table(
    "act_tasking_forces",
    metadata,
    Column("line_id", String(KEYS), primary_key=True),
    Column("force", String(KEYS), primary_key=True),
    Column("role", String(20), nullable=False),
)
Index(None, tasking_forces.c.force)

tasking_changes = Table(
    "act_tasking_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("line_id", String(KEYS), nullable=False),
    Column("lead_force", String(KEYS), nullable=False),
    Column("supporting_forces", Text, nullable=False),
    Column("status", String(30), nullable=False),
    Column("reason", Text, nullable=False),
    *_who(),
)
Index(None, tasking_changes.c.line_id)

# a force working a person, phone, address or line, and whom to call about it
interests = Table(
    "act_interests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_kind", String(20), nullable=False),
    Column("entity_key", String(KEYS), nullable=False),
    Column("contact_name", Text, nullable=False),
    Column("contact_means", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    *_who(),
)
Index(None, interests.c.entity_kind, interests.c.entity_key)

contacts = Table(
    "act_contacts",
    metadata,
    Column("username", String(WHO), primary_key=True),
    Column("name", Text, nullable=False),
    Column("means", Text, nullable=False),
    Column("at", DateTime, nullable=False),
)

# organisations other than police forces (forces.csv) and `national`: the NCA, local
# authorities, and others; the kind decides who is an NRM first responder
organisations = Table(
    "act_organisations",
    metadata,
    Column("org_id", String(KEYS), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("at", DateTime, nullable=False),
)

alerts = Table(
    "act_alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("to_force", String(KEYS), nullable=False),
    Column("line_id", String(KEYS)),
    Column("dedupe", String(400), nullable=False),
    Column("body", Text, nullable=False),
)
Index(None, alerts.c.to_force)
Index(None, alerts.c.dedupe)

closures = Table(
    "act_closures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("line_id", String(KEYS), nullable=False),
    Column("closure_type", Integer, nullable=False),
    Column("numbers", Text, nullable=False),
    Column("closed_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("confirmed_on", Date),
    Column("reason", Text, nullable=False),
    *_who(),
)
Index(None, closures.c.line_id)

check_backs = Table(
    "act_check_backs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("closure_id", Integer, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("answered_on", Date),
    Column("result", String(20)),
    Column("source", String(20)),
    Column("answered_by", String(WHO)),
)
Index(None, check_backs.c.closure_id)

tros = Table(
    "act_tros",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("line_id", String(KEYS), nullable=False),
    Column("msisdns", Text, nullable=False),
    Column("imeis", Text, nullable=False),
    Column("imsis", Text, nullable=False),
    Column("iccids", Text, nullable=False),
    Column("applicant_rank", String(60), nullable=False),
    Column("court", Text, nullable=False),
    Column("applied_on", Date, nullable=False),
    Column("granted_on", Date, nullable=False),
    Column("compliance_due", DateTime, nullable=False),
    Column("provider", Text, nullable=False),
    Column("expires_on", Date),
    Column("discharged_on", Date),
    *_who(),
)
Index(None, tros.c.line_id)

referrals = Table(
    "act_referrals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(KEYS), nullable=False),
    Column("line_id", String(KEYS)),
    Column("route", String(20), nullable=False),
    Column("child", Boolean, nullable=False),
    Column("consent", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("la_notified_on", Date),
    Column("strategy_discussion_on", Date),
    Column("made_on", Date),
    Column("made_by", String(WHO)),
    Column("made_by_org", String(KEYS)),
    Column("reason", Text, nullable=False),
    *_who(),
)
Index(None, referrals.c.person_id)

weeks = Table(
    "act_weeks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("forces", Text, nullable=False),
    *_who(),
)

outcomes = Table(
    "act_outcomes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("line_id", String(KEYS), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("credited_force", String(KEYS), nullable=False),
    Column("count", Integer, nullable=False),
    Column("charge", String(30)),
    Column("drugs_grams", Float),
    Column("cash_gbp", Float),
    Column("weapons", Integer),
    Column("level", String(20)),
    Column("assessed_by", Text),
    Column("reason", Text, nullable=False),
    *_who(),
)
Index(None, outcomes.c.line_id)
Index(None, outcomes.c.credited_force)

orders = Table(
    "act_orders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(KEYS), nullable=False),
    Column("order_type", String(30), nullable=False),
    Column("conditions", Text, nullable=False),
    Column("declared_numbers_only", Boolean, nullable=False),
    Column("numbers", Text, nullable=False),
    Column("imeis", Text, nullable=False),
    Column("made_on", Date, nullable=False),
    Column("expires_on", Date),
    *_who(),
)
Index(None, orders.c.person_id)

ACT_TABLES: tuple[Table, ...] = (
    line_numbers_seen,
    tasking,
    tasking_forces,
    tasking_changes,
    interests,
    contacts,
    organisations,
    alerts,
    closures,
    check_backs,
    tros,
    referrals,
    weeks,
    outcomes,
    orders,
)
