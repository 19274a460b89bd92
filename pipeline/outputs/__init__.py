"""Stage 5: rendered articles and documents, the manifest, and the indexes of what a run wrote."""
