"""Stage 5: rendered articles, manifest, and the atomic writes every stage uses."""
