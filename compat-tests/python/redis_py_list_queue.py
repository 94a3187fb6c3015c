"""
A job queue with redis-py (Debian's 4.3.4): producers LPUSH, worker threads wait with BRPOP on
their own connections, asyncio workers with BLMOVE into a processing list. Every job is handled
exactly once; the lists end deleted. Usage: redis_py_list_queue.py <port>; prints "ok queue".
"""
import asyncio
import sys
import threading
import time
import warnings

import redis
import redis.asyncio as aioredis

warnings.simplefilter("error")  # a warning from the library is a failure

PORT = int(sys.argv[1])
JOBS = 200


def threads():
    producer = redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)
    producer.flushall()
    handled = [[] for _ in range(3)]

    def work(i):
        r = redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)
        while True:
            got = r.brpop(["jobs", "control"], timeout=5)
            assert got is not None, "a worker timed out while jobs were pending"
            key, job = got
            if job == "stop":
                return
            assert key == "jobs"
            handled[i].append(int(job))

    workers = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for w in workers:
        w.start()
    for i in range(0, JOBS, 20):
        producer.lpush("jobs", *range(i, i + 20))
    while producer.exists("jobs"):
        time.sleep(0.01)
    producer.lpush("control", "stop", "stop", "stop")
    for w in workers:
        w.join(10)
    everything = sorted(j for jobs in handled for j in jobs)
    assert everything == list(range(JOBS)), everything
    for jobs in handled:
        assert jobs == sorted(jobs)
    assert producer.exists("jobs", "control") == 0
    assert producer.brpop("jobs", timeout=0.05) is None


async def asyncio_workers():
    producer = aioredis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)
    await producer.flushall()
    done = []

    async def work():
        r = aioredis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)
        while True:
            job = await r.blmove("tasks", "processing", 5, "RIGHT", "LEFT")
            assert job is not None
            if job == "stop":
                await r.lrem("processing", 1, job)
                await r.close()
                return
            done.append(job)
            assert await r.lrem("processing", 1, job) == 1

    tasks = [asyncio.create_task(work()) for _ in range(2)]
    await asyncio.sleep(0.05)
    await producer.lpush("tasks", *[f"t{i}" for i in range(50)])
    await producer.lpush("tasks", "stop", "stop")
    await asyncio.gather(*tasks)
    assert sorted(done) == sorted(f"t{i}" for i in range(50))
    assert await producer.exists("tasks", "processing") == 0
    await producer.close()


threads()
asyncio.run(asyncio_workers())
print("ok queue")
