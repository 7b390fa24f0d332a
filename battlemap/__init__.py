"""Battlemap (挂图作战): registry, assistance, projects and monitoring on a live battle map."""

__version__ = "0.1.0"
