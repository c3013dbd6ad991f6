// tokens_crate.js - the Rust crate `tokenizers` (its Node binding, as
// tests/tokens/reference.js uses it) on the texts of tokens.py, timed.
//
// Usage: node tokens_crate.js NODE_MODULES TOKENIZER.json TEXTS.jsonl
// Each input line is {"text": STRING}. The texts are read and parsed
// first; then they are encoded (without special tokens) in batches of
// 256, and only the encodeBatch calls are timed. Run it with
// TOKENIZERS_PARALLELISM=false (tokens.py does) for one thread. Prints
// one JSON object: texts, bytes (UTF-8), tokens, encode_seconds.
'use strict';
const fs = require('fs');
const path = require('path');

const [modules, file, texts] = process.argv.slice(2);
const { Tokenizer } = require(path.join(modules, '@anush008', 'tokenizers'));

async function main() {
  const tok = Tokenizer.fromFile(file);
  const lines = fs.readFileSync(texts, 'utf8').split('\n');
  const all = [];
  let bytes = 0;
  for (const line of lines) {
    if (line === '')
      continue;
    const t = JSON.parse(line).text;
    all.push(t);
    bytes += Buffer.byteLength(t, 'utf8');
  }
  let tokens = 0;
  let ns = 0n;
  for (let i = 0; i < all.length; i += 256) {
    const batch = all.slice(i, i + 256);
    const t0 = process.hrtime.bigint();
    const encs = await tok.encodeBatch(batch, { addSpecialTokens: false });
    ns += process.hrtime.bigint() - t0;
    for (const e of encs)
      tokens += e.getIds().length;
  }
  process.stdout.write(JSON.stringify({
    texts: all.length, bytes, tokens, encode_seconds: Number(ns) / 1e9,
  }) + '\n');
}

main().catch((e) => {
  console.error('tokens_crate.js: ' + (e && e.stack || e));
  process.exit(1);
});
