"""What a load did, per contract file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crossline.ingest.discover import NotRead
from crossline.ingest.errors import IngestError
from crossline.model.schema import INPUT_FILES


@dataclass
class FileCounts:
    loaded: int = 0  # new rows added to the store (with_notes ones included)
    quarantined: int = 0  # rows that failed validation, kept in the quarantine
    duplicate: int = 0  # valid rows the store already holds, same key and same content
    conflict: int = 0  # valid rows whose key is held with other contents: quarantined
    with_notes: int = 0  # loaded rows with an invalid optional value left empty

    def __iadd__(self, other: FileCounts) -> FileCounts:
        self.loaded += other.loaded
        self.quarantined += other.quarantined
        self.duplicate += other.duplicate
        self.conflict += other.conflict
        self.with_notes += other.with_notes
        return self

    @property
    def rows(self) -> int:
        """Every record read: each is loaded, quarantined, a duplicate or a conflict."""
        return self.loaded + self.quarantined + self.duplicate + self.conflict

    def to_json(self) -> dict[str, int]:
        return {
            "loaded": self.loaded,
            "quarantined": self.quarantined,
            "duplicate": self.duplicate,
            "conflict": self.conflict,
            "with_notes": self.with_notes,
        }


@dataclass
class IngestReport:
    """Counts for every contract file (zeros for a file that was absent or refused).

    `present` names the files found in the dataset; `refused` holds, per contract file,
    the first of its files that was not loaded at all (`errors` holds every one);
    `not_read` every other entry of the delivery, with why.
    """

    files: dict[str, FileCounts] = field(
        default_factory=lambda: {spec.name: FileCounts() for spec in INPUT_FILES}
    )
    present: list[str] = field(default_factory=list)
    refused: dict[str, IngestError] = field(default_factory=dict)
    errors: list[IngestError] = field(default_factory=list)
    not_read: list[NotRead] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def refuse(self, spec_name: str, error: IngestError) -> None:
        self.refused.setdefault(spec_name, error)
        self.errors.append(error)

    def raise_for_refused(self) -> None:
        """Raise the first refusal, if any (after all other files have been loaded)."""
        for err in self.errors:
            raise err

    def to_json(self) -> dict[str, Any]:
        return {
            "files": {name: c.to_json() for name, c in self.files.items()},
            "not_read": [n.to_json() for n in self.not_read],
            "refused": [str(e) for e in self.errors],
        }
