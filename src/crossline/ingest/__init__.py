"""Loading contract files into the store: discover, stage, validate in SQL, commit per
file (all or nothing), quarantine bad rows whole. See docs/ingest.md."""

from crossline.ingest.errors import IngestError, MissingColumnError
from crossline.ingest.load import ingest_dataset
from crossline.ingest.progress import NoProgress, ProgressCallback
from crossline.ingest.report import FileCounts, IngestReport
from crossline.ingest.status import status
from crossline.ingest.store import ensure_tables

__all__ = [
    "FileCounts",
    "IngestError",
    "IngestReport",
    "MissingColumnError",
    "NoProgress",
    "ProgressCallback",
    "ensure_tables",
    "ingest_dataset",
    "status",
]
