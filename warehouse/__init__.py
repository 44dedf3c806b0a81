"""chiso's storage layer: connect, migrate, load a release, publish, query."""
