"""Crossline: one shared picture of county lines across forces."""

__version__ = "0.1.0"
