"""chiso's storage layer: connect, migrate, load a release, publish, query."""

from warehouse.query import queries, query, search, sql

__all__ = ["queries", "query", "search", "sql"]
