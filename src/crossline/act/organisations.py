"""Which organisation a user belongs to, and whether it is a first responder of the
National Referral Mechanism (Modern Slavery Act 2015 s.52 names who may refer).

A user's `force` names their organisation. Police forces are the forces of the shipped
table (`forces.csv`); `national` is the National County Lines Coordination Centre, a
police unit, so it counts as police. Every other organisation (the NCA, a local
authority, a health trust, a charity) is registered in the store with its kind
(`crossline orgs add`); only police, the NCA and local authorities are first responders
here, as the issue asks. An unregistered name is no first responder: deny by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from crossline.act.common import now
from crossline.model.forces import force_ids
from crossline.store import Store
from crossline.store import tables_act as ta
from crossline.store.users import NATIONAL, USERNAME_RE


class OrgKind(StrEnum):
    POLICE = "police"
    NCA = "nca"
    LOCAL_AUTHORITY = "local_authority"
    OTHER = "other"


FIRST_RESPONDERS = frozenset({OrgKind.POLICE, OrgKind.NCA, OrgKind.LOCAL_AUTHORITY})


class OrgError(ValueError):
    """An organisation that cannot be registered as asked: said in one line."""


@dataclass(frozen=True)
class Organisation:
    org_id: str
    name: str
    kind: OrgKind


def kind_of(store: Store, org_id: str) -> OrgKind:
    """The kind of the organisation a user's `force` names."""
    if org_id == NATIONAL or org_id in force_ids():
        return OrgKind.POLICE
    with store.read() as conn:
        kind = conn.execute(
            select(ta.organisations.c.kind).where(ta.organisations.c.org_id == org_id)
        ).scalar()
    return OrgKind(kind) if kind else OrgKind.OTHER


def is_first_responder(store: Store, org_id: str) -> bool:
    return kind_of(store, org_id) in FIRST_RESPONDERS


def add_organisation(store: Store, org_id: str, name: str, kind: str) -> Organisation:
    if not USERNAME_RE.fullmatch(org_id):
        raise OrgError("organisation id: 2-64 of a-z 0-9 . _ -, starting with a letter or digit")
    if org_id == NATIONAL or org_id in force_ids():
        raise OrgError(f"{org_id} is a police force already (forces.csv)")
    try:
        k = OrgKind(kind)
    except ValueError:
        raise OrgError(f"kind must be one of {', '.join(OrgKind)}") from None
    if k is OrgKind.POLICE:
        raise OrgError("police forces come from forces.csv; register other organisations")
    try:
        with store.write() as conn:
            conn.execute(
                insert(ta.organisations).values(org_id=org_id, name=name, kind=k.value, at=now())
            )
    except IntegrityError:
        raise OrgError(f"organisation {org_id} already exists") from None
    return Organisation(org_id, name, k)


def list_organisations(store: Store) -> list[Organisation]:
    with store.read() as conn:
        rows = conn.execute(select(ta.organisations).order_by(ta.organisations.c.org_id))
        return [Organisation(r.org_id, r.name, OrgKind(r.kind)) for r in rows]


def known(store: Store, org_id: str) -> bool:
    """A force of forces.csv, `national`, or a registered organisation."""
    if org_id == NATIONAL or org_id in force_ids():
        return True
    with store.read() as conn:
        return (
            conn.execute(
                select(ta.organisations.c.org_id).where(ta.organisations.c.org_id == org_id)
            ).first()
            is not None
        )
