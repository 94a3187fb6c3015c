"""
kv_server: Python access to kv-server's extensions over RESP, on top of redis-py (sync and
redis.asyncio). Pure Python; works with redis-py 4.3+.

    from kv_server import KvClient
    kv = KvClient(port=6380)
    with kv.lock("job:1", ttl=30) as lock:      # renews itself while held
        do_work(fencing_token=lock.token)

    from kv_server import AsyncKvClient
    kv = AsyncKvClient(port=6380, namespace="tenant1")
    async with kv.lock("job:1", ttl=30, wait=5) as lock:
        ...

See docs/extensions.md for the commands underneath (CAS, KV.LOCK, KV.SETV, KV.NS, KV.SETT…).
"""
from ._sync import KvClient, Lock
from ._async import AsyncKvClient, AsyncLock
from ._common import LockLost, LockNotAcquired, TypedValue

__all__ = ["KvClient", "AsyncKvClient", "Lock", "AsyncLock", "LockNotAcquired", "LockLost", "TypedValue"]
