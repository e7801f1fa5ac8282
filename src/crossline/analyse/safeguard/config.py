"""Every threshold of the safeguarding rules, typed and documented, in one place.

Each default says how exploitation shows in police records and communications data; none
is fitted to a simulated seed. Override them in crossline.toml under [safeguarding].
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field


class SafeguardingConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt parameter is an error

    missing_near_days: float = Field(
        2.0,
        ge=0,
        description="'During or near' a missing episode: days either side of it that still "
        "count (a child is often taken the day before the report, or found a day late).",
    )
    open_episode_days: float = Field(
        7.0,
        gt=0,
        description="How long an episode with no found report is looked at after it began.",
    )
    cuckoo_radius_km: float = Field(
        1.0,
        gt=0,
        description="A line's phones dwelling this close to a cuckooing report's location "
        "tie the report to that line.",
    )
    dwell_min: int = Field(
        3,
        ge=1,
        description="A cell serving a phone at least this often is where it dwells, not "
        "where it passed.",
    )
    dwell_share: float = Field(
        0.1,
        ge=0,
        le=1,
        description="... and serving at least this share of the phone's located contacts: "
        "over weeks a runner's phone is served three times by half the masts in town, but "
        "it lives at the address it works from.",
    )
    home_mast_km: float = Field(
        0.3,
        gt=0,
        description="A vulnerable adult's home mast and a line's dwelling mast are one site "
        "(sectors of one mast share its position), not the next one along.",
    )
    child_contact_min: int = Field(
        2,
        ge=1,
        description="Contacts either way with a line's deal phone or controller that put a "
        "child on the list: one may be a wrong number; a second is a relationship a lead "
        "should know about.",
    )
    importer_min_customers: int = Field(
        3,
        ge=1,
        description="Where no cell locates a line's customers, the force area at least this "
        "many of its customers' registered addresses lie in (a clear majority of those "
        "registered) is where it sells: one or two registrations may be false or old.",
    )
    trip_match_days: float = Field(
        1.0,
        ge=0,
        description="A runner trip's ends must fall this close to a missing episode's ends.",
    )
    trip_gap_max_days: float = Field(
        3.0,
        gt=0,
        description="A silent phone left (or reached) an area somewhere between two "
        "sightings; past this long a gap says too little about when, and only the sighting "
        "itself counts.",
    )

    @property
    def missing_near(self) -> timedelta:
        return timedelta(days=self.missing_near_days)

    @property
    def open_episode(self) -> timedelta:
        return timedelta(days=self.open_episode_days)

    @property
    def trip_match(self) -> timedelta:
        return timedelta(days=self.trip_match_days)

    @property
    def trip_gap_max(self) -> timedelta:
        return timedelta(days=self.trip_gap_max_days)
