"""What people see: the CLI, terminal tables, run summaries, the HTML report."""
