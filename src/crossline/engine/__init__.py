"""The analytical store behind one small interface (see engine.base)."""

from crossline.engine.base import Engine

__all__ = ["Engine"]
