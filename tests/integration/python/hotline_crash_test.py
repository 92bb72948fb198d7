#!/usr/bin/env python3
"""kill -9 of suqiu-feed-12345 during a burst of pushed work orders.

The hub supervises the feed ([[plugin]] in its configuration) and starts it
again; the platform (this test) pushes 5,000 work orders in batches from
four threads and, as a platform does, sends again every batch that was not
answered 200. While the burst runs the feed is killed with SIGKILL twice.
At the end every work order must be stored exactly once: a 200 means the
batch was on disk in the feed's outbox, and a batch sent twice is answered
duplicate by the hub.

Usage: hotline_crash_test.py BUILD_DIR [COUNT]
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conversation_test import Hub, free_port  # noqa: E402
from hotline_feed_test import SOURCE_DIR, TOKEN, Dialect, wait_until  # noqa: E402

BATCH = 20


def feed_pids(state_dir):
    # Only the feed this test's hub runs (its state folder is ours alone):
    # other tests may run the same feed at the same time.
    out = subprocess.run(["pgrep", "-f", "--", "--state " + state_dir], stdout=subprocess.PIPE).stdout.decode().split()
    return [int(p) for p in out]


def main():
    build = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    hub_exe = os.path.join(build, "hub", "server", "suqiu-hub")
    feed_exe = os.path.join(build, "plugins", "hotline", "suqiu-feed-12345")
    with open(os.path.join(SOURCE_DIR, "plugins", "workorder", "mappings", "12345.toml"), "rb") as f:
        dialect = Dialect(tomllib.load(f)["mapping"])
    tmp = tempfile.mkdtemp(prefix="suqiu-hotline-crash-")
    data, state = os.path.join(tmp, "data"), os.path.join(tmp, "state")
    port = free_port()
    feed_config = os.path.join(tmp, "feed.toml")
    with open(feed_config, "w") as f:
        f.write('[feed]\npush_token = "%s"\n' % TOKEN)
    hub_config = os.path.join(tmp, "hub.toml")
    with open(hub_config, "w") as f:
        f.write('[[plugin]]\nname = "12345"\ncommand = "%s"\nargs = ["--config", "%s", "--listen", "127.0.0.1:%d", '
                '"--state", "%s"]\n' % (feed_exe, feed_config, port, state))

    hub = Hub(hub_exe, data, os.path.join(tmp, "hub.log"), ["--config", hub_config])
    if not hub.start():
        print("FAIL  the hub starts\n0 passed, 1 failed")
        return 1

    tag = str(int(time.time()))
    ids = ["CRASH-%s-%05d" % (tag, i) for i in range(count)]
    batches = [ids[i:i + BATCH] for i in range(0, count, BATCH)]
    lock = threading.Lock()
    resent = [0]
    done = [0]  # batches answered 200

    def push_all(mine):
        for batch in mine:
            body = json.dumps([dialect.order(x, "出租车拒载", "出租车司机拒载，工单" + x) for x in batch],
                              ensure_ascii=False).encode()
            while True:
                req = urllib.request.Request("http://127.0.0.1:%d/workorders" % port, data=body, method="POST",
                                             headers={"Content-Type": "application/json; charset=utf-8",
                                                      "X-Suqiu-Token": TOKEN})
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        if r.status == 200:
                            with lock:
                                done[0] += 1
                            break
                except (urllib.error.URLError, ConnectionError, OSError):
                    pass
                with lock:
                    resent[0] += 1
                time.sleep(0.2)  # the feed is being restarted: send it again

    wait_until(lambda: feed_pids(state), 20)
    threads = [threading.Thread(target=push_all, args=(batches[k::4],)) for k in range(4)]
    for t in threads:
        t.start()
    kills, killed_at = 0, []
    for share in (0.2, 0.6):  # twice in the middle of the burst
        wait_until(lambda: done[0] >= share * len(batches), 120, 0.005)
        for pid in feed_pids(state):
            os.kill(pid, signal.SIGKILL)
            kills += 1
            killed_at.append(done[0])
        wait_until(lambda: feed_pids(state), 30)
    for t in threads:
        t.join(600)

    def stored():
        with sqlite3.connect("file:%s?mode=ro" % os.path.join(data, "suqiu.db"), uri=True) as db:
            return db.execute("SELECT count(*), count(DISTINCT external_id) FROM cases WHERE external_id LIKE ?",
                              ("CRASH-%s-%%" % tag,)).fetchone()
    wait_until(lambda: stored()[0] >= count, 120, 1.0)
    hub.stop()
    total, distinct = stored()
    ok = [("the feed was killed twice during the burst",
           kills >= 2 and all(0 < k < len(batches) for k in killed_at), "%s of %d batches" % (killed_at, len(batches))),
          ("every work order is stored", distinct == count, "%d of %d" % (distinct, count)),
          ("none is stored twice", total == distinct, "%d rows, %d distinct" % (total, distinct))]
    for name, good, detail in ok:
        print(("PASS  " if good else "FAIL  ") + name + ("" if good else "   -- %s" % detail))
    print("killed after %s of %d batches; pushes sent again: %d" % (killed_at, len(batches), resent[0]))
    failed = sum(1 for _, good, _ in ok if not good)
    print("%d passed, %d failed" % (len(ok) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
