"""Normalise: what readers found to canonical observations, one module per source kind."""
