"""Batched inference on an installed Argos package with CTranslate2 and SentencePiece.

A sentence's translation must not depend on its batch neighbours (padding changes
CTranslate2's CPU results), so sentences are grouped by exact token length: a batch
never pads, and the decoding cap is a function of the sentence's own length.
Groups run concurrently on CTranslate2's inter_threads replicas.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.settings_table import default
from pipeline.translation.packages import InstalledModel, Route
from pipeline.translation.pseudo import pseudo_translate
from pipeline.translation.quality import ModelScore

# indexes, outputs and their model scores, after each batch
OnBatch = Callable[[list[int], list[str], list[Any]], None]
Results = Callable[[dict[str, str], dict[str, ModelScore]], None]


@dataclass(frozen=True)
class DecodeOptions:
    beam_size: int = default("beam_size")
    batch_size: int = default("batch_size")
    max_decoding_ratio: float = default("max_decoding_ratio")
    max_decoding_slack: int = 10
    inter_threads: int = default("inter_threads")
    intra_threads: int = default("intra_threads")
    device: str = default("device")  # auto: CUDA when CTranslate2 sees a GPU, else the CPU
    compute_type: str = default("compute_type")

    def cap(self, source_tokens: int) -> int:
        return int(source_tokens * self.max_decoding_ratio) + self.max_decoding_slack


WORKERS_ENV = "LOCPIPE_WORKERS"  # set by `locpipe run --workers N` for its worker processes


def thread_budget(inter: int, intra: int, workers: int, cpus: int) -> tuple[int, int]:
    """Threads per model so that N workers translating at once do not oversubscribe the
    CPUs: the configured split, shrunk (replicas first) until workers x inter x intra fits."""
    while workers * inter * intra > cpus and inter > 1:
        inter -= 1
    while workers * inter * intra > cpus and intra > 1:
        intra -= 1
    return inter, intra


@dataclass
class EngineStats:
    models_loaded: list[str] = field(default_factory=list)
    sentences: int = 0
    sentences_done: int = 0  # as batches finish: what progress shows
    seconds: float = 0.0


def resolve_device(device: str) -> str:
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


POLL_SECONDS = 0.02


class LoadedModel:
    """One Argos package in memory: loaded once per translation task, used for every batch."""

    def __init__(self, model: InstalledModel, options: DecodeOptions) -> None:
        import ctranslate2
        import sentencepiece as spm

        self.model = model
        self.options = options
        self.tokenizer = spm.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))
        self.translator = ctranslate2.Translator(
            str(model.path / "model"),
            device=resolve_device(options.device),
            compute_type=options.compute_type,
            inter_threads=options.inter_threads,
            intra_threads=options.intra_threads,
        )

    def translate(self, sentences: list[str], on_batch: OnBatch | None = None) -> list[str]:
        """on_batch(indexes, outputs, scores) after each batch, in submission order: results
        can be stored as they come, so a kill loses at most the batch in flight. The model's
        score of each output is kept in self.scores (translation.quality)."""
        tokens = [self.tokenizer.encode(s, out_type=str) for s in sentences]
        prefix = [self.model.target_prefix] if self.model.target_prefix else None
        pending: deque[tuple[list[int], list[Any]]] = deque()
        out: list[str] = [""] * len(sentences)
        self.scores: list[ModelScore] = [ModelScore(0.0)] * len(sentences)

        def drain(wait: bool) -> None:
            """Hand over finished batches in order; while batches are still being submitted
            (a fast model translates as fast as they go in) only those already done. Waiting
            polls instead of blocking in CTranslate2, so Ctrl-C and SIGTERM stop the run within
            a poll interval, mid-batch: an abandoned batch's results are never stored."""
            while pending and (wait or all(r.done() for r in pending[0][1])):
                while not all(r.done() for r in pending[0][1]):
                    time.sleep(POLL_SECONDS)  # the signal handler raises here
                chunk, results = pending.popleft()
                for i, result in zip(chunk, results, strict=True):
                    done = result.result()
                    hyp = done.hypotheses[0]
                    cap = self.options.cap(len(tokens[i]))
                    if prefix and hyp[:1] == prefix:
                        hyp = hyp[1:]
                    out[i] = self.tokenizer.decode(hyp).strip()
                    # with CTranslate2's default length_penalty (1) the score is the mean
                    # log-probability of the output's tokens and </s>
                    self.scores[i] = ModelScore(done.scores[0], len(hyp) >= cap)
                if on_batch:
                    on_batch(chunk, [out[i] for i in chunk], [self.scores[i] for i in chunk])

        for length, indexes in _length_groups(tokens):
            for start in range(0, len(indexes), self.options.batch_size):
                chunk = indexes[start : start + self.options.batch_size]
                results = self.translator.translate_batch(
                    [tokens[i] for i in chunk],
                    target_prefix=[prefix] * len(chunk) if prefix else None,
                    beam_size=self.options.beam_size,
                    max_batch_size=self.options.batch_size,
                    max_decoding_length=self.options.cap(length),
                    asynchronous=True,
                    return_scores=True,
                )
                pending.append((chunk, results))
                drain(wait=False)
        drain(wait=True)
        return out


class PseudoModel:
    """The pseudo-locale's engine: the same interface as LoadedModel, no model."""

    def translate(self, sentences: list[str], on_batch: OnBatch | None = None) -> list[str]:
        out = [pseudo_translate(s) for s in sentences]
        self.scores: list[ModelScore | None] = [None] * len(out)  # no model: no estimate
        if on_batch:
            on_batch(list(range(len(out))), out, self.scores)
        return out


def _length_groups(tokens: list[list[str]]) -> Iterable[tuple[int, list[int]]]:
    groups: dict[int, list[int]] = {}
    for i, toks in enumerate(tokens):
        groups.setdefault(len(toks), []).append(i)
    for length in sorted(groups):
        yield length, groups[length]


def _after(first: ModelScore | None, second: ModelScore | None) -> ModelScore | None:
    return second if first is None or second is None else first.then(second)


def translate_unique(
    route: Route,
    sentences: list[str],
    options: DecodeOptions,
    stats: EngineStats,
    on_results: Results | None = None,
) -> dict[str, str]:
    """Translate each distinct sentence once along the route (pivoting where it has two legs);
    a sentence the model returned nothing for is left out. on_results gets each batch of the
    last leg as it is done, with the model's scores (a pivot's legs combined)."""
    started = time.perf_counter()
    current = sorted(set(sentences))
    mapping = {s: s for s in current}
    scores: dict[str, ModelScore | None] = {}
    for leg, model in enumerate(route.models):
        loaded = PseudoModel() if model.pseudo else LoadedModel(model, options)
        stats.models_loaded.append(model.id)
        unique = sorted(set(mapping.values()))
        last_leg = leg == len(route.models) - 1
        sources_of: dict[str, list[str]] = {}
        for src, mid in mapping.items():
            sources_of.setdefault(mid, []).append(src)

        def batch_done(
            indexes: list[int],
            outputs: list[str],
            found: list[ModelScore | None],
            unique: list[str] = unique,
            sources_of: dict[str, list[str]] = sources_of,
            before: dict[str, ModelScore | None] = scores,
        ) -> None:
            done = {s: out for i, out in zip(indexes, outputs, strict=True) for s in sources_of[unique[i]]}
            stats.sentences_done += len(done)
            if on_results is not None:
                marks = {
                    s: _after(before.get(s), found[k])
                    for k, i in enumerate(indexes)
                    for s in sources_of[unique[i]]
                }
                on_results(
                    {s: t for s, t in done.items() if t or not s.strip()},
                    {s: m for s, m in marks.items() if m is not None and done[s]},
                )

        translated = dict(
            zip(unique, loaded.translate(unique, batch_done if last_leg else None), strict=True)
        )
        by_mid = dict(zip(unique, loaded.scores, strict=True))
        scores = {src: _after(scores.get(src), by_mid[mid]) for src, mid in mapping.items()}
        mapping = {src: translated[mid] for src, mid in mapping.items()}
        del loaded
    # an empty output for a non-empty sentence is a failure, not a result: it is not stored,
    # so the entry stays untranslated (with a note) and the next run tries again
    mapping = {src: out for src, out in mapping.items() if out or not src.strip()}
    stats.sentences += len(current)
    stats.seconds += time.perf_counter() - started
    return mapping
