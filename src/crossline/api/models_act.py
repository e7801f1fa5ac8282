"""The request bodies of acting together: every field bounded and typed, so that bad
input is a 422 that names the field (and nothing a database would refuse reaches one:
text is printable, ids and numbers have their patterns, dates fall in 2000-2100)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from crossline.act.closures import Result
from crossline.act.deconfliction import EntityKind
from crossline.act.orders import OrderType
from crossline.act.outcomes import Charge, Kind, Level
from crossline.act.performance import Period
from crossline.act.tasking import Status

ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
FORCE = r"^[a-z0-9][a-z0-9._-]{0,63}$"
PHONE = r"^[0-9+() .-]{4,32}$"
TEXT = r"^[ -~]*$"

Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
Text = Annotated[str, Field(max_length=500, pattern=TEXT)]
Short = Annotated[str, Field(min_length=1, max_length=200, pattern=TEXT)]
Force = Annotated[str, Field(pattern=FORCE)]
LineId = Annotated[str, Field(pattern=ID, description="a line id or an alias")]
PersonId = Annotated[str, Field(pattern=ID, description="a person id or an alias")]
Phone = Annotated[str, Field(pattern=PHONE, description="any usual form")]
Digits = Annotated[str, Field(pattern=r"^[0-9 ]{6,24}$")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskingIn(Body):
    status: Status
    lead_force: Force | None = Field(None, description="default: the line's exporter")
    supporting_forces: list[Force] = Field(default_factory=list, max_length=20)
    reason: Text = ""
    contact_name: Short | None = Field(None, description="the lead force's contact officer")
    contact_means: Short | None = Field(None, description="how to reach them")


class TroIn(Body):
    line_id: LineId
    msisdns: list[Phone] = Field(default_factory=list, max_length=50)
    imeis: list[Digits] = Field(default_factory=list, max_length=50)
    imsis: list[Digits] = Field(default_factory=list, max_length=50)
    iccids: list[Digits] = Field(default_factory=list, max_length=50)
    applicant_rank: Short
    court: Short
    applied_on: Day
    granted_on: Day
    provider: Short | None = None
    expires_on: Day | None = None


class DischargeIn(Body):
    discharged_on: Day


class ClosureIn(Body):
    line_id: LineId
    closure_type: Literal[1, 2] = Field(
        description="1: holder arrested and charged; 2: number, handset or SIM deactivated"
    )
    closed_on: Day
    reason: Short
    numbers: list[Phone] = Field(default_factory=list, max_length=50)


class CheckBackIn(Body):
    result: Result
    answered_on: Day


class InterestIn(Body):
    entity_kind: Literal[EntityKind.PERSON, EntityKind.PHONE, EntityKind.ADDRESS]
    entity_id: Short
    reason: Short
    contact_name: Short | None = None
    contact_means: Short | None = None


class ContactIn(Body):
    name: Short
    means: Short = Field(description="how to reach you: a phone, an email, a desk")


class ReferralIn(Body):
    consent: bool | None = Field(None, description="an adult's recorded consent")
    reason: Short
    line_id: LineId | None = None


class ReferralMadeIn(Body):
    made_on: Day
    la_notified_on: Day | None = Field(None, description="child-welfare notification")
    strategy_discussion_on: Day | None = Field(None, description="s.47 strategy discussion")


class OutcomeIn(Body):
    line_id: LineId
    kind: Kind
    occurred_on: Day
    force: Force | None = Field(None, description="the force it counts for")
    count: int = Field(1, ge=1, le=10_000)
    charge: Charge | None = None
    drugs_grams: float | None = Field(None, ge=0, le=10_000_000)
    cash_gbp: float | None = Field(None, ge=0, le=10_000_000_000)
    weapons: int | None = Field(None, ge=0, le=10_000)
    level: Level | None = None
    assessed_by: Short | None = None
    reason: Text = ""


class WeekIn(Body):
    name: Short
    starts_on: Day
    ends_on: Day
    forces: list[Force] = Field(min_length=1, max_length=50)


class OrderIn(Body):
    person_id: PersonId
    order_type: OrderType
    conditions: list[Short] = Field(default_factory=list, max_length=30)
    declared_numbers_only: bool = False
    numbers: list[Phone] = Field(default_factory=list, max_length=20)
    imeis: list[Digits] = Field(default_factory=list, max_length=20)
    made_on: Day
    expires_on: Day | None = None


class Page(BaseModel):
    items: list[dict[str, Any]]
    total: int


class Performance(Page):
    management_information: bool
    notice: str
    period: Period


__all__ = ["Period"]
