"""fold and nfc on labels as GSO printed them: each quirk the alias keys must see through."""

from __future__ import annotations

import pytest

from flows.core.text import fold, nfc


@pytest.mark.parametrize(("printed", "key"), [
    # a space before the comma (IIP, September 2012)
    ("Công nghiệp chế biến , chế tạo", "công nghiệp chế biến, chế tạo"),
    # a footnote marker, and the 2008 imports table's short lead-in
    ("Ô tô nguyên chiếc(*)", "ô tô nguyên chiếc"),
    ("Tđ: Nguyên chiếc", "nguyên chiếc"),
    ("Trong đó: Lương thực", "lương thực"),
    # numbering before a part of a table (2000), a bullet before a sub-item
    ("B. Mặt hàng chủ yếu", "mặt hàng chủ yếu"),
    ("  - Sản xuất thức ăn gia súc", "sản xuất thức ăn gia súc"),
    # a line break and runs of spaces inside a label, a non-breaking space at its end
    ("Khai khoáng\n  và   quặng\u00a0", "khai khoáng và quặng"),
    # the old tone placement, and a dropped letter
    ("Hóa chất", "hoá chất"),
    ("Thủy sản", "thuỷ sản"),
    ("Hoạt độg dịch vụ hỗ trợ khai thác mỏ và quặng",
     "hoạt động dịch vụ hỗ trợ khai thác mỏ và quặng"),
    ("Chỉ số giá sản xuất(**).", "chỉ số giá sản xuất"),
])
def test_fold_sees_through_how_a_label_was_printed(printed: str, key: str) -> None:
    assert fold(printed) == key


def test_nfc_composes_and_folds_every_kind_of_white_space() -> None:
    # "hoá" typed as o + a combining grave accent, an em space, a tab and a line break
    assert nfc("\tHo\u0061\u0300\u2003chất\r\n mới ") == "Hoà chất mới"
