"""Stage 1: articles on disk → Article objects (text units plus the exact layout around them)."""
