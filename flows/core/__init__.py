"""Core of chiso: settings, errors, the release and observation model, periods, text and
reference data. Imports nothing else of the project."""
