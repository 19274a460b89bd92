"""The time written into catalog headers; SOURCE_DATE_EPOCH pins it for reproducible builds."""

from __future__ import annotations

import os
from datetime import datetime, timezone


def now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().lstrip("-").isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(tz=timezone.utc)


def po_date(moment: datetime | None = None) -> str:
    """gettext's header date format: 2026-11-25 14:03+0000."""
    return (moment or now()).strftime("%Y-%m-%d %H:%M%z")
