"""Finding a dataset's contract files on disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from crossline.model.schema import INPUT_FILES, FileSpec

Format = Literal["csv", "parquet"]


@dataclass(frozen=True)
class Source:
    """One contract file in one format: a single file or the parts of a folder."""

    spec: FileSpec
    format: Format
    paths: tuple[Path, ...]
    dataset_dir: Path

    def display(self, path: Path) -> str:
        """The path as written in the quarantine's source_file column."""
        try:
            return path.relative_to(self.dataset_dir).as_posix()
        except ValueError:
            return str(path)

    @property
    def label(self) -> str:
        if len(self.paths) == 1:
            return self.display(self.paths[0])
        return f"{self.spec.name}/ ({len(self.paths)} {self.format} parts)"


def discover(dataset_dir: Path) -> list[Source]:
    """Every contract file present, in contract order. For a file `name` this finds
    `name.csv`, `name.parquet`, `name/*.parquet` (e.g. `part-0000.parquet`) and `name/*.csv`.
    Absent files are simply not listed; each format found is loaded in turn."""
    if not dataset_dir.is_dir():
        raise FileNotFoundError(f"dataset folder not found: {dataset_dir}")
    out: list[Source] = []
    for spec in INPUT_FILES:
        for fmt in ("csv", "parquet"):
            fmt_t: Format = "csv" if fmt == "csv" else "parquet"
            single = dataset_dir / f"{spec.name}.{fmt}"
            if single.is_file():
                out.append(Source(spec, fmt_t, (single,), dataset_dir))
            folder = dataset_dir / spec.name
            if folder.is_dir():
                parts = tuple(sorted(p for p in folder.glob(f"*.{fmt}") if p.is_file()))
                if parts:
                    out.append(Source(spec, fmt_t, parts, dataset_dir))
    return out
