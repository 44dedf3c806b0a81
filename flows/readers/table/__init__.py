"""An analyst's table file (CSV or Excel) and the TOML mapping that explains it."""
