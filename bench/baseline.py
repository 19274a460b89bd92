"""Contender (a): argostranslate's own translate(), one call per article, as a user scripts it.

Two patches make it run offline, both stated next to the figures:
- its sentencizer (MiniSBD, which downloads a model) is replaced by locpipe's splitter; stanza
  and minisbd are stubbed so the module imports without them (never called: the sentencizer
  is replaced);
- its decoding length is capped by the rule every contender uses (ratio x longest source +
  slack per translate_batch call); argostranslate sets no cap.
Everything else is argostranslate's: paragraph splitting, token batches of ARGOS_BATCH_SIZE,
its cache, its Translator settings (threads and beam from the same environment variables).

    python bench/baseline.py MODELS_DIR ARTICLES_DIR FROM TO RATIO
"""

from __future__ import annotations

import json
import resource
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def stub_modules() -> None:
    for name in ("stanza", "minisbd", "minisbd.models"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["minisbd"].SBDetect = object  # type: ignore[attr-defined]
    sys.modules["minisbd"].models = sys.modules["minisbd.models"]  # type: ignore[attr-defined]


def main() -> None:
    models_dir, articles_dir, src, tgt, ratio = sys.argv[1:6]
    import os

    os.environ["ARGOS_PACKAGES_DIR"] = models_dir
    stub_modules()
    import ctranslate2

    from pipeline.segments.splitter import split_sentences

    loads = [0]
    real = ctranslate2.Translator

    class CappedTranslator:
        """argostranslate's Translator with the shared decoding-length rule added."""

        def __init__(self, *args, **kwargs) -> None:
            loads[0] += 1
            self.inner = real(*args, **kwargs)

        def translate_batch(self, tokens, **kwargs):
            kwargs.setdefault(
                "max_decoding_length", int(max(map(len, tokens), default=0) * float(ratio)) + 10
            )
            return self.inner.translate_batch(tokens, **kwargs)

    ctranslate2.Translator = CappedTranslator  # type: ignore[misc]
    import argostranslate.translate as argos

    class Splitter:
        def __init__(self, pkg) -> None:
            self.language = pkg.from_code

        def split_sentences(self, text: str) -> list[str]:
            return [s for s, _ in split_sentences(text, self.language)] or [text]

    argos.MiniSBDSentencizer = Splitter  # type: ignore[misc]
    argos.StanzaSentencizer = Splitter  # type: ignore[misc]
    argos.ctranslate2.Translator = CappedTranslator  # type: ignore[misc]

    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(articles_dir).glob("*.txt"))]
    started = time.perf_counter()
    out = [argos.translate(text, src, tgt) for text in texts]
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "articles": len(out), "model_loads": loads[0], "peak_rss_mb": rss}))


if __name__ == "__main__":
    main()
