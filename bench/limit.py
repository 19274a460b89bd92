"""Contenders (b) and (b-all): ctranslate2.Translator.translate_batch straight on sentences.

Sentences are tokenized with the package's SentencePiece model, grouped by exact token
length (so each group's decoding cap is the shared rule: ratio x length + slack, and nothing
is padded), and run asynchronously on inter_threads replicas: the fastest plain use of
CTranslate2 found for this model on CPU.

    python bench/limit.py MODEL_DIR SENTENCES.json BATCH INTER INTRA BEAM RATIO
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main() -> None:
    model_dir, corpus, batch, inter, intra, beam, ratio = sys.argv[1:8]
    import ctranslate2
    import sentencepiece as spm

    sentences = json.loads(Path(corpus).read_text(encoding="utf-8"))
    started = time.perf_counter()
    sp = spm.SentencePieceProcessor(model_file=str(Path(model_dir) / "sentencepiece.model"))
    translator = ctranslate2.Translator(
        str(Path(model_dir) / "model"), device="cpu", inter_threads=int(inter), intra_threads=int(intra)
    )
    loaded = time.perf_counter()
    tokens = [sp.encode(s, out_type=str) for s in sentences]
    groups: dict[int, list[int]] = {}
    for i, toks in enumerate(tokens):
        groups.setdefault(len(toks), []).append(i)
    pending = []
    for length, indexes in sorted(groups.items()):
        for start in range(0, len(indexes), int(batch)):
            chunk = indexes[start : start + int(batch)]
            pending.append(
                translator.translate_batch(
                    [tokens[i] for i in chunk],
                    beam_size=int(beam),
                    max_batch_size=int(batch),
                    max_decoding_length=int(length * float(ratio)) + 10,
                    asynchronous=True,
                )
            )
    outputs = [sp.decode(r.result().hypotheses[0]) for results in pending for r in results]
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "seconds": done - started,
                "load_seconds": loaded - started,
                "sentences": len(outputs),
                "model_loads": 1,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
