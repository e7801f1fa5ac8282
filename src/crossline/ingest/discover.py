"""Finding a delivery's contract files on disk, and saying what else is there.

A delivery is what a force or provider sent, not what the contract hoped for: `Comms.CSV`,
`comms.tsv`, `comms.csv.gz`, `comms.xlsx`, a workbook with a `nominals` sheet. Every entry
of the folder is either read or reported as not read with why; nothing is skipped in
silence (an empty file or an unknown name is exactly what a user needs to hear about).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from crossline.ingest.mapping import Mapping
from crossline.model.schema import INPUT_BY_NAME, INPUT_FILES, FileSpec

Format = Literal["csv", "parquet", "xlsx"]

DELIMITED = ("csv", "tsv", "txt")
_ORDER: dict[Format, int] = {"csv": 0, "parquet": 1, "xlsx": 2}


@dataclass(frozen=True)
class Source:
    """One contract file in one format: a single file, the parts of a folder, or a sheet."""

    spec: FileSpec
    format: Format
    paths: tuple[Path, ...]
    dataset_dir: Path
    sheet: str | None = None

    def display(self, path: Path) -> str:
        """The path as written in the quarantine's source_file column."""
        try:
            name = path.relative_to(self.dataset_dir).as_posix()
        except ValueError:
            name = str(path)
        return f"{name}[{self.sheet}]" if self.sheet else name

    @property
    def label(self) -> str:
        if len(self.paths) == 1:
            return self.display(self.paths[0])
        return f"{self.spec.name}/ ({len(self.paths)} {self.format} parts)"


@dataclass(frozen=True)
class NotRead:
    """A file or folder of the delivery that was not read, and why."""

    path: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


def file_format(name: str) -> tuple[str, Format | None, str]:
    """(stem, format, extension as written) of a file name: `Comms.csv.gz` -> ('comms',
    'csv', '.csv.gz'). The format is None for an extension that is not read."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    base = lower[:-3] if gz else lower
    stem, dot, ext = base.rpartition(".")
    if not dot:
        return base, None, ""
    shown = name[len(stem) :]
    if ext in DELIMITED:
        return stem, "csv", shown
    if ext == "parquet" and not gz:
        return stem, "parquet", shown
    if ext == "xlsx" and not gz:
        return stem, "xlsx", shown
    return stem, None, shown


def _contract_names() -> str:
    return ", ".join(s.name for s in INPUT_FILES)


def workbook_sheets(path: Path) -> list[str]:
    """The sheet names of a workbook (python-calamine, imported only when one is met)."""
    from python_calamine import CalamineWorkbook

    names: list[str] = CalamineWorkbook.from_path(str(path)).sheet_names
    return names


def _folder_parts(
    spec: FileSpec, folder: Path, dataset_dir: Path, not_read: list[NotRead]
) -> list[Source]:
    parts: dict[Format, list[Path]] = {"csv": [], "parquet": []}
    for p in sorted(folder.iterdir()):
        rel = p.relative_to(dataset_dir).as_posix()
        if p.is_dir():
            not_read.append(NotRead(rel + "/", "a folder inside a contract folder"))
            continue
        _, fmt, ext = file_format(p.name)
        if fmt in ("csv", "parquet"):
            if p.stat().st_size == 0:
                not_read.append(NotRead(rel, "empty file (0 bytes)"))
            else:
                parts[fmt].append(p)
        else:
            not_read.append(
                NotRead(rel, f"not a part format ({ext or 'no extension'}): use csv or parquet")
            )
    return [Source(spec, fmt, tuple(ps), dataset_dir) for fmt, ps in parts.items() if ps]


def _workbook(
    path: Path, stem: str, dataset_dir: Path, not_read: list[NotRead], rel: str
) -> list[Source]:
    try:
        sheets = workbook_sheets(path)
    except Exception as exc:  # a corrupt workbook is one file not read, not a failed load
        not_read.append(NotRead(rel, f"not a readable workbook ({type(exc).__name__})"))
        return []
    if stem in INPUT_BY_NAME:
        spec = INPUT_BY_NAME[stem]
        named = [s for s in sheets if s.strip().lower() == stem]
        sheet = named[0] if named else sheets[0] if sheets else None
        if sheet is None:
            not_read.append(NotRead(rel, "a workbook without sheets"))
            return []
        for s in sheets:
            if s != sheet:
                not_read.append(NotRead(f"{rel}[{s}]", f"another sheet of the {stem} workbook"))
        return [Source(spec, "xlsx", (path,), dataset_dir, sheet)]
    out = []
    for s in sheets:
        spec_s = INPUT_BY_NAME.get(s.strip().lower())
        if spec_s is None:
            not_read.append(NotRead(f"{rel}[{s}]", "sheet name is not a contract file name"))
        else:
            out.append(Source(spec_s, "xlsx", (path,), dataset_dir, s))
    return out


def discover(
    dataset_dir: Path, mapping: Mapping | None = None
) -> tuple[list[Source], list[NotRead]]:
    """Every contract file present, in contract order (delimited text, then Parquet, then
    workbooks; single files before folders), and every other entry as not read."""
    if not dataset_dir.is_dir():
        raise FileNotFoundError(f"dataset folder not found: {dataset_dir}")
    mapping = mapping or Mapping()
    found: list[tuple[int, int, int, Source]] = []
    not_read: list[NotRead] = []
    order = {s.name: i for i, s in enumerate(INPUT_FILES)}
    for p in sorted(dataset_dir.iterdir()):
        rel = p.relative_to(dataset_dir).as_posix()
        if p.is_dir():
            spec = INPUT_BY_NAME.get(p.name.lower())
            if spec is None:
                not_read.append(NotRead(rel + "/", "not a contract folder"))
                continue
            for src in _folder_parts(spec, p, dataset_dir, not_read):
                found.append((order[spec.name], _ORDER[src.format], 1, src))
            continue
        if not p.is_file():
            not_read.append(NotRead(rel, "not a regular file"))
            continue
        stem, fmt, ext = file_format(p.name)
        mapped = mapping.file_for(p.name)
        if mapped is not None:
            stem = mapped
        if fmt is None:
            why = (
                f"format not read ({ext or 'no extension'})"
                if stem in INPUT_BY_NAME
                else (f"not a contract file (expected one of {_contract_names()})")
            )
            not_read.append(NotRead(rel, why))
            continue
        if p.stat().st_size == 0:
            not_read.append(NotRead(rel, "empty file (0 bytes)"))
            continue
        if fmt == "xlsx":
            for src in _workbook(p, stem, dataset_dir, not_read, rel):
                found.append((order[src.spec.name], _ORDER["xlsx"], 0, src))
            continue
        spec = INPUT_BY_NAME.get(stem)
        if spec is None:
            not_read.append(
                NotRead(rel, f"not a contract file (expected one of {_contract_names()})")
            )
            continue
        found.append((order[spec.name], _ORDER[fmt], 0, Source(spec, fmt, (p,), dataset_dir)))
    found.sort(key=lambda t: t[:3])
    return [t[3] for t in found], not_read
