"""Prefect flows (thin), backfill, rebuild, the scheduled service and its alerts."""
