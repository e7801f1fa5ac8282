"""The safeguarding rules, one module each. A rule reads the shared, read-only `Context`
and returns findings; none sees another's output (see findings.combine)."""

from __future__ import annotations

from collections.abc import Callable

from crossline.analyse.safeguard.findings import Finding
from crossline.analyse.safeguard.people import Context
from crossline.analyse.safeguard.rules import (
    children_in_touch,
    cuckooed,
    holders,
    missing_in_touch,
    missing_placed,
    missing_recorded_away,
    missing_trip,
    missing_where_sold,
    phones_at_home,
    runners,
    vulnerable_customers,
)

Rule = Callable[[Context], list[Finding]]

# name (as bench/analyse.py reports its time) -> rule
RULES: dict[str, Rule] = {
    runners.NAME: runners.rule,
    children_in_touch.NAME: children_in_touch.rule,
    missing_placed.NAME: missing_placed.rule,
    missing_recorded_away.NAME: missing_recorded_away.rule,
    missing_trip.NAME: missing_trip.rule,
    missing_in_touch.NAME: missing_in_touch.rule,
    missing_where_sold.NAME: missing_where_sold.rule,
    cuckooed.NAME: cuckooed.rule,
    phones_at_home.NAME: phones_at_home.rule,
    vulnerable_customers.NAME: vulnerable_customers.rule,
    holders.NAME: holders.rule,
}
RUNNER_RULE = runners.NAME

# How directly each rule's findings tie a person to the lines they name, most direct
# first: the person's own phone is the line's; their phone is in touch with the line's;
# a line phone's movements match theirs; only places (an area, a mast, an address) agree.
# A person's harm is put against the lines the most direct evidence names
# (findings.combine): an area with four lines selling in it says nothing about which of
# them a child runs for, when the child's own phone is one line's runner phone.
ATTRIBUTION: dict[str, int] = {
    runners.NAME: 0,
    holders.NAME: 0,
    children_in_touch.NAME: 1,
    missing_in_touch.NAME: 1,
    vulnerable_customers.NAME: 1,
    missing_trip.NAME: 2,
    missing_placed.NAME: 3,
    missing_where_sold.NAME: 3,  # the cells its customers use: a place, if a narrow one
    missing_recorded_away.NAME: 3,
    cuckooed.NAME: 3,
    phones_at_home.NAME: 3,
}
