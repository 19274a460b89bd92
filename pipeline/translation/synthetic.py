"""A synthetic Argos package: real SentencePiece, real CTranslate2 Transformer, random weights.

No real model can be fetched offline, so tests, benchmarks and the offline `make run`
use this. It goes through exactly the install and inference path of a real
.argosmodel; only its output is meaningless. metadata.json carries "locpipe_demo": true
and every output that shows its text says it is placeholder text from a demo model.
"""

from __future__ import annotations

import json
import random
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEMO_VERSION = "0.0.1-demo"


@dataclass(frozen=True)
class ModelSize:
    encoder_layers: int = 2
    decoder_layers: int = 2
    d_model: int = 64
    ffn: int = 128
    heads: int = 4
    vocab: int = 600
    eos_bias: float = 2.4  # random weights rarely pick </s>; this makes outputs sentence-length


SIZES = {
    "tiny": ModelSize(),
    "small": ModelSize(2, 2, 128, 256, 4, 2000, 3.4),
    "argos": ModelSize(6, 6, 512, 2048, 8, 32000, 2.4),  # mean 21 tokens out for 30 in
}

_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "they",
    "you",
    "were",
    "her",
    "she",
    "there",
    "been",
    "one",
    "all",
    "we",
    "their",
    "has",
    "would",
    "when",
    "if",
    "so",
    "no",
    "will",
    "more",
    "about",
    "can",
    "said",
    "what",
    "out",
    "up",
    "them",
    "into",
    "only",
    "time",
    "could",
    "new",
    "some",
    "these",
    "two",
    "may",
    "first",
    "then",
    "do",
    "any",
    "like",
    "my",
    "now",
    "over",
    "such",
    "our",
    "man",
    "me",
    "even",
    "most",
    "made",
    "after",
    "also",
    "did",
    "many",
    "before",
    "must",
    "through",
    "back",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "us",
    "great",
    "old",
    "year",
    "off",
    "come",
    "since",
    "against",
    "go",
    "came",
    "right",
    "used",
    "take",
    "three",
    "ministry",
    "defense",
    "support",
    "meeting",
    "president",
    "minister",
    "foreign",
    "affairs",
    "investment",
    "industry",
    "military",
    "peace",
]


def training_text(sample: str | None, lines: int, seed: int) -> list[str]:
    """Sample text plus seeded pseudo-sentences: enough material for any vocabulary size."""
    rng = random.Random(seed)
    words = list(_WORDS)
    if sample:
        words += sample.split()
    out = [line for line in (sample or "").splitlines() if line.strip()]
    alphabet = "abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщьюяçğıöşü"
    for _ in range(lines):
        n = rng.randint(4, 24)
        toks = []
        for _ in range(n):
            if rng.random() < 0.35:
                toks.append("".join(rng.choice(alphabet) for _ in range(rng.randint(2, 11))))
            else:
                toks.append(rng.choice(words))
        out.append(" ".join(toks).capitalize() + rng.choice([".", ".", ".", "?", "!", ","]))
    return out


def train_sentencepiece(lines: list[str], vocab: int, folder: Path) -> Path:
    import sentencepiece as spm

    corpus = folder / "corpus.txt"
    corpus.write_text("\n".join(lines), encoding="utf-8")
    prefix = folder / "sentencepiece"
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=vocab,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        byte_fallback=True,
        bos_id=1,
        eos_id=2,
        unk_id=0,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


def _pieces(model_file: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model_file))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _fill(spec: object, rng: np.random.Generator, vocab: int, d: int) -> None:
    """Give every required weight of a TransformerSpec a deterministic random value."""
    for name, value in list(vars(spec).items()):
        if name.startswith("_"):
            continue
        if isinstance(value, list):
            for item in value:
                _fill(item, rng, vocab, d)
        elif hasattr(value, "__dict__") and type(value).__module__.startswith("ctranslate2"):
            _fill(value, rng, vocab, d)
        elif value is None:
            setattr(spec, name, _weight(spec, name, rng, vocab, d))


def _weight(owner: object, name: str, rng: np.random.Generator, vocab: int, d: int) -> np.ndarray:
    kind = type(owner).__name__
    if name == "gamma":
        return np.ones(d, dtype=np.float32)
    if name == "beta":
        return np.zeros(d, dtype=np.float32)
    if kind == "EmbeddingsSpec":
        return (rng.standard_normal((vocab, d)) / np.sqrt(d)).astype(np.float32)
    raise ValueError(f"unexpected weight {kind}.{name}")


def _linear_shapes(spec: object, d: int, ffn: int, vocab: int, rng: np.random.Generator) -> None:
    from ctranslate2.specs import attention_spec, common_spec, transformer_spec

    def linear(out_dim: int, in_dim: int) -> common_spec.LinearSpec:
        layer = common_spec.LinearSpec()
        layer.weight = (rng.standard_normal((out_dim, in_dim)) / np.sqrt(in_dim)).astype(np.float32)
        layer.bias = np.zeros(out_dim, dtype=np.float32)
        return layer

    def visit(node: object) -> None:
        if isinstance(node, attention_spec.MultiHeadAttentionSpec):
            if len(node.linear) == 2:  # self-attention: fused qkv, output
                node.linear = [linear(3 * d, d), linear(d, d)]
            else:  # cross-attention: query, fused kv, output
                node.linear = [linear(d, d), linear(2 * d, d), linear(d, d)]
            return
        if isinstance(node, transformer_spec.FeedForwardSpec):
            node.linear_0 = linear(ffn, d)
            node.linear_1 = linear(d, ffn)
            return
        for name, value in vars(node).items():
            if name.startswith("_"):
                continue
            if isinstance(value, list):
                for item in value:
                    if hasattr(item, "__dict__"):
                        visit(item)
            elif hasattr(value, "__dict__") and type(value).__module__.startswith("ctranslate2"):
                visit(value)

    visit(spec)


def build_ctranslate2_model(sp_model: Path, size: ModelSize, out_dir: Path, seed: int) -> None:
    from ctranslate2.specs import TransformerSpec, common_spec

    pieces = _pieces(sp_model)
    vocab = len(pieces)
    d = size.d_model
    rng = np.random.default_rng(seed)
    spec = TransformerSpec.from_config((size.encoder_layers, size.decoder_layers), size.heads)
    _linear_shapes(spec, d, size.ffn, vocab, rng)
    projection = common_spec.LinearSpec()
    projection.weight = (rng.standard_normal((vocab, d)) / np.sqrt(d)).astype(np.float32)
    bias = np.zeros(vocab, dtype=np.float32)
    for i, piece in enumerate(pieces):
        # never emit raw bytes or control pieces: keeps placeholder output readable UTF-8
        if piece in ("<unk>", "<s>") or (piece.startswith("<0x") and piece.endswith(">")):
            bias[i] = -20.0
    bias[pieces.index("</s>")] = size.eos_bias
    projection.bias = bias
    spec.decoder.projection = projection
    _fill(spec, rng, vocab, d)
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization="int8")
    spec.save(str(out_dir))


def build_package(
    from_code: str,
    to_code: str,
    out_folder: Path,
    size: ModelSize | str = "tiny",
    version: str = DEMO_VERSION,
    sample_text: str | None = None,
    seed: int = 0,
) -> Path:
    """Write translate-<from>_<to>-<version>.argosmodel into out_folder and return its path."""
    size = SIZES[size] if isinstance(size, str) else size
    out_folder.mkdir(parents=True, exist_ok=True)
    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    target = out_folder / f"{name}.argosmodel"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / name
        (root / "model").mkdir(parents=True)
        pair_seed = seed + sum(ord(c) for c in f"{from_code}>{to_code}")
        lines = training_text(sample_text, max(400, size.vocab // 2), pair_seed)
        sp_model = train_sentencepiece(lines, size.vocab, Path(tmp))
        (root / "sentencepiece.model").write_bytes(sp_model.read_bytes())
        build_ctranslate2_model(sp_model, size, root / "model", pair_seed)
        metadata = {
            "package_version": version,
            "argos_version": "1.0",
            "from_code": from_code,
            "from_name": from_code,
            "to_code": to_code,
            "to_name": to_code,
            "type": "translate",
            "locpipe_demo": True,
            "description": "locpipe demo model: random weights, output is placeholder text",
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (root / "README.md").write_text(
            "Demo model built by locpipe. Random weights: its output is placeholder text, "
            "not a translation.\n",
            encoding="utf-8",
        )
        partial = target.with_suffix(".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(root.rglob("*")):
                info = zipfile.ZipInfo(str(path.relative_to(root.parent)), (2020, 1, 1, 0, 0, 0))
                if path.is_dir():
                    continue
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
        partial.replace(target)
    return target
