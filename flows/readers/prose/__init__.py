"""Prose reports: sentences, the figures in them, their periods and measures."""
