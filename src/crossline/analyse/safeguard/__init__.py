"""Safeguarding: who a line exploits, and the flags every view of a line carries."""

from crossline.analyse.safeguard.flags import with_safeguarding
from crossline.analyse.safeguard.listing import safeguarding

__all__ = ["safeguarding", "with_safeguarding"]
