"""Where the tests find real releases: the bundled mirror, and the workplace's folder."""

from __future__ import annotations

from pathlib import Path

from flows.core.config import BUNDLED_MIRROR

SHARED_RELEASES = Path(__file__).resolve().parents[2] / "shared" / "releases"
GSO_UPLOADS = BUNDLED_MIRROR / "www.gso.gov.vn" / "wp-content" / "uploads"
SEPTEMBER_2024 = GSO_UPLOADS / "2024" / "10" / "2.Bieu-T9.2024.xlsx"
AUGUST_2024 = GSO_UPLOADS / "2024" / "09" / "02.-Bieu-T8.2024.xlsx"
