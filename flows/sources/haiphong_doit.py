"""The Hải Phòng Department of Industry and Trade's monthly industry and trade report
(socongthuong.haiphong.gov.vn)."""

from __future__ import annotations

import re

from flows.sources.base import Source
from flows.sources.haiphong import NewsSite

NAME = "haiphong_doit"
DATASET = "monthly-report"
# The department posted its August 2024 report under tin-tuc-su-kien (news and events) and its
# September 2024 report under thong-tin-chi-dao-dieu-hanh (direction and administration).
LISTINGS = (
    "https://socongthuong.haiphong.gov.vn/thong-tin-chi-dao-dieu-hanh/",
    "https://socongthuong.haiphong.gov.vn/tin-tuc-su-kien/",
)
# "Tình hình thực hiện kế hoạch sản xuất công nghiệp và hoạt động thương mại tháng 9 và 9 tháng
# năm 2024"; shorter forms such as "Tình hình sản xuất công nghiệp, thương mại tháng 9 ..." too.
# Market news ("Tình hình thị trường xăng dầu ...") and trade promotion items do not match.
REPORT_TITLE = re.compile(
    r"^(?:báo cáo\s+)?tình hình\s+(?:thực hiện kế hoạch\s+)?(?:hoạt động\s+)?(?:sản xuất\s+)?"
    r"công nghiệp\s*(?:,|-|–|và)\s*(?:hoạt động\s+)?thương mại\b"
)

SITE = NewsSite(NAME, DATASET, LISTINGS, REPORT_TITLE)
SOURCE = Source(NAME, read=SITE.read, normalise=SITE.normalise, discover=SITE.discover,
                accepts=(".html",), watch=lambda: LISTINGS)
