"""The closest known names to a mistyped one, so an error can say what was probably meant."""

from __future__ import annotations

import difflib
import heapq
import re
from collections.abc import Iterable

# How alike (difflib's ratio) a known name must be to be offered: 0.6 is difflib's own default,
# loose enough for a dropped or doubled letter in a series key, strict enough to skip noise.
CUTOFF = 0.6
# Above this many known names (a warehouse's series keys), only the names sharing the longest
# start and end with the word are compared with it: difflib over 100,000 keys takes seconds.
SHORTLIST = 300
# What separates the parts of a name or key: `hp_industry_ytd`, `IIP.VN-31._T`.
_PIECES = re.compile(r"[._\-\s]+")


def closest(word: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Up to `n` known names most like `word`, case ignored: first those holding every piece
    of it (`hp_ytd` -> `hp_industry_ytd`), the most alike first, then difflib's matches."""
    names = {name.lower(): name for name in known}
    wanted = word.lower()
    pool = list(names)
    if len(pool) > SHORTLIST:
        pool = heapq.nlargest(SHORTLIST, pool, key=lambda name: _shared_ends(wanted, name))
    pieces = [p for p in _PIECES.split(wanted) if p]
    holding = sorted((name for name in pool if pieces and all(p in name for p in pieces)),
                     key=lambda name: -difflib.SequenceMatcher(None, wanted, name).ratio())
    alike = difflib.get_close_matches(wanted, pool, n, CUTOFF)
    return [names[name] for name in list(dict.fromkeys([*holding, *alike]))[:n]]


def _shared_ends(word: str, name: str) -> int:
    """How many characters `name` shares with `word` at its start and, after that, its end:
    a typo in the middle of a long key leaves both ends alike."""
    start = _common_start(word, name)
    return start + _common_start(word[start:][::-1], name[start:][::-1])


def _common_start(a: str, b: str) -> int:
    for n, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return n
    return min(len(a), len(b))


def did_you_mean(word: str, known: Iterable[str], n: int = 3) -> str:
    """' (did you mean X, Y or Z?)' for an error message, or '' when nothing is close."""
    found = closest(word, known, n)
    if not found:
        return ""
    listed = found[0] if len(found) == 1 else f"{', '.join(found[:-1])} or {found[-1]}"
    return f" (did you mean {listed}?)"
