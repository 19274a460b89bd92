"""The run: Luigi tasks over the stages, its plan, progress, records, status and report."""
