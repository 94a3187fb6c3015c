"""
redis-py against kv-server: a stream consumer group with two worker threads (XREADGROUP BLOCK,
XACK), a third consumer that "crashes" holding entries, which a survivor takes over with XCLAIM
and XAUTOCLAIM; XPENDING, XINFO and XRANGE as redis-py parses them (RESP2). Prints "ok streams".
Usage: redis_py_stream_workers.py PORT
"""
import sys
import threading

import redis

port = int(sys.argv[1])
r = redis.Redis(port=port, decode_responses=True)
r.flushall()

r.xgroup_create("jobs", "workers", id="$", mkstream=True)
done = {}
lock = threading.Lock()
stop = threading.Event()


def worker(name):
    c = redis.Redis(port=port, decode_responses=True)
    while not stop.is_set():
        got = c.xreadgroup("workers", name, {"jobs": ">"}, count=5, block=100)
        for _stream, entries in got or []:
            for entry_id, fields in entries:
                with lock:
                    done[fields["n"]] = name
                c.xack("jobs", "workers", entry_id)


threads = [threading.Thread(target=worker, args=(n,)) for n in ("w1", "w2")]
for t in threads:
    t.start()
ids = [r.xadd("jobs", {"n": str(i), "payload": "x" * i}) for i in range(200)]
for _ in range(200):
    with lock:
        if len(done) == 200:
            break
    threading.Event().wait(0.05)
stop.set()
for t in threads:
    t.join()
assert len(done) == 200, len(done)
assert set(done.values()) <= {"w1", "w2"}
assert r.xpending("jobs", "workers")["pending"] == 0

# a consumer takes entries and crashes before acking
for i in range(5):
    r.xadd("jobs", {"n": f"late{i}"})
crashed = r.xreadgroup("workers", "crasher", {"jobs": ">"}, count=5)
assert len(crashed[0][1]) == 5
summary = r.xpending("jobs", "workers")
assert summary["pending"] == 5 and summary["consumers"] == [{"name": "crasher", "pending": 5}], summary
rows = r.xpending_range("jobs", "workers", min="-", max="+", count=10)
assert [row["times_delivered"] for row in rows] == [1] * 5 and rows[0]["consumer"] == "crasher", rows

# the survivor claims the first two explicitly, then the rest with XAUTOCLAIM
first = [row["message_id"] for row in rows[:2]]
claimed = r.xclaim("jobs", "workers", "w1", min_idle_time=0, message_ids=first)
assert [e[0] for e in claimed] == first and claimed[0][1]["n"] == "late0", claimed
cursor, entries, deleted = r.execute_command("XAUTOCLAIM", "jobs", "workers", "w1", 0, "0-0", "COUNT", 10)
assert cursor == "0-0" and len(entries) == 5 and deleted == [], (cursor, entries, deleted)
delivered = [(row["consumer"], row["times_delivered"]) for row in r.xpending_range("jobs", "workers", min="-", max="+", count=10)]
assert delivered == [("w1", 3)] * 2 + [("w1", 2)] * 3, delivered
assert r.xack("jobs", "workers", *[row["message_id"] for row in rows]) == 5

info = r.xinfo_groups("jobs")
assert info[0]["name"] == "workers" and info[0]["pending"] == 0 and info[0]["lag"] == 0, info
consumers = {c["name"]: c["pending"] for c in r.xinfo_consumers("jobs", "workers")}
assert consumers == {"crasher": 0, "w1": 0, "w2": 0} or consumers == {"crasher": 0, "w1": 0}, consumers
stream = r.xinfo_stream("jobs")
assert stream["length"] == 205 and stream["entries-added"] == 205, stream
assert r.xlen("jobs") == 205
assert r.xrange("jobs", count=1)[0][1] == {"n": "0", "payload": ""}
assert r.xrevrange("jobs", count=1)[0][1] == {"n": "late4"}
r.xtrim("jobs", maxlen=10, approximate=False)
assert r.xlen("jobs") == 10
r.xgroup_delconsumer("jobs", "workers", "crasher")
assert r.xgroup_destroy("jobs", "workers") == 1
print("ok streams")
