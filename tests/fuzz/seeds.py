#!/usr/bin/env python3
"""Write the seed inputs of the fuzz targets that read records,
expressions, patterns, paths, partials and streams:

    python3 tests/fuzz/seeds.py COTLOG OUT [CORPUS [TARGET]]

from our own fixtures (tests/data) and the examples, and, when CORPUS
(a folder of *.jsonl files) is given, from its records too; TARGET
writes the seeds of that target only. With OUT = tests/fuzz/corpus this
writes the saved seeds (never with CORPUS: its records are not ours to
commit). Seeds are named seed-*; inputs a fuzzer found are kept beside
them under other names."""
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# the longest record kept: as long as real traces, within -max_len
MAX_LEN = 200000


def record_files(corpus):
    files = sorted(glob.glob(os.path.join(ROOT, 'tests/data/*/*.jsonl')))
    files.append(os.path.join(ROOT, 'examples/traces.jsonl'))
    if corpus:
        files += sorted(glob.glob(os.path.join(corpus, '**/*.jsonl'),
                                  recursive=True))
    return files


def records(corpus, limit=2):
    """The smallest records of every file: (name, bytes)."""
    for f in record_files(corpus):
        lines = [l for l in open(f, 'rb').read().split(b'\n')
                 if l.strip() and len(l) < MAX_LEN]
        lines.sort(key=len)
        base = os.path.splitext(os.path.basename(f))[0]
        d = os.path.basename(os.path.dirname(f))
        for k, l in enumerate(lines[:limit]):
            yield '%s-%s-%d' % (d, base, k), l


EXPRS = [
    'closed && !loop.tail && think.words < 8000',
    'rec.model == "deepseek-r1" && answer_extracted != null',
    'format in ["text", "string"]',
    "lower(format) =~ '^openai'",
    'rec.id == 1234567890123456789',
    'len(rec.tags) > 2 || exists(rec.n)',
    '-(think.words + 1) * 2 / 3 >= -.5e1',
    'not (status == "complete") or null',
    'rec["a.b"][-1] != "x\\u00e9"',
]
TEXT = ('Let me think. 2+2 is 4.\n\nWait, maybe I should check: '
        'hmm, 2+2=4. Alternatively, 4. 等等，让我检查一下。\n\n'
        '**Final answer** \\boxed{4}').encode()
PATTERNS = [
    b'hedge hedging \\b(maybe|perhaps|probably)\\b\n',
    b'# a comment\nrecheck verify (?:let me )?(?:re)?check\r\n',
    b'w=wait\nloop=(wait\\s*)+$\n',
    b'cn zh \\x{7b49}\\x{7b49}|\\p{Han}{2}\n',
    b'bad family [unclosed\n',
]
PATHS = ['messages[-1].content', 'choices[*].message.reasoning_content',
         '["a.b"]["c]"][2][0]', '.messages[0]', '[*][*]', 'a..b',
         '[9223372036854775808]', '["unterminated']
# stats --partial options: every field, or a few, with and without groups
PARTIALS = [[], ['--by', 'format', '--fields', 'think.words,format,correct'],
            ['--by', 'file', '--fields', 'status,lang.*'],
            ['--fields', 'think.*,status,families.*.count'],
            ['--by', 'think.words > 20', '--fields', 'closed,answer.words']]


def seeds(target, cotlog, corpus):
    """(name, bytes) of each seed of target."""
    recs = list(records(corpus)) if target != 'partial' else []
    if target == 'record':
        for i, (name, rec) in enumerate(recs):
            # options, then the field asked for alone (two bytes)
            yield name, bytes([i % 6, i // 256, i % 256]) + rec
    elif target in ('expr', 'path'):
        # alone (run on a fixed record), and before a record
        heads = EXPRS if target == 'expr' else PATHS
        for i, h in enumerate(heads):
            yield '%s%d' % (target[0], i), h.encode()
            name, rec = recs[i * 3 % len(recs)]
            yield '%s%d-%s' % (target[0], i, name), h.encode() + b'\0' + rec
    elif target == 'pattern':
        for i, p in enumerate(PATTERNS):
            yield 'p%d' % i, p + b'\0' + TEXT
    elif target == 'stream':
        # the streams of the fixtures, and the chunks of --stream files
        import json
        path = os.path.join(ROOT, 'tests/data/streams/sse.jsonl')
        for line in open(path, encoding='utf-8'):
            r = json.loads(line)
            text = r['response_text'].encode('utf-8', 'surrogatepass')
            if len(text) < 20000:
                yield r['name'], text
        for f in sorted(glob.glob(os.path.join(
                ROOT, 'tests/data/streams/chunks-*.jsonl'))):
            name = os.path.basename(f)[7:-6]
            yield 'chunk-' + name, open(f, 'rb').readline().strip()
    elif target == 'partial':
        # named from the repository's top, as --by file writes them
        files = [os.path.relpath(f, ROOT) for f in record_files(corpus)]
        for i, opts in enumerate(PARTIALS):
            # exit 1 for malformed lines (the corpus has some): the
            # partial is still written
            run = subprocess.run([os.path.abspath(cotlog), 'stats',
                                  '--partial'] + opts +
                                 files[i::len(PARTIALS)],
                                 capture_output=True, cwd=ROOT)
            if run.returncode not in (0, 1) or not run.stdout:
                sys.exit('seeds.py: stats --partial failed: %s' %
                         run.stderr.decode(errors='replace'))
            yield 'p%d' % i, run.stdout


def main():
    cotlog, out = sys.argv[1], sys.argv[2]
    corpus = sys.argv[3] if len(sys.argv) > 3 else None
    targets = sys.argv[4:] or ['record', 'expr', 'pattern', 'path',
                               'partial', 'stream']
    for t in targets:
        d = os.path.join(out, t)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds(t, cotlog, corpus):
            with open(os.path.join(d, 'seed-' + name), 'wb') as f:
                f.write(data)


main()
