"""Stage 3: Argos model packages and batched CTranslate2 inference on them."""
