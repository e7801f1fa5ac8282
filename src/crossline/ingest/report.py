"""What a load did, per contract file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crossline.ingest.errors import MissingColumnError
from crossline.model.schema import INPUT_FILES


@dataclass
class FileCounts:
    loaded: int = 0  # new rows added to the store
    quarantined: int = 0  # rows that failed validation, kept in the quarantine
    duplicate: int = 0  # valid rows whose key was already in the store or earlier in the file

    def __iadd__(self, other: FileCounts) -> FileCounts:
        self.loaded += other.loaded
        self.quarantined += other.quarantined
        self.duplicate += other.duplicate
        return self

    def to_json(self) -> dict[str, int]:
        return {"loaded": self.loaded, "quarantined": self.quarantined, "duplicate": self.duplicate}


@dataclass
class IngestReport:
    """Counts for every contract file (zeros for a file that was absent or refused).

    `present` names the files found in the dataset; `refused` holds the files that were
    not loaded at all because a required column was missing.
    """

    files: dict[str, FileCounts] = field(
        default_factory=lambda: {spec.name: FileCounts() for spec in INPUT_FILES}
    )
    present: list[str] = field(default_factory=list)
    refused: dict[str, MissingColumnError] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.refused

    def raise_for_refused(self) -> None:
        """Raise the first refusal, if any (after all other files have been loaded)."""
        for err in self.refused.values():
            raise err

    def to_json(self) -> dict[str, Any]:
        return {"files": {name: c.to_json() for name, c in self.files.items()}}
