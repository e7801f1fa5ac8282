"""Drug dealing telecommunications restriction orders (DDTROs): Serious Crime Act 2015
s.80A, inserted by the Digital Economy Act 2017; procedure in SI 2017/1240.

Two rules are the law's, and are enforced here rather than trusted to the caller:
- only a senior officer may apply: a police officer of the rank of superintendent or
  above, or the Director General of the NCA or a Deputy Director General (s.80A; Metropolitan
  and City of London ranks at or above superintendent included). Anything else: 422.
- the provider must comply by the end of the fifth working day after the order is
  served; working days exclude weekends and England and Wales bank holidays, taken from
  the maintained `holidays` library rather than a list typed here.
The numbers and handsets under the order become "seen" on the line, so a number the line
moves to afterwards is what re-emergence looks for.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

import holidays
from sqlalchemy import Connection, select, update

from crossline.act.common import (
    ACTORS,
    Absent,
    Actor,
    Invalid,
    joined,
    line_in_scope,
    log,
    new_id,
    now,
)
from crossline.act.common import split as split_list
from crossline.act.reemergence import remember_numbers
from crossline.ingest.normalise import try_normalise_phone
from crossline.store import Store
from crossline.store import tables_act as ta

WORKING_DAYS = 5
# superintendent and above (Home Office forces; the Metropolitan and City of London
# forces' ranks above chief superintendent have their own names)
SENIOR_RANKS = frozenset(
    {
        "superintendent",
        "chief superintendent",
        "assistant chief constable",
        "deputy chief constable",
        "chief constable",
        "commander",
        "deputy assistant commissioner",
        "assistant commissioner",
        "deputy commissioner",
        "commissioner",
    }
)
NCA_RANKS = frozenset({"director general", "deputy director general"})
RANK_RULE = (
    "applicant_rank must be superintendent or above (superintendent, chief superintendent, "
    "assistant chief constable, deputy chief constable, chief constable, commander, deputy "
    "assistant commissioner, assistant commissioner, deputy commissioner, commissioner) or "
    "the NCA's Director General or a Deputy Director General (Serious Crime Act 2015 s.80A)"
)
IMEI_RE = re.compile(r"^\d{14,16}$")
IMSI_RE = re.compile(r"^\d{6,15}$")
ICCID_RE = re.compile(r"^\d{18,22}$")


def rank_key(rank: str) -> str:
    """A rank as compared: case, spaces, hyphens and 'detective' do not matter, nor
    whether the NCA is named ('NCA Deputy Director General')."""
    text = " ".join(re.sub(r"[^a-z]+", " ", rank.lower()).split())
    text = re.sub(r"^detective ", "", text)
    text = re.sub(r"^(nca|national crime agency) ", "", text)
    return re.sub(r" of (the )?(nca|national crime agency)$", "", text)


def may_apply(rank: str) -> bool:
    key = rank_key(rank)
    return key in SENIOR_RANKS or key in NCA_RANKS


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    """England's bank holidays (Wales keeps the same ones) for a year."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _bank_holidays(d.year)


def compliance_deadline(order_day: date, days: int = WORKING_DAYS) -> datetime:
    """The end of the `days`-th working day after the order's day."""
    d, counted = order_day, 0
    while counted < days:
        d += timedelta(days=1)
        if working_day(d):
            counted += 1
    return datetime.combine(d, time(23, 59, 59))


def _identifiers(pattern: re.Pattern[str], values: list[str], name: str) -> list[str]:
    out = []
    for v in values:
        v = v.replace(" ", "")
        if not pattern.fullmatch(v):
            raise Invalid(f"{name}: {v!r} is not a valid {name[:-1].upper()}")
        out.append(v)
    return list(dict.fromkeys(out))


def record(store: Store, actor: Actor, body: dict[str, Any]) -> dict[str, Any]:
    """Record a granted DDTRO against a line (the rank rule and dates checked first)."""
    actor.may(ACTORS)
    if not may_apply(str(body["applicant_rank"])):
        raise Invalid(RANK_RULE)
    applied, granted = body["applied_on"], body["granted_on"]
    if granted < applied:
        raise Invalid("granted_on is before applied_on")
    msisdns = []
    for raw in body.get("msisdns") or []:
        e164, _ = try_normalise_phone(raw)
        if e164 is None:
            raise Invalid(f"msisdns: {raw!r} is not a phone number")
        msisdns.append(e164)
    imeis = _identifiers(IMEI_RE, body.get("imeis") or [], "imeis")
    imsis = _identifiers(IMSI_RE, body.get("imsis") or [], "imsis")
    iccids = _identifiers(ICCID_RE, body.get("iccids") or [], "iccids")
    if not (msisdns or imeis or imsis or iccids):
        raise Invalid("a DDTRO names at least one number, handset, IMSI or ICCID")
    expires = body.get("expires_on")
    if expires is not None and expires < granted:
        raise Invalid("expires_on is before granted_on")
    with store.read() as conn:
        line = line_in_scope(conn, actor, str(body["line_id"]))
    lid = str(line["line_id"])
    due = compliance_deadline(granted)
    with store.write() as conn:
        done = conn.execute(
            ta.tros.insert().values(
                line_id=lid,
                msisdns=joined(dict.fromkeys(msisdns)),
                imeis=joined(imeis),
                imsis=joined(imsis),
                iccids=joined(iccids),
                applicant_rank=str(body["applicant_rank"]),
                court=str(body["court"]),
                applied_on=applied,
                granted_on=granted,
                compliance_due=due,
                provider=str(body.get("provider") or ""),
                expires_on=expires,
                discharged_on=None,
                username=actor.user.username,
                force=actor.force,
                at=now(),
            )
        )
        tro_id = new_id(done)
        remember_numbers(conn, lid, msisdns)
        log(
            conn,
            store,
            actor,
            "tro",
            str(tro_id),
            f"line {lid}; numbers {','.join(msisdns) or '-'}; handsets {len(imeis)}; "
            f"granted {granted} by {body['court']}; comply by {due.isoformat()}",
        )
        return get(conn, tro_id)


def get(conn: Connection, tro_id: int) -> dict[str, Any]:
    r = conn.execute(select(ta.tros).where(ta.tros.c.id == tro_id)).first()
    if r is None:
        raise Absent("tro", str(tro_id))
    return view(dict(r._mapping))


def view(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "tro_id": r["id"],
        "line_id": r["line_id"],
        **{k: split_list(r[k]) for k in ("msisdns", "imeis", "imsis", "iccids")},
        **{k: r[k] for k in ("applicant_rank", "court", "applied_on", "granted_on")},
        "compliance_due": r["compliance_due"],
        "provider": r["provider"] or None,
        "expires_on": r["expires_on"],
        "discharged_on": r["discharged_on"],
        "status": "discharged" if r["discharged_on"] else "in force",
        "recorded_by": r["username"],
        "force": r["force"],
    }


def discharge(store: Store, actor: Actor, tro_id: int, on: date) -> dict[str, Any]:
    """The court discharged the order (or it lapsed early): dated, and audited."""
    actor.may(ACTORS)
    with store.read() as conn:
        tro = get(conn, tro_id)
        line_in_scope(conn, actor, tro["line_id"])  # out of scope: 404 as absent
    if on < tro["granted_on"]:
        raise Invalid("discharged_on is before granted_on")
    with store.write() as conn:
        conn.execute(update(ta.tros).where(ta.tros.c.id == tro_id).values(discharged_on=on))
        log(conn, store, actor, "tro", str(tro_id), f"discharged on {on}")
        return get(conn, tro_id)


def for_line(conn: Connection, line_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(select(ta.tros).where(ta.tros.c.line_id == line_id).order_by(ta.tros.c.id))
    return [view(dict(r._mapping)) for r in rows]
