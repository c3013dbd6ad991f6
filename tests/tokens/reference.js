// reference.js - the token ids Hugging Face `tokenizers` (the Rust
// crate, as the Node binding @anush008/tokenizers) gives, encoding
// without special tokens: the reference of libcotlog's tokenizer.
//
// Usage: node reference.js NODE_MODULES TOKENIZER.json < TEXTS.jsonl
// Each input line is {"text": STRING}; each output line the JSON array
// of its ids, in input order.
'use strict';
const path = require('path');
const readline = require('readline');

const [modules, file] = process.argv.slice(2);
const { Tokenizer } = require(path.join(modules, '@anush008', 'tokenizers'));

async function main() {
  const tok = Tokenizer.fromFile(file);
  const rl = readline.createInterface({ input: process.stdin,
                                        crlfDelay: Infinity });
  const batch = [];
  const flush = async () => {
    // encodeBatch runs the crate on its own threads; the order is kept
    const encs = await tok.encodeBatch(batch, { addSpecialTokens: false });
    const out = encs.map((e) => JSON.stringify(e.getIds())).join('\n');
    process.stdout.write(out + '\n');
    batch.length = 0;
  };
  for await (const line of rl) {
    if (line === '')
      continue;
    batch.push(JSON.parse(line).text);
    if (batch.length === 256)
      await flush();
  }
  if (batch.length)
    await flush();
}

main().catch((e) => {
  console.error('reference.js: ' + (e && e.stack || e));
  process.exit(1);
});
