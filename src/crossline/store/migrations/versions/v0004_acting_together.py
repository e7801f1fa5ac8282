"""Acting together: the forces' own record of what they do with a line (tasking and
the forces it names, deconfliction interests and contacts, organisations, alerts,
closures and check-backs, DDTROs, referrals, intensification weeks, outcomes,
offender-management orders), and the published activity of each deal number and handset of
each number that re-emergence, check-backs and breaches read.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "act_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("to_force", sa.String(length=120), nullable=False),
        sa.Column("line_id", sa.String(length=120), nullable=True),
        sa.Column("dedupe", sa.String(length=400), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_alerts")),
    )
    with op.batch_alter_table("act_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_act_alerts_dedupe"), ["dedupe"], unique=False)
        batch_op.create_index(batch_op.f("ix_act_alerts_to_force"), ["to_force"], unique=False)

    op.create_table(
        "act_check_backs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("closure_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("result", sa.String(length=20), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=True),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_check_backs")),
    )
    with op.batch_alter_table("act_check_backs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_act_check_backs_closure_id"), ["closure_id"], unique=False
        )

    op.create_table(
        "act_closures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("line_id", sa.String(length=120), nullable=False),
        sa.Column("closure_type", sa.Integer(), nullable=False),
        sa.Column("numbers", sa.Text(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("confirmed_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("force", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_closures")),
    )
    with op.batch_alter_table("act_closures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_act_closures_line_id"), ["line_id"], unique=False)

    op.create_table(
        "act_contacts",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("means", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_act_contacts")),
    )
    op.create_table(
        "act_interests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity_kind", sa.String(length=20), nullable=False),
        sa.Column("entity_key", sa.String(length=120), nullable=False),
        sa.Column("contact_name", sa.Text(), nullable=False),
        sa.Column("contact_means", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("force", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_interests")),
    )
    with op.batch_alter_table("act_interests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_act_interests_entity_kind_entity_key"),
            ["entity_kind", "entity_key"],
            unique=False,
        )

    op.create_table(
        "act_line_numbers_seen",
        sa.Column("line_id", sa.String(length=120), nullable=False),
        sa.Column("number", sa.String(length=120), nullable=False),
        sa.Column("first_run", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("line_id", "number", name=op.f("pk_act_line_numbers_seen")),
    )
    op.create_table(
        "act_orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=120), nullable=False),
        sa.Column("order_type", sa.String(length=30), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("declared_numbers_only", sa.Boolean(), nullable=False),
        sa.Column("numbers", sa.Text(), nullable=False),
        sa.Column("imeis", sa.Text(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("force", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_orders")),
    )
    with op.batch_alter_table("act_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_act_orders_person_id"), ["person_id"], unique=False)

    op.create_table(
        "act_organisations",
        sa.Column("org_id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_act_organisations")),
    )
    op.create_table(
        "act_outcomes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("line_id", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("credited_force", sa.String(length=120), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("charge", sa.String(length=30), nullable=True),
        sa.Column("drugs_grams", sa.Float(), nullable=True),
        sa.Column("cash_gbp", sa.Float(), nullable=True),
        sa.Column("weapons", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("assessed_by", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("force", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_outcomes")),
    )
    with op.batch_alter_table("act_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_act_outcomes_credited_force"), ["credited_force"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_act_outcomes_line_id"), ["line_id"], unique=False)

    op.create_table(
        "act_referrals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=120), nullable=False),
        sa.Column("line_id", sa.String(length=120), nullable=True),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("child", sa.Boolean(), nullable=False),
        sa.Column("consent", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("la_notified_on", sa.Date(), nullable=True),
        sa.Column("strategy_discussion_on", sa.Date(), nullable=True),
        sa.Column("made_on", sa.Date(), nullable=True),
        sa.Column("made_by", sa.String(length=64), nullable=True),
        sa.Column("made_by_org", sa.String(length=120), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("force", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_referrals")),
    )
    with op.batch_alter_table("act_referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_act_referrals_person_id"), ["person_id"], unique=False)

    op.create_table(
        "act_tasking",
        sa.Column("line_id", sa.String(length=120), nullable=False),
        sa.Column("lead_force", sa.String(length=120), nullable=False),
        sa.Column("supporting_forces", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("force", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("line_id", name=op.f("pk_act_tasking")),
    )
    with op.batch_alter_table("act_tasking", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_act_tasking_lead_force"), ["lead_force"], unique=False)

    op.create_table(
        "act_tasking_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("line_id", sa.String(length=120), nullable=False),
        sa.Column("lead_force", sa.String(length=120), nullable=False),
        sa.Column("supporting_forces", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("force", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_tasking_changes")),
    )
    with op.batch_alter_table("act_tasking_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_act_tasking_changes_line_id"), ["line_id"], unique=False
        )

    op.create_table(
        "act_tasking_forces",
        sa.Column("line_id", sa.String(length=120), nullable=False),
        sa.Column("force", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("line_id", "force", name=op.f("pk_act_tasking_forces")),
    )
    with op.batch_alter_table("act_tasking_forces", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_act_tasking_forces_force"), ["force"], unique=False)

    op.create_table(
        "act_tros",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("line_id", sa.String(length=120), nullable=False),
        sa.Column("msisdns", sa.Text(), nullable=False),
        sa.Column("imeis", sa.Text(), nullable=False),
        sa.Column("imsis", sa.Text(), nullable=False),
        sa.Column("iccids", sa.Text(), nullable=False),
        sa.Column("applicant_rank", sa.String(length=60), nullable=False),
        sa.Column("court", sa.Text(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("compliance_due", sa.DateTime(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("discharged_on", sa.Date(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("force", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_tros")),
    )
    with op.batch_alter_table("act_tros", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_act_tros_line_id"), ["line_id"], unique=False)

    op.create_table(
        "act_weeks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("forces", sa.Text(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("force", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_weeks")),
    )
    op.create_table(
        "number_activity",
        sa.Column("line_id", sa.String(length=120), nullable=False),
        sa.Column("number", sa.String(length=120), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("line_id", "number", name=op.f("pk_number_activity")),
    )
    with op.batch_alter_table("number_activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_number_activity_number"), ["number"], unique=False)

    op.create_table(
        "handsets",
        sa.Column("number", sa.String(length=120), nullable=False),
        sa.Column("imei", sa.String(length=120), nullable=True),
        sa.Column("imsi", sa.String(length=120), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_handsets")),
    )
    with op.batch_alter_table("handsets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handsets_imei"), ["imei"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handsets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handsets_imei"))
    op.drop_table("handsets")
    with op.batch_alter_table("number_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_number_activity_number"))

    op.drop_table("number_activity")
    op.drop_table("act_weeks")
    with op.batch_alter_table("act_tros", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_tros_line_id"))

    op.drop_table("act_tros")
    with op.batch_alter_table("act_tasking_forces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_tasking_forces_force"))

    op.drop_table("act_tasking_forces")
    with op.batch_alter_table("act_tasking_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_tasking_changes_line_id"))

    op.drop_table("act_tasking_changes")
    with op.batch_alter_table("act_tasking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_tasking_lead_force"))

    op.drop_table("act_tasking")
    with op.batch_alter_table("act_referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_referrals_person_id"))

    op.drop_table("act_referrals")
    with op.batch_alter_table("act_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_outcomes_line_id"))
        batch_op.drop_index(batch_op.f("ix_act_outcomes_credited_force"))

    op.drop_table("act_outcomes")
    op.drop_table("act_organisations")
    with op.batch_alter_table("act_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_orders_person_id"))

    op.drop_table("act_orders")
    op.drop_table("act_line_numbers_seen")
    with op.batch_alter_table("act_interests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_interests_entity_kind_entity_key"))

    op.drop_table("act_interests")
    op.drop_table("act_contacts")
    with op.batch_alter_table("act_closures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_closures_line_id"))

    op.drop_table("act_closures")
    with op.batch_alter_table("act_check_backs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_check_backs_closure_id"))

    op.drop_table("act_check_backs")
    with op.batch_alter_table("act_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_alerts_to_force"))
        batch_op.drop_index(batch_op.f("ix_act_alerts_dedupe"))

    op.drop_table("act_alerts")
