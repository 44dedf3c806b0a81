"""chiso's pipeline: sources, readers, normalisation, validation, flows and the CLI."""
