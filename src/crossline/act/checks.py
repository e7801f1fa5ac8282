"""What runs after every publish, on the data just published: act rows moved from ids a
merge retired to the ids kept (rekey.py), re-emerged lines, due
check-backs answered by the data, breached orders, and NRM referral tasks for children
newly on the safeguarding list. One transaction, and one audit entry saying what it
found when it found anything (each alert and answer has its own entry too)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from crossline.act import closures, orders, reemergence, referrals
from crossline.act.common import log_system, today
from crossline.act.rekey import rekey
from crossline.store import Store


@dataclass(frozen=True)
class Checked:
    rekeyed: int
    re_emerged: int
    check_backs: int
    breaches: int
    referrals: int


def after_publish(store: Store, run_id: int) -> Checked:
    with store.write() as conn:
        moved = rekey(conn)
        found = reemergence.check(conn)
        for body in found:
            log_system(
                conn,
                store,
                "line",
                str(body["line_id"]),
                f"{reemergence.KIND}: {body['number']}, {body['days_after']} days "
                f"after its {body['after']}",
            )
        answered = closures.answer_from_data(conn, store)
        breached = orders.breaches(conn, store, today())
        opened = referrals.open_for_children(conn, store)
        done = Checked(moved, len(found), answered, breached, opened)
        if not any(done.__dict__.values()):
            return done  # nothing found: nothing to log
        log_system(
            conn,
            store,
            "run",
            str(run_id),
            "act checks: " + json.dumps(done.__dict__, sort_keys=True),
        )
    return done
