"""The run service: one place that loads the configuration, runs the analyses with
stable ids, and stores and reads results with their provenance. Every face (the CLI,
later the API) calls it rather than the analyses directly."""

from crossline.analyse.events import DataQuality
from crossline.runs.config import Configuration, load_configuration
from crossline.runs.service import (
    RESULTS,
    Analysis,
    EmptyWorkspace,
    NotAnalysed,
    RunError,
    Service,
    Stored,
)
from crossline.settings import ConfigError

__all__ = [
    "RESULTS",
    "Analysis",
    "ConfigError",
    "Configuration",
    "DataQuality",
    "EmptyWorkspace",
    "NotAnalysed",
    "RunError",
    "Service",
    "Stored",
    "load_configuration",
]
