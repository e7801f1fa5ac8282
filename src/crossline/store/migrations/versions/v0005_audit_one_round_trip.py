"""The audit append in one round trip on PostgreSQL, and the digest that makes it possible.

Every request appends an audit entry, and on PostgreSQL the append was six round trips
(a liveness ping, BEGIN, the chain's table lock, the last entry, the insert, COMMIT), each
a wake-up of a server process that, on a loaded machine, waits for a core. Here a server
function takes the lock, reads the last entry and chains the new ones: one statement.

The chain's link has to be computed where the last hash is read, so it must be simple
enough for SQL to reproduce exactly: digest 2 is sha256("prev\\nseq\\nbody"), where `body`
is the sha256 of the entry's fields, computed by the service as digest 1 computed the whole
hash. Entries already written keep digest 1 (the column's default) and verify as before.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PG_APPEND = """
CREATE OR REPLACE FUNCTION audit_log_append(entries jsonb) RETURNS void AS $$
DECLARE
    last_seq bigint;
    last_hash text;
    e jsonb;
    h text;
BEGIN
    LOCK TABLE audit_log IN EXCLUSIVE MODE;
    SELECT seq, hash INTO last_seq, last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        last_seq := 0;
        last_hash := repeat('0', 64);
    END IF;
    FOR e IN SELECT value FROM jsonb_array_elements(entries) LOOP
        last_seq := last_seq + 1;
        h := encode(sha256(convert_to(
            last_hash || chr(10) || last_seq::text || chr(10) || (e->>'body'), 'UTF8')), 'hex');
        INSERT INTO audit_log (seq, at, operation, outcome, username, force, client,
                               entity_kind, entity_id, justification, detail,
                               prev_hash, hash, digest)
        VALUES (last_seq, (e->>'at')::timestamp, e->>'operation', e->>'outcome',
                e->>'username', e->>'force', e->>'client', e->>'entity_kind',
                e->>'entity_id', e->>'justification', e->>'detail', last_hash, h, 2);
        last_hash := h;
    END LOOP;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    # a plain ADD COLUMN (no table rebuild, which would lose SQLite's append-only triggers);
    # a constant default fires no UPDATE trigger and rewrites nothing on PostgreSQL
    if "digest" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("audit_log")}:
        op.add_column(
            "audit_log",
            sa.Column("digest", sa.SmallInteger(), nullable=False, server_default="1"),
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_APPEND)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append(jsonb)")
    # the digest column stays: without it the entries written with digest 2 could not be
    # verified, and code of 0004 leaves it at its default (1), which is what it writes
