"""Size and shape of a simulated world. Presets cover the demo (small), evaluation
(medium) and scale tests (large); every number a world depends on is here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class WorldConfig:
    lines: int = 30
    people: int = 30_000
    days: int = 90
    seed: int = 7
    # 1 March: every world of a month or more crosses the spring DST change.
    start: date = date(2026, 3, 1)
    # mean social contacts per person and mean contacts per tie per day
    contacts_per_person: float = 4.0
    tie_rate_per_day: float = 0.2
    # look-alikes, per line (at least one of each kind in any world)
    businesses_per_line: float = 1.0
    taxis_per_line: float = 0.7
    takeaways_per_line: float = 0.5
    promo_takeaways_per_line: float = 0.3
    organisers_per_line: float = 1.0
    number_changers_per_1000: float = 8.0
    rows_per_part: int = 2_000_000
    # "own": the simulator's original worlds (kept reachable for the record); "realistic":
    # communications data and police records as the public sources describe them (several
    # providers, duplicated and cell-less records, local lines, families and namesakes ...)
    style: str = "own"
    # realistic style only: communications data as acquired (simulate/acquire.py)
    local_line_share: float = 0.45  # lines sold in their own force area (NPCC 2024: the
    # commonest kind after a 232% rise in a year)
    silent_network_share: float = 0.12  # subscribers of a network that supplied nothing
    cells_file: bool = True  # False: the delivery has no cells.csv (acquired separately)

    def count(self, per_line: float) -> int:
        return max(2, round(per_line * self.lines))


STYLES = ("own", "realistic")

PRESETS: dict[str, WorldConfig] = {
    "small": WorldConfig(lines=6, people=4_000, days=42),
    "medium": WorldConfig(lines=30, people=30_000, days=90, style="realistic"),
    "large": WorldConfig(lines=300, people=1_000_000, days=120, style="realistic"),
}
