#!/usr/bin/env python3
"""layout.py - check that the source tree shows the flow: every file of
lib/ is in a stage folder, includes only files of its own stage or of
stages before it (the order of the stages is the one lib/meson.build
builds them in), and no header includes itself through others; tools/
reaches the library through the public header alone; and only
lib/base/simd.h names a vector instruction set. One TAP case per rule.

Usage: layout.py SOURCE_ROOT
"""
import os
import re
import sys

root = sys.argv[1]
lib = os.path.join(root, 'lib')
include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def stages():
    """The stage folders of lib/, in build order (lib/meson.build)."""
    text = open(os.path.join(lib, 'meson.build')).read()
    m = re.search(r"foreach stage\s*:\s*\[([^\]]*)\]", text)
    return re.findall(r"'([a-z]+)'", m.group(1))


def sources(top):
    for dp, _, fn in os.walk(top):
        for f in sorted(fn):
            if f.endswith(('.c', '.h')):
                yield os.path.relpath(os.path.join(dp, f), root)


def includes(path):
    return include.findall(open(os.path.join(root, path)).read())


def resolve(path, inc):
    """The file an #include "inc" in path names, relative to root, or
    None when it is not in the tree (cotlog.h, the generated version.h,
    system headers in quotes)."""
    for base in (os.path.dirname(path), 'lib', 'include'):
        cand = os.path.normpath(os.path.join(base, inc))
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


cases = []
order = stages()
rank = {s: i for i, s in enumerate(order)}

problems = []
for f in sources(lib):
    parts = f.split(os.sep)
    if len(parts) != 3 or parts[1] not in rank:
        problems.append('%s is not in a stage folder of lib/' % f)
cases.append(('every file of lib/ is in a stage folder (%s)'
              % ' <- '.join(order), problems))

problems = []
for f in sources(lib):
    parts = f.split(os.sep)
    if len(parts) != 3 or parts[1] not in rank:
        continue
    for inc in includes(f):
        to = resolve(f, inc)
        if to is None or not to.startswith('lib' + os.sep):
            continue
        stage = to.split(os.sep)[1]
        if stage not in rank or rank[stage] > rank[parts[1]]:
            problems.append('%s includes %s, a later stage' % (f, inc))
        elif '/' not in inc:
            problems.append('%s includes "%s" without its stage folder'
                            % (f, inc))
cases.append(('lib/ includes only its own stage and earlier ones',
              problems))

problems = []
graph = {}
for top in ('lib', 'tools', 'include'):
    for f in sources(os.path.join(root, top)):
        graph[f] = [t for t in (resolve(f, i) for i in includes(f)) if t]
state = {}


def visit(f, stack):
    state[f] = 1
    for t in graph.get(f, []):
        if state.get(t) == 1:
            problems.append(' -> '.join(stack[stack.index(t):] + [t])
                            if t in stack else '%s -> %s' % (f, t))
        elif t not in state:
            visit(t, stack + [t])
    state[f] = 2


for f in sorted(graph):
    if f not in state:
        visit(f, [f])
cases.append(('no include cycle in lib/, tools/ or include/', problems))

problems = []
for f in sources(os.path.join(root, 'tools')):
    for inc in includes(f):
        to = resolve(f, inc)
        if to and to.startswith('lib' + os.sep):
            problems.append('%s includes %s' % (f, to))
cases.append(('tools/ uses the library through <cotlog.h> alone',
              problems))

problems = []
simd = os.path.join('lib', 'base', 'simd.h')
vector = re.compile(r'__SSE\d?__|__AVX|__ARM_NEON|\bCOT_NO_S(IMD|WAR)\b|'
                    r'intrin\.h|\b_mm_|__m128')
for top in ('lib', 'tools'):
    for f in sources(os.path.join(root, top)):
        if f == simd:
            continue
        for k, line in enumerate(open(os.path.join(root, f)), 1):
            if vector.search(line):
                problems.append('%s:%d: %s' % (f, k, line.strip()))
cases.append(('only lib/base/simd.h knows the vector instructions',
              problems))

print('1..%d' % len(cases))
for i, (name, problems) in enumerate(cases, 1):
    print('%s %d - %s' % ('not ok' if problems else 'ok', i, name))
    for p in problems:
        print('#   ' + p)
