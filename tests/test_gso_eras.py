"""Table kinds of the GSO workbook pinned in more than one era of its layout: real figures of
the shared workbooks by cell, each with its period, measure, unit and series, and each checked
against the workbook's own cell (python-calamine).

Every pin was read off the sheet: the title, the header rows over its column and the row's
label. Where a kind exists in one era only, the comment over its pins says so.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from flows.pipeline import WorkbookContents, read_gso_workbook

from samples import workbook_number

# (workbook, sheet!cell, value, period, measure, unit, series key)
PINS = [
    # --- cpi: consumer prices by group, 2000-2005, 2006-2010, 2011-2015 (2020+ elsewhere).
    # January 2000 (TCVN3): "Tháng 1 năm 2000 so với (%): Kỳ gốc (1995) | Tháng 1 năm 1999 |
    # Tháng 12 năm 1999"; in January the December column is the previous month too.
    ("2000-01-31-bieu-thang-1.xls", "5gia!B9", 120.8, "2000-01", "index_base", "INDEX_1995",
     "CPI.VN._Z._T._Z.INDEX_BASE.INDEX_1995"),
    ("2000-01-31-bieu-thang-1.xls", "5gia!C13", 101.7, "2000-01", "index_yoy", "INDEX",
     "CPI.VN._Z.CP03._Z.INDEX_YOY.INDEX"),
    ("2000-01-31-bieu-thang-1.xls", "5gia!D9", 100.4, "2000-01", "index_pop", "INDEX",
     "CPI.VN._Z._T._Z.INDEX_POP.INDEX"),
    ("2000-01-31-bieu-thang-1.xls", "5gia!D9", 100.4, "2000-01", "index_dec", "INDEX",
     "CPI.VN._Z._T._Z.INDEX_DEC.INDEX"),
    # December 2004, "các tháng năm 2004 so với tháng 12 năm 2003": the months are the rows,
    # "Chỉ số chung | Trong đó: Lương thực | Chỉ số giá vàng | Chỉ số giá đô la Mỹ" the columns.
    ("2004-12-25-Bieu1204.xls", "Giathang!C12", 105.4, "2004-04", "index_dec", "INDEX",
     "CPI.VN._Z._T._Z.INDEX_DEC.INDEX"),
    ("2004-12-25-Bieu1204.xls", "Giathang!E12", 108.4, "2004-04", "index_dec", "INDEX",
     "CPI.VN._Z.CP01_1._Z.INDEX_DEC.INDEX"),
    # December 2008: "Kỳ gốc (2005) | Tháng 12 năm 2007 | Tháng 11 năm 2008" and "Chỉ số giá
    # bình quân năm 2008 so với năm 2007"; "Trong đó: Lương thực" under "Hàng ăn và dịch vụ ăn
    # uống"; "Phương tiện đi lại, bưu điện" is the pre-2009 transport-and-post group.
    ("2008-12-30-Bieu1208-1.xls", "Gia!D13", 191.11, "2008-12", "index_base", "INDEX_2005",
     "CPI.VN._Z.CP01_1._Z.INDEX_BASE.INDEX_2005"),
    ("2008-12-30-Bieu1208-1.xls", "Gia!G10", 122.97, "2008", "index_yoy", "INDEX",
     "CPI.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("2008-12-30-Bieu1208-1.xls", "Gia!F20", 93.23, "2008-12", "index_pop", "INDEX",
     "CPI.VN._Z.CP07_CP08._Z.INDEX_POP.INDEX"),
    # June 2013: "Kỳ gốc 2009 | Tháng 6 năm 2012 | Tháng 12 năm 2012 | Tháng 5 năm 2013" and
    # "Chỉ số giá 6 tháng năm 2013 so với cùng kỳ năm 2012".
    ("2013-06-29-Bieu-06-2013-1.xls", "CPI!F10", 102.40179203711403, "2013-06", "index_dec",
     "INDEX", "CPI.VN._Z._T._Z.INDEX_DEC.INDEX"),
    ("2013-06-29-Bieu-06-2013-1.xls", "CPI!H12", 101.5817250242013, "2013-YTD06", "index_yoy",
     "INDEX", "CPI.VN._Z.CP01._Z.INDEX_YOY.INDEX"),
    ("2013-06-29-Bieu-06-2013-1.xls", "CPI!D25", 149.09497819690554, "2013-06", "index_base",
     "INDEX_2009", "CPI.VN._Z.CP11._Z.INDEX_BASE.INDEX_2009"),
    # --- GOLD_PRICE and USD_PRICE: the rows under the CPI groups, same columns.
    ("2000-01-31-bieu-thang-1.xls", "5gia!B22", 95.3, "2000-01", "index_base", "INDEX_1995",
     "GOLD_PRICE.VN._Z._T._Z.INDEX_BASE.INDEX_1995"),
    ("2000-01-31-bieu-thang-1.xls", "5gia!C23", 101.4, "2000-01", "index_yoy", "INDEX",
     "USD_PRICE.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("2004-12-25-Bieu1204.xls", "Giathang!F12", 104.8, "2004-04", "index_dec", "INDEX",
     "GOLD_PRICE.VN._Z._T._Z.INDEX_DEC.INDEX"),
    ("2008-12-30-Bieu1208-1.xls", "Gia!E26", 106.83, "2008-12", "index_yoy", "INDEX",
     "GOLD_PRICE.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("2008-12-30-Bieu1208-1.xls", "Gia!G27", 102.35, "2008", "index_yoy", "INDEX",
     "USD_PRICE.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("2013-06-29-Bieu-06-2013-1.xls", "CPI!G27", 95.89, "2013-06", "index_pop", "INDEX",
     "GOLD_PRICE.VN._Z._T._Z.INDEX_POP.INDEX"),
    ("2013-06-29-Bieu-06-2013-1.xls", "CPI!D28", 121.55337793572268, "2013-06", "index_base",
     "INDEX_2009", "USD_PRICE.VN._Z._T._Z.INDEX_BASE.INDEX_2009"),
    # --- CORE_INFLATION ("LẠM PHÁT CƠ BẢN", from 2015): published as a percentage change, kept
    # as an index (the cell plus 100). December 2023 writes its month-on-month change as text.
    ("2015-06-29-Bieu-TH-6-2015-1.xlsx", "CPI!E30", 102.01, "2015-06", "index_yoy", "INDEX",
     "CORE_INFLATION.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("2015-06-29-Bieu-TH-6-2015-1.xlsx", "CPI!H30", 102.24, "2015-YTD06", "index_yoy", "INDEX",
     "CORE_INFLATION.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("2018-12-27-03-So-lieu-2018-1.xls", "33.CPI!E30", 100.09, "2018-12", "index_pop", "INDEX",
     "CORE_INFLATION.VN._Z._T._Z.INDEX_POP.INDEX"),
    ("2018-12-27-03-So-lieu-2018-1.xls", "33.CPI!G30", 101.48, "2018", "index_yoy", "INDEX",
     "CORE_INFLATION.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("2023-12-29-02.Bieu-T12.2023.xlsx", "33.CPI!D29", 102.98, "2023-12", "index_yoy", "INDEX",
     "CORE_INFLATION.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("2023-12-29-02.Bieu-T12.2023.xlsx", "33.CPI!E29", 100.17, "2023-12", "index_pop", "INDEX",
     "CORE_INFLATION.VN._Z._T._Z.INDEX_POP.INDEX"),
    # --- imports, 2000-2005, 2006-2010, 2011-2015 (2020 and 2024 elsewhere).
    # January 2000: "Ước tính tháng 1/2000: Lượng | Trị giá", "Tháng 1/2000 so với tháng 1/1999
    # (%)" and "Tỷ trọng (%): Tháng 1/1999 | Tháng 1/2000"; "Nghìn tấn và Triệu USD".
    ("2000-01-31-bieu-thang-1.xls", "NhapKhau!D9", 950.0, "2000-01", "level", "USD_MN",
     "IMPORTS.VN._Z._T._Z.LEVEL.USD_MN"),
    ("2000-01-31-bieu-thang-1.xls", "NhapKhau!C13", 6.0, "2000-01", "level", "THOUS_T",
     "IMPORTS_QTY.VN._Z.COTTON._Z.LEVEL.THOUS_T"),
    ("2000-01-31-bieu-thang-1.xls", "NhapKhau!G11", 20.0, "1999-01", "share", "PCT",
     "IMPORTS.VN._Z.S_FDI._Z.SHARE.PCT"),
    # December 2008: "Thực hiện tháng 11/2008 | Ước tính tháng 12/2008 | Cộng dồn cả năm 2008 |
    # Năm 2008 so với năm 2007 (%)", each "Lượng | Trị giá".
    ("2008-12-30-Bieu1208-1.xls", "19NK!G9", 5400.0, "2008-12", "level", "USD_MN",
     "IMPORTS.VN._Z._T._Z.LEVEL.USD_MN"),
    ("2008-12-30-Bieu1208-1.xls", "19NK!D20", 308.272, "2008-11", "level", "USD_MN",
     "IMPORTS.VN._Z.IRON_STEEL._Z.LEVEL.USD_MN"),
    ("2008-12-30-Bieu1208-1.xls", "19NK!I20", 7923.0, "2008", "level", "THOUS_T",
     "IMPORTS_QTY.VN._Z.IRON_STEEL._Z.LEVEL.THOUS_T"),
    ("2008-12-30-Bieu1208-1.xls", "19NK!M14", 162.762282580618, "2008", "index_yoy", "INDEX",
     "IMPORTS.VN._Z.CARS._Z.INDEX_YOY.INDEX"),
    # June 2013: "Thực hiện tháng 5 năm 2013 | Ước tính tháng 6 | Cộng dồn 6 tháng đầu năm
    # 2013 | 6 tháng đầu năm 2013 so với cùng kỳ năm 2012 (%)".
    ("2013-06-29-Bieu-06-2013-1.xls", "NK!J9", 27730.0, "2013-YTD06", "level", "USD_MN",
     "IMPORTS.VN._Z.S_DOM._Z.LEVEL.USD_MN"),
    ("2013-06-29-Bieu-06-2013-1.xls", "NK!D16", 48.815006, "2013-05", "level", "USD_MN",
     "IMPORTS.VN._Z.ANIMAL_VEG_FATS._Z.LEVEL.USD_MN"),
    ("2013-06-29-Bieu-06-2013-1.xls", "NK!M16", 81.24654930797209, "2013-YTD06", "index_yoy",
     "INDEX", "IMPORTS.VN._Z.ANIMAL_VEG_FATS._Z.INDEX_YOY.INDEX"),
    # --- exports, 2000-2005, 2006-2010, 2011-2015, 2016-2020 (2024 elsewhere), the same
    # layouts as the imports tables beside them.
    ("2000-01-31-bieu-thang-1.xls", "XuatKhau!D9", 900.0, "2000-01", "level", "USD_MN",
     "EXPORTS.VN._Z._T._Z.LEVEL.USD_MN"),
    ("2000-01-31-bieu-thang-1.xls", "XuatKhau!C14", 22.0, "2000-01", "level", "THOUS_T",
     "EXPORTS_QTY.VN._Z.RUBBER._Z.LEVEL.THOUS_T"),
    ("2000-01-31-bieu-thang-1.xls", "XuatKhau!H13", 0.12929870542450955, "2000-01", "share",
     "PCT", "EXPORTS.VN._Z.PEANUTS._Z.SHARE.PCT"),
    ("2008-12-30-Bieu1208-1.xls", "18XK!J16", 10450.023, "2008", "level", "USD_MN",
     "EXPORTS.VN._Z.CRUDE_OIL._Z.LEVEL.USD_MN"),
    ("2008-12-30-Bieu1208-1.xls", "18XK!F17", 1100.0, "2008-12", "level", "THOUS_T",
     "EXPORTS_QTY.VN._Z.COAL._Z.LEVEL.THOUS_T"),
    # June 2013: "Dầu thô" and "Hàng hoá khác" under "Khu vực có vốn đầu tư NN".
    ("2013-06-29-Bieu-06-2013-1.xls", "XK!G11", 750.0, "2013-06", "level", "USD_MN",
     "EXPORTS.VN._Z.S_FDI_CRUDE._Z.LEVEL.USD_MN"),
    ("2013-06-29-Bieu-06-2013-1.xls", "XK!M15", 100.30774820702271, "2013-YTD06", "index_yoy",
     "INDEX", "EXPORTS.VN._Z.SEAFOOD._Z.INDEX_YOY.INDEX"),
    ("2016-06-29-Bieu-6.2016.xlsx", "XK!D20", 155.896974, "2016-05", "level", "USD_MN",
     "EXPORTS.VN._Z.RICE._Z.LEVEL.USD_MN"),
    ("2016-06-29-Bieu-6.2016.xlsx", "XK!L20", 93.20683497159466, "2016-YTD06", "index_yoy",
     "INDEX", "EXPORTS_QTY.VN._Z.RICE._Z.INDEX_YOY.INDEX"),
    # --- visitors: international arrivals, 2000-2005, 2006-2010, 2011-2015 (2020+ elsewhere).
    # June 2001, "Lượt người": "Thực hiện 5 tháng/2001 | Ước tính tháng 6/2001 | Cộng dồn 6
    # tháng/2001 | 6 tháng/2001 so với 6 tháng/2000 (%)"; purposes, then nationalities.
    ("2001-06-29-Bieu06-1.xls", "10KQTok!I6", 103.80236025234612, "2001-YTD06", "index_yoy",
     "INDEX", "VISITORS.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("2001-06-29-Bieu06-1.xls", "10KQTok!G9", 204013.0, "2001-YTD06", "level", "PERSONS",
     "VISITORS.VN._Z.CONG_VIEC._Z.LEVEL.PERSONS"),
    ("2001-06-29-Bieu06-1.xls", "10KQTok!C13", 267245.0, "2001-YTD05", "level", "PERSONS",
     "VISITORS.VN._Z._Z.CN.LEVEL.PERSONS"),
    # June 2009, "Nghìn lượt người": "Ước tính tháng 6 | Thực hiện 6 tháng | Tháng 6 so với
    # tháng 5 (%) | Tháng 6 so với cùng kỳ | 6 tháng so với cùng kỳ năm 2008 (%)".
    ("2009-06-29-Bieu0609-1.xls", "Du lich!D9", 1142.092, "2009-YTD06", "level",
     "THOUS_PERSONS", "VISITORS.VN._Z.DU_LICH._Z.LEVEL.THOUS_PERSONS"),
    ("2009-06-29-Bieu0609-1.xls", "Du lich!E10", 99.14781828666625, "2009-06", "index_pop",
     "INDEX", "VISITORS.VN._Z.CONG_VIEC._Z.INDEX_POP.INDEX"),
    ("2009-06-29-Bieu0609-1.xls", "Du lich!F15", 91.64559019842254, "2009-06", "index_yoy",
     "INDEX", "VISITORS.VN._Z._Z.CA.INDEX_YOY.INDEX"),
    # September 2014, the same columns for September and nine months.
    ("2014-09-29-Bieu-9-2014.xls", "Sheet1!D7", 6062.08984, "2014-YTD09", "level",
     "THOUS_PERSONS", "VISITORS.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    ("2014-09-29-Bieu-9-2014.xls", "Sheet1!F18", 100.0824006042711, "2014-09", "index_yoy",
     "INDEX", "VISITORS.VN._Z._Z.US.INDEX_YOY.INDEX"),
    # --- livestock (from 2018): 2016-2020 and 2021-2024.
    # September 2018: "Thực hiện quý II | Ước tính quý III | Cộng dồn 9 tháng | So với cùng kỳ
    # năm trước (%): Quý II, Quý III, 9 tháng" over "năm 2018"; the unit in the row label.
    ("2018-09-28-03-Bieu-9.2018-N-1.xlsx", "4-5.Channuoi-Lam nghiep!B9", 23.4, "2018-Q2",
     "level", "THOUS_T", "LIVESTOCK.VN._Z.THIT_TRAU._Z.LEVEL.THOUS_T"),
    ("2018-09-28-03-Bieu-9.2018-N-1.xlsx", "4-5.Channuoi-Lam nghiep!G10", 102.6, "2018-YTD09",
     "index_yoy", "INDEX", "LIVESTOCK.VN._Z.THIT_BO._Z.INDEX_YOY.INDEX"),
    # March 2019, the first quarter only: "Thực hiện quý I năm 2018 | Ước tính quý I năm 2019".
    ("2019-03-29-02-Bieu-3-2019-1.xlsx", "Chan nuoi!C8", 1012.2, "2019-Q1", "level", "THOUS_T",
     "LIVESTOCK.VN._Z.THIT_LON._Z.LEVEL.THOUS_T"),
    ("2019-03-29-02-Bieu-3-2019-1.xlsx", "Chan nuoi!B11", 235.0, "2018-Q1", "level", "THOUS_T",
     "LIVESTOCK.VN._Z.SUA_BO_TUOI._Z.LEVEL.THOUS_T"),
    # December 2024: "Sơ bộ quý III | Ước tính quý IV | Ước tính năm 2024 | So với cùng kỳ năm
    # trước (%): Quý III, Quý IV"; the unit in a heading row ("Sản lượng thịt hơi xuất chuồng
    # (Nghìn tấn)") or in the row label ("Trứng (Triệu quả)").
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "7-8.Chan nuoi- LN!D13", 501.77819832319204, "2024",
     "level", "THOUS_T", "LIVESTOCK.VN._Z.THIT_BO._Z.LEVEL.THOUS_T"),
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "7-8.Chan nuoi- LN!F12", 98.69, "2024-Q4",
     "index_yoy", "INDEX", "LIVESTOCK.VN._Z.THIT_TRAU._Z.INDEX_YOY.INDEX"),
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "7-8.Chan nuoi- LN!D15", 20179.82, "2024", "level",
     "MN_PIECES", "LIVESTOCK.VN._Z.TRUNG_GIA_CAM._Z.LEVEL.MN_PIECES"),
    # --- unemployment: the urban unemployment rate, in the 2004 and 2008 workbooks only.
    # December 2004: "Từ đủ 15 tuổi trở lên | Trong độ tuổi lao động", each "Năm 2003 | Năm
    # 2004"; eight regions.
    ("2004-12-25-Bieu1204.xls", "TLTNghiep!D7", 5.44, "2004", "level", "PCT",
     "UNEMPLOYMENT_RATE_AGE_15_PLUS.VN._Z._T._Z.LEVEL.PCT"),
    ("2004-12-25-Bieu1204.xls", "TLTNghiep!G9", 6.03, "2004", "level", "PCT",
     "UNEMPLOYMENT_RATE_WORKING_AGE.VN._Z.DONG_BANG_SONG_HONG._Z.LEVEL.PCT"),
    ("2004-12-25-Bieu1204.xls", "TLTNghiep!C12", 5.22, "2003", "level", "PCT",
     "UNEMPLOYMENT_RATE_AGE_15_PLUS.VN._Z.BAC_TRUNG_BO._Z.LEVEL.PCT"),
    # December 2008: "Tỷ lệ thất nghiệp của lao động trong độ tuổi khu vực thành thị" (the age
    # scope in the title), "2006 | 2007 | Ước tính năm 2008"; six regions. Below another table
    # on the same sheet.
    ("2008-12-30-Bieu1208-1.xls", "TLTNghiep!E27", 4.65, "2008", "level", "PCT",
     "UNEMPLOYMENT_RATE_WORKING_AGE.VN._Z._T._Z.LEVEL.PCT"),
    ("2008-12-30-Bieu1208-1.xls", "TLTNghiep!C29", 6.42, "2006", "level", "PCT",
     "UNEMPLOYMENT_RATE_WORKING_AGE.VN._Z.DONG_BANG_SONG_HONG._Z.LEVEL.PCT"),
    # --- labour_time_use: one era only (December 2004), "Tỷ lệ thời gian lao động được sử dụng
    # của dân số hoạt động kinh tế thường xuyên khu vực nông thôn năm 2004": "Từ đủ 15 tuổi trở
    # lên | Trong độ tuổi lao động", each "Tổng số | Trong đó: Nữ".
    ("2004-12-25-Bieu1204.xls", "TLTGLDong!C8", 79.34, "2004", "level", "PCT",
     "LABOUR_TIME_USE_RATE_AGE_15_PLUS.VN._Z._T._Z.LEVEL.PCT"),
    ("2004-12-25-Bieu1204.xls", "TLTGLDong!G15", 80.76, "2004", "level", "PCT",
     "LABOUR_TIME_USE_RATE_WORKING_AGE_FEMALE.VN._Z.TAY_NGUYEN._Z.LEVEL.PCT"),
    # --- informal_employment: one era only (2023-2024). June 2023: "Quý I năm 2023 | Quý II
    # năm 2023 | Ước tính 6 tháng năm 2023", "Tổng số" then by sex and area; December 2024:
    # the four quarters and "Ước tính năm 2024", the total written "Tỷ lệ chung".
    ("2023-06-29-02.-Bieu-T6.2023.xlsx", "47.LĐPhiCT!D8", 64.8, "2023-YTD06", "level", "PCT",
     "LABOUR_INFORMAL.VN._Z._T._Z.LEVEL.PCT"),
    ("2023-06-29-02.-Bieu-T6.2023.xlsx", "47.LĐPhiCT!B10", 68.0, "2023-Q1", "level", "PCT",
     "LABOUR_INFORMAL.VN._Z.NAM._Z.LEVEL.PCT"),
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "49.LĐPhiCT!F8", 64.6, "2024", "level", "PCT",
     "LABOUR_INFORMAL.VN._Z._T._Z.LEVEL.PCT"),
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "49.LĐPhiCT!E13", 48.0, "2024-Q4", "level", "PCT",
     "LABOUR_INFORMAL.VN._Z.THANH_THI._Z.LEVEL.PCT"),
    # --- service_prices: one era only (2015-2016), quarterly. June 2015: "Quý II năm 2015 so
    # với: Quý II năm 2014 | Quý I năm 2015" and "6 tháng năm 2015 so với cùng kỳ năm 2014";
    # March 2016: "Quý I năm 2016 so với Quý I năm 2015 | Quý IV năm 2015".
    ("2015-06-29-Bieu-TH-6-2015-1.xlsx", "CSGDichvu!B8", 102.53384234397107, "2015-Q2",
     "index_yoy", "INDEX", "SERVICE_PRICES.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("2015-06-29-Bieu-TH-6-2015-1.xlsx", "CSGDichvu!D12", 100.41236663279017, "2015-YTD06",
     "index_yoy", "INDEX", "SERVICE_PRICES.VN._Z.THONG_TIN_VA_TRUYEN_THONG._Z.INDEX_YOY.INDEX"),
    ("2016-03-29-Bieu-3-2016.xlsx", "CSGDichvu!C8", 100.90845631481315, "2016-Q1", "index_pop",
     "INDEX", "SERVICE_PRICES.VN._Z._T._Z.INDEX_POP.INDEX"),
    ("2016-03-29-Bieu-3-2016.xlsx", "CSGDichvu!B12", 100.31671381867957, "2016-Q1",
     "index_yoy", "INDEX", "SERVICE_PRICES.VN._Z.THONG_TIN_VA_TRUYEN_THONG._Z.INDEX_YOY.INDEX"),
    # --- trade_prices: one era only (2013-2014), export and import prices and the terms of
    # trade in one table, in US dollars then in dong. June 2013: "Quý II năm 2013 so với: Kỳ
    # gốc năm 2010 | ..." and "Sáu tháng năm 2013 so với: Kỳ gốc năm 2010 | ...".
    ("2013-06-29-Bieu-06-2013-1.xls", "XNK$tygiaTM!B10", 116.16812520149138, "2013-Q2",
     "index_base", "INDEX_2010", "TRADE_PRICES.VN._Z.EXPORTS_USD._Z.INDEX_BASE.INDEX_2010"),
    ("2013-06-29-Bieu-06-2013-1.xls", "XNK$tygiaTM!E14", 130.0843173064869, "2013-YTD06",
     "index_base", "INDEX_2010", "TRADE_PRICES.VN._Z.EXPORTS_VND._Z.INDEX_BASE.INDEX_2010"),
    # September 2014: "Quý III năm 2014 so với: Quý III năm 2013 | Quý II năm 2014" and "9
    # tháng năm 2014 so với: Kỳ gốc năm 2010 | Cùng kỳ năm 2013".
    ("2014-09-29-Bieu-9-2014.xls", "XNK$tygiaTM!C13", 101.35, "2014-Q3", "index_pop", "INDEX",
     "TRADE_PRICES.VN._Z.IMPORTS_MACHINERY_USD._Z.INDEX_POP.INDEX"),
    ("2014-09-29-Bieu-9-2014.xls", "XNK$tygiaTM!F18", 103.6672280667163, "2014-YTD09",
     "index_yoy", "INDEX", "TRADE_PRICES.VN._Z.TERMS_OF_TRADE._Z.INDEX_YOY.INDEX"),
    # --- gdp: one era only (March 2023), GRDP growth by province: "Tốc độ phát triển GRDP ước
    # tính quý I năm 2023 so với quý I năm 2022" (%); the whole country is the economy's total.
    ("2023-03-29-02-Bieu-T3.2023-3.xlsx", "2.GRDP!B8", 103.3189182807898, "2023-Q1",
     "index_yoy", "INDEX", "GDP_GROWTH.VN._T._Z._Z.INDEX_YOY.INDEX"),
    ("2023-03-29-02-Bieu-T3.2023-3.xlsx", "2.GRDP!B9", 105.8, "2023-Q1", "index_yoy", "INDEX",
     "GDP_GROWTH.VN-01._Z._Z._Z.INDEX_YOY.INDEX"),
    ("2023-03-29-02-Bieu-T3.2023-3.xlsx", "2.GRDP!B30", 106.7, "2023-Q1", "index_yoy", "INDEX",
     "GDP_GROWTH.VN-11._Z._Z._Z.INDEX_YOY.INDEX"),
    # --- gdp_constant_2010, 2011-2015 and 2016-2020 (2024 elsewhere). June 2013: "Theo giá so
    # sánh 2010: Tổng số (Tỷ đồng) | Tốc độ phát triển so với 6 tháng năm 2012 (%)".
    ("2013-06-29-Bieu-06-2013-1.xls", "GDP !F9", 1095357.2000774173, "2013-YTD06", "level",
     "BN_VND", "GDP_CONSTANT_2010.VN._T._Z._Z.LEVEL.BN_VND"),
    ("2013-06-29-Bieu-06-2013-1.xls", "GDP !G20", 105.09, "2013-YTD06", "index_yoy", "INDEX",
     "GDP_CONSTANT_2010.VN.F._Z._Z.INDEX_YOY.INDEX"),
    # September 2018, "Tỷ đồng; %": "Sơ bộ quý II | Ước tính quý III | Cộng dồn 9 tháng | So
    # với cùng kỳ năm trước: Quý II, Quý III, 9 tháng" over "năm 2018".
    ("2018-09-28-03-Bieu-9.2018-N-1.xlsx", "2.GDP-SS!C10", 152738.3, "2018-Q2", "level",
     "BN_VND", "GDP_CONSTANT_2010.VN.A._Z._Z.LEVEL.BN_VND"),
    ("2018-09-28-03-Bieu-9.2018-N-1.xlsx", "2.GDP-SS!G11", 102.20172133998804, "2018-Q3",
     "index_yoy", "INDEX", "GDP_CONSTANT_2010.VN.01._Z._Z.INDEX_YOY.INDEX"),
    # --- investment_total, 2011-2015 and 2016-2020 (2024 elsewhere), "Nghìn tỷ đồng".
    # September 2014: "Thực hiện 6 tháng đầu năm 2014 | Ước tính quý III | Cộng dồn 9 tháng |
    # 9 tháng năm 2014 so với cùng kỳ năm 2013 (%)".
    ("2014-09-29-Bieu-9-2014.xls", "VonDTTXH!E8", 833.88, "2014-YTD09", "level",
     "THOUS_BN_VND", "INV_TOTAL.VN._Z._T._Z.LEVEL.THOUS_BN_VND"),
    ("2014-09-29-Bieu-9-2014.xls", "VonDTTXH!D10", 17.3, "2014-Q3", "level", "THOUS_BN_VND",
     "INV_TOTAL.VN._Z.VON_TRAI_PHIEU_CHINH_PHU._Z.LEVEL.THOUS_BN_VND"),
    # June 2019: "Thực hiện quý I | Ước tính quý II | Cộng dồn 6 tháng | So với cùng kỳ năm
    # trước (%): Quý I, Quý II, 6 tháng" over "năm 2019".
    ("2019-06-28-03-Bieu-6.2019.xlsx", "1.VĐTTXH!D9", 462.79384, "2019-Q2", "level",
     "THOUS_BN_VND", "INV_TOTAL.VN._Z._T._Z.LEVEL.THOUS_BN_VND"),
    ("2019-06-28-03-Bieu-6.2019.xlsx", "1.VĐTTXH!F14", 96.14864864864865, "2019-Q1",
     "index_yoy", "INDEX",
     "INV_TOTAL.VN._Z.VON_DAU_TU_CUA_DOANH_NGHIEP_NHA_NUOC_VON_TU_CO._Z.INDEX_YOY.INDEX"),
    # --- consumption_inventory, 2011-2015 and 2016-2020 (2024 elsewhere). June 2015: "Chỉ số
    # tiêu thụ tháng 5 năm 2015 so với tháng trước | so với cùng kỳ 2014" and "5 tháng năm 2015
    # so với cùng kỳ 2014". Its inventory columns ("tồn kho thời điểm 01/6/2015", the close of
    # May, where from 2018 "30/6" is the close of June) are pinned in test_gso_read_right.py.
    ("2015-06-29-Bieu-TH-6-2015-1.xlsx", "CS TT TK!B12", 107.5476296724499, "2015-05",
     "index_pop", "INDEX", "IND_CONSUMPTION_INVENTORY_CONSUMPTION.VN.C._Z._Z.INDEX_POP.INDEX"),
    ("2015-06-29-Bieu-TH-6-2015-1.xlsx", "CS TT TK!D12", 112.7, "2015-YTD05", "index_yoy",
     "INDEX", "IND_CONSUMPTION_INVENTORY_CONSUMPTION.VN.C._Z._Z.INDEX_YOY.INDEX"),
    # June 2019: "Chỉ số tồn kho thời điểm 30/6/2019 so với cùng thời điểm tháng trước | năm
    # trước".
    ("2019-06-28-03-Bieu-6.2019.xlsx", "13.CS TT TK!F11", 102.51, "2019-06", "index_pop",
     "INDEX", "IND_CONSUMPTION_INVENTORY_INVENTORY.VN.C._Z._Z.INDEX_POP.INDEX"),
    ("2019-06-28-03-Bieu-6.2019.xlsx", "13.CS TT TK!C11", 110.57, "2019-06", "index_yoy",
     "INDEX", "IND_CONSUMPTION_INVENTORY_CONSUMPTION.VN.C._Z._Z.INDEX_YOY.INDEX"),
    # --- social, 2006-2010 and 2016-2020 (2024 elsewhere). December 2008: "Thiệt hại do thiên
    # tai năm 2008", "Đơn vị tính | Thiệt hại", a ditto mark (") repeating the unit above.
    ("2008-12-30-Bieu1208-1.xls", "thiethai t11!D7", 550.0, "2008", "level", "PERSONS",
     "SOCIAL.VN._Z.SO_NGUOI_CHET_MAT_TICH._Z.LEVEL.PERSONS"),
    ("2008-12-30-Bieu1208-1.xls", "thiethai t11!D8", 440.0, "2008", "level", "PERSONS",
     "SOCIAL.VN._Z.THIET_HAI_DO_THIEN_TAI__SO_NGUOI_BI_THUONG._Z.LEVEL.PERSONS"),
    ("2008-12-30-Bieu1208-1.xls", "thiethai t11!D12", 85.0, "2008", "level", "THOUS_M",
     "SOCIAL.VN._Z.CHIEU_DAI_CAC_DOAN_DE_BI_SAT_LO._Z.LEVEL.THOUS_M"),
    # September 2018: "Đơn vị tính | Quý I | Quý II | Quý III | 9 tháng" over "năm 2018".
    ("2018-09-28-03-Bieu-9.2018-N-1.xlsx", "42.XHMT!G9", 401.5, "2018-YTD09", "level",
     "THOUS_PERSONS", "SOCIAL.VN._Z.SO_NHAN_KHAU_THIEU_DOI._Z.LEVEL.THOUS_PERSONS"),
    ("2018-09-28-03-Bieu-9.2018-N-1.xlsx", "42.XHMT!F16", 1909.0, "2018-Q3", "level",
     "PERSONS", "SOCIAL.VN._Z.TAI_NAN_GIAO_THONG__SO_NGUOI_CHET._Z.LEVEL.PERSONS"),
    ("2018-09-28-03-Bieu-9.2018-N-1.xlsx", "42.XHMT!F21", 82.0, "2018-Q3", "level",
     "PERSONS", "SOCIAL.VN._Z.THIET_HAI_DO_THIEN_TAI__SO_NGUOI_BI_THUONG._Z.LEVEL.PERSONS"),
    # --- enterprises (the summary table), 2016-2020 (2024 elsewhere). June 2020: "Tháng 6 năm
    # 2019 | 6 tháng năm 2019 | Tháng 5 năm 2020 | Tháng 6 năm 2020 | 6 tháng năm 2020 | Tháng 6
    # năm 2020 so với (%): Tháng 5 năm 2020, Tháng 6 năm 2019 | 6 tháng năm 2020 so với cùng kỳ".
    ("2020-06-29-03-Bieu-6.2020.xlsx", "Sheet2!E11", 13725.0, "2020-06", "level",
     "ENTERPRISES", "ENT.VN._Z.NEW._Z.LEVEL.ENTERPRISES"),
    ("2020-06-29-03-Bieu-6.2020.xlsx", "Sheet2!H12", 73.0528736356334, "2020-06", "index_yoy",
     "INDEX", "ENT.VN._Z.NEW_CAPITAL._Z.INDEX_YOY.INDEX"),
    # --- enterprises by industry, 2016-2020 (2021+ elsewhere). September 2016: "9 tháng năm
    # 2015 | 9 tháng năm 2016 | 9 tháng năm 2016 so với cùng kỳ năm 2015 (%)"; the suspension
    # table splits each period into "Tạm ngừng kinh doanh có thời hạn" and "Tạm ngừng hoạt
    # động không đăng ký hoặc chờ giải thể".
    ("2016-09-29-Bieu-9-2016.xlsx", "DN1!C8", 20510.0, "2016-YTD09", "level", "ENTERPRISES",
     "ENT_RETURNING.VN._Z._T._Z.LEVEL.ENTERPRISES"),
    ("2016-09-29-Bieu-9-2016.xlsx", "DN2!E15", 6563.0, "2016-YTD09", "level", "ENTERPRISES",
     "ENT_SUSPENDED_FIXED_TERM.VN.G._Z._Z.LEVEL.ENTERPRISES"),
    ("2016-09-29-Bieu-9-2016.xlsx", "DN2!I14", 81.90348906645436, "2016-YTD09", "index_yoy",
     "INDEX", "ENT_SUSPENDED_AWAITING_DISSOLUTION.VN._Z._T._Z.INDEX_YOY.INDEX"),
    # June 2019: "6 tháng năm 2018 | 6 tháng năm 2019 | 6 tháng năm 2019 so với cùng kỳ năm
    # 2018 (%)".
    ("2019-06-28-03-Bieu-6.2019.xlsx", "DN1!B9", 21822.0, "2018-YTD06", "level", "ENTERPRISES",
     "ENT_NEW.VN.G._Z._Z.LEVEL.ENTERPRISES"),
    ("2019-06-28-03-Bieu-6.2019.xlsx", "16.DN giải thể!D8", 118.0570221752904, "2019-YTD06",
     "index_yoy", "INDEX", "ENT_DISSOLVED.VN._Z._T._Z.INDEX_YOY.INDEX"),
    # The English edition of September 2020: "Number of temporarily ceased enterprises with a
    # certain time" is the fixed-term suspension table (its total is the "Temporarily ceased
    # for a definite time" line of the edition's summary table 14).
    ("2020-09-29-03-Bieu-9.2020-EN.xlsx", "17!C7", 38629.0, "2020-YTD09", "level",
     "ENTERPRISES", "ENT_SUSPENDED_FIXED_TERM.VN._Z._T._Z.LEVEL.ENTERPRISES"),
    ("2020-09-29-03-Bieu-9.2020-EN.xlsx", "17!B20", 422.0, "2019-YTD09", "level",
     "ENTERPRISES", "ENT_SUSPENDED_FIXED_TERM.VN.L._Z._Z.LEVEL.ENTERPRISES"),
]

# Indicators GSO publishes as a percentage change and chiso keeps as an index (cell + 100).
PERCENT_CHANGE = ("CORE_INFLATION",)


@cache
def _read(path: Path) -> WorkbookContents:
    return read_gso_workbook(path)


@cache


@pytest.mark.extended
@pytest.mark.parametrize("pin", PINS, ids=lambda p: f"{p[0][:7]}:{p[1]}:{p[4]}")
def test_pinned_figure(shared_releases: Path, pin: tuple) -> None:
    name, ref, value, period, measure, unit, key = pin
    path = shared_releases / "gso" / name
    found = [o for o in _read(path).observations if o.provenance == ref]
    assert found, f"no figure from {ref}"
    read = {(str(o.period), o.measure, o.unit, o.series_key): o.value for o in found}
    assert (period, measure, unit, key) in read, f"{ref} gives {sorted(read)}"
    assert read[period, measure, unit, key] == pytest.approx(value)
    offset = 100.0 if key.split(".")[0] in PERCENT_CHANGE else 0.0
    assert workbook_number(path, ref) + offset == pytest.approx(value)
