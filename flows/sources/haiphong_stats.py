"""The Hải Phòng City Statistics Office's monthly socio-economic report (thongkehaiphong.gov.vn)."""

from __future__ import annotations

import re

from flows.sources.base import Source
from flows.sources.haiphong import NewsSite

NAME = "haiphong_stats"
DATASET = "monthly-report"
# The office has filed its monthly report under several categories over the years: the
# September 2019 report under tinh-hinh-kinh-te-xa-hoi, August 2022 under
# bao-cao-tinh-hinh-kinh-te-xa-hoi-thang, the June 2018 (half-year) one under
# bao-cao-tinh-hinh-kinh-te-xa-hoi-quy and November 2024 under thong-tin-kinh-te-xa-hoi.
LISTINGS = (
    "https://thongkehaiphong.gov.vn/thong-tin-kinh-te-xa-hoi/",
    "https://thongkehaiphong.gov.vn/tinh-hinh-kinh-te-xa-hoi/",
    "https://thongkehaiphong.gov.vn/bao-cao-tinh-hinh-kinh-te-xa-hoi-thang/",
    "https://thongkehaiphong.gov.vn/bao-cao-tinh-hinh-kinh-te-xa-hoi-quy/",
)
# "Tình hình kinh tế - xã hội thành phố Hải Phòng tháng 9/2019", "Tình hình KT-XH TP Hải Phòng
# tháng 1 năm 2023", "Tình hình KT-XH tháng 6, 6 tháng năm 2018 thành phố Hải Phòng": the city's
# name wanders, so it is looked for anywhere after the report's name. The same categories carry
# press releases, price indices and the country's report, which do not match.
REPORT_TITLE = re.compile(r"^tình hình (?:kinh tế\s*[-–]\s*xã hội|kt\s*[-–]\s*xh)\b.*\bhải phòng\b")

SITE = NewsSite(NAME, DATASET, LISTINGS, REPORT_TITLE)
SOURCE = Source(NAME, read=SITE.read, normalise=SITE.normalise, discover=SITE.discover,
                accepts=(".html",), watch=lambda: LISTINGS)
