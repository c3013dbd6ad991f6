"""One analyzer shared by threads: each has its own result, and the
profiles are those of one thread, whatever the interleaving."""
import threading
import time

import cotlog
from conftest import files_of, note


def test_threads_give_the_same_profiles():
    az = cotlog.Analyzer()
    texts = []
    for path in files_of("data"):
        for _, rec, profiles in cotlog.read(path, analyzer=az):
            if profiles:
                texts.append(rec)
    want = [az.profile_record(r) for r in texts]
    want_text = [az.profile(r.decode("utf-8", "replace")) for r in texts]
    errors = []

    def work(k):
        try:
            for _ in range(3):
                for i in range(len(texts)):
                    j = (i + 7 * k) % len(texts)   # other orders
                    assert az.profile_record(texts[j]) == want[j]
                    assert az.profile(texts[j].decode(
                        "utf-8", "replace")) == want_text[j]
        except BaseException as e:   # noqa: B902 (reported below)
            errors.append(e)
    t0 = time.monotonic()
    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]
    note(f"4 threads x {3 * len(texts)} records x 2: "
         f"{time.monotonic() - t0:.2f} s")


def test_summaries_per_thread_merge_to_one():
    files = files_of("data")
    az = cotlog.Analyzer()
    one = cotlog.Summary(analyzer=az, by="format")
    for f in files:
        one.add_file(f)
    parts = [cotlog.Summary(analyzer=az, by="format") for _ in range(3)]

    def work(k):
        for f in files[k::3]:
            parts[k].add_file(f)
    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = cotlog.Summary(analyzer=az, by="format")
    for p in parts:
        total.merge(p)
    assert total.render("json") == one.render("json")
