"""chiso's storage layer: connect, migrate, load a release, publish, query."""

from warehouse.query import queries, query, search, sql
from warehouse.series import series

__all__ = ["queries", "query", "search", "series", "sql"]
