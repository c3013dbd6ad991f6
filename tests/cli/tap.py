"""tap.py - the runner the end-to-end tests share: @case collects the
cases, main() runs them in order and prints TAP (a case returning
"skip REASON" is skipped; any exception fails it)."""
import shutil
import sys

results = []


def case(fn):
    results.append(fn)
    return fn


def main(tmp=None):
    """Run every case; remove the scratch folder tmp, if given."""
    print(f"1..{len(results)}")
    failed = 0
    for n, fn in enumerate(results, 1):
        try:
            skip = fn()
        except Exception as e:      # noqa: BLE001 - report any failure
            failed += 1
            print(f"not ok {n} - {fn.__name__}")
            for line in repr(e).splitlines()[:20]:
                print(f"# {line[:500]}")
            continue
        if isinstance(skip, str) and skip.startswith("skip"):
            print(f"ok {n} - {fn.__name__} # SKIP {skip[5:]}")
        else:
            print(f"ok {n} - {fn.__name__}")
        sys.stdout.flush()
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failed else 0)
