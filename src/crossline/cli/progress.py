"""Rich progress bars behind the small progress protocols the library layers define, so the
library never imports a UI package."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


def _bar(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


class IngestBars:
    """Implements crossline.ingest.progress.ProgressCallback with one bar per file."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> IngestBars:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.done()

    def start(self, file: str, total: int, unit: str) -> None:
        self.done()
        columns = (
            [
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
            ]
            if unit == "bytes"
            else None
        )
        self._progress = Progress(*columns, console=self.console) if columns else _bar(self.console)
        self._progress.start()
        self._task = self._progress.add_task(f"ingest {file}", total=max(total, 1))

    def advance(self, n: int) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)

    def done(self) -> None:
        if self._progress is not None:
            if self._task is not None:
                task = self._progress.tasks[0]
                self._progress.update(self._task, completed=task.total)
            self._progress.stop()
        self._progress, self._task = None, None


class StageBars:
    """A callback (stage, done, total) shown as one bar per stage."""

    def __init__(self, console: Console) -> None:
        self.progress = _bar(console)
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> StageBars:
        self.progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)
