"""The error answers each kind of route documents, so the spec names every status the
service gives (schemathesis holds it to that)."""

from __future__ import annotations

from typing import Any

from crossline.api.models import Error

_E = {"model": Error}
AUTH: dict[int | str, dict[str, Any]] = {
    401: {**_E, "description": "not authenticated, or a forged, expired or disabled token"},
    403: {**_E, "description": "the caller's role may not do this"},
    422: {**_E, "description": "a parameter is malformed; the message says which"},
}
READ: dict[int | str, dict[str, Any]] = {
    **AUTH,
    404: {**_E, "description": "no such record, or none the caller may see"},
}
READ_JUSTIFIED: dict[int | str, dict[str, Any]] = {
    **READ,
    400: {**_E, "description": "the X-Justification header is missing or unusable"},
}
