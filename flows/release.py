"""The records that travel along the path of a release."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ReleaseRef:
    """A release a source can see, before anything is fetched.

    `published_at` is the publisher's own date and time (Asia/Ho_Chi_Minh, naive), the vintage
    time of every figure in the release; midnight when only the date is known.
    `reference_period` is the latest period the release reports, as `YYYY-MM`.
    """

    source: str
    dataset: str
    url: str
    published_at: datetime
    reference_period: str
    title: str = ""
    page_url: str | None = None
