"""The asyncio client: AsyncKvClient over a redis.asyncio.Redis, and its renewing AsyncLock."""
import asyncio
from typing import Any, Optional

import redis
import redis.asyncio as aioredis
from redis.asyncio.connection import Connection

from ._common import (
    LockLost, LockNotAcquired, Number, expiry_args, gett_reply, getv_reply, lock_args, lockinfo_reply,
    ms, new_owner, sett_args, text,
)


class AsyncNamespaceConnection(Connection):
    """A connection that enters its pool's namespace (KV.NS USE) whenever it (re)connects."""

    def __init__(self, *args: Any, kv_namespace: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kv_namespace = kv_namespace

    async def on_connect(self) -> None:
        await super().on_connect()
        if self.kv_namespace is not None:
            await self.send_command("KV.NS", "USE", self.kv_namespace)
            if text(await self.read_response()) != "OK":
                raise redis.ConnectionError(f"cannot use namespace {self.kv_namespace!r}")


class AsyncKvClient:
    """kv-server's extensions over a redis.asyncio client (`.redis`, usable for everything else)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 6379, *, namespace: Optional[str] = None,
                 client: Optional[aioredis.Redis] = None, **redis_kwargs: Any) -> None:
        if client is not None:
            if namespace is not None:
                raise ValueError("namespace needs a pool of our own: pass host/port, not client")
            self.redis = client
            self._own_pool = False
        else:
            pool = aioredis.ConnectionPool(host=host, port=port, connection_class=AsyncNamespaceConnection,
                                           kv_namespace=namespace, **redis_kwargs)
            self.redis = aioredis.Redis(connection_pool=pool)
            self._own_pool = True

    async def close(self) -> None:
        await self.redis.close()
        if self._own_pool:
            await self.redis.connection_pool.disconnect()

    async def __aenter__(self) -> "AsyncKvClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def namespace(self) -> Optional[str]:
        """The namespace this client's connections use (KV.NS CURRENT); None: a numbered database."""
        return text(await self.redis.execute_command("KV.NS", "CURRENT"))

    async def use_namespace(self, name: Optional[str]) -> None:
        """Moves every connection of the pool to namespace `name` (None: back to the numbered database)."""
        if not self._own_pool:
            raise ValueError("namespace needs a pool of our own")
        pool = self.redis.connection_pool
        pool.connection_kwargs["kv_namespace"] = name
        await pool.disconnect()
        pool.reset()  # new connections, made with the new namespace, replace the old ones

    async def namespaces(self) -> list:
        return [text(n) for n in await self.redis.execute_command("KV.NS", "LIST")]

    async def cas(self, key: str, expected: Any, new: Any, *, ex: Optional[Number] = None, px: Optional[int] = None,
                  keepttl: bool = False) -> bool:
        return await self.redis.execute_command("CAS", key, expected, new, *expiry_args(ex, px, keepttl)) == 1

    async def setv(self, key: str, value: Any, *, if_version: Optional[int] = None, ex: Optional[Number] = None,
                   px: Optional[int] = None, keepttl: bool = False) -> Optional[int]:
        cond = [] if if_version is None else ["IFVERSION", int(if_version)]
        v = await self.redis.execute_command("KV.SETV", key, value, *cond, *expiry_args(ex, px, keepttl))
        return None if v is None else int(v)

    async def getv(self, key: str):
        return getv_reply(await self.redis.execute_command("KV.GETV", key))

    async def version(self, key: str) -> int:
        return int(await self.redis.execute_command("KV.VERSION", key))

    async def if_version(self, key: str, version: int, *command: Any) -> Any:
        return await self.redis.execute_command("KV.IFVERSION", key, int(version), *command)

    async def set_typed(self, key: str, value: Any, type: Optional[str] = None, *, ex: Optional[Number] = None,
                        px: Optional[int] = None, keepttl: bool = False) -> bool:
        return text(await self.redis.execute_command(*sett_args(key, value, type, expiry_args(ex, px, keepttl)))) in ("OK", True)

    async def get_typed(self, key: str):
        return gett_reply(await self.redis.execute_command("KV.GETT", key))

    def lock(self, key: str, ttl: Number = 30, wait: Optional[Number] = None, *, owner: Optional[str] = None,
             renew: bool = True) -> "AsyncLock":
        """`async with kv.lock("key", ttl=30) as lock:` — renewed by a task while held; `.token`."""
        return AsyncLock(self, key, ttl, wait, owner or new_owner(), renew)

    async def lock_info(self, key: str) -> Optional[dict]:
        return lockinfo_reply(await self.redis.execute_command("KV.LOCKINFO", key))


class AsyncLock:
    """A KV.LOCK lock for asyncio: `async with` acquires (LockNotAcquired when it cannot), renews it
    from a task every ttl/3 while held, and releases it on exit. `.token` is the fencing token."""

    def __init__(self, kv: AsyncKvClient, key: str, ttl: Number, wait: Optional[Number], owner: str, renew: bool) -> None:
        self.kv, self.key, self.ttl, self.wait, self.owner, self.renew = kv, key, ttl, wait, owner, renew
        self.token: Optional[int] = None
        self.lost = False
        self.lost_reason = ""
        self._task: Optional[asyncio.Task] = None
        self._stop: Optional[asyncio.Event] = None

    async def acquire(self) -> bool:
        token = await self.kv.redis.execute_command(*lock_args(self.key, self.owner, self.ttl, self.wait))
        if token is None:
            return False
        self.token = int(token)
        self.lost = False
        if self.renew:
            self._stop = asyncio.Event()
            self._task = asyncio.ensure_future(self._renew_loop(self._stop))
        return True

    async def _renew_loop(self, stop: asyncio.Event) -> None:
        interval = max(0.01, self.ttl / 3)
        while True:
            try:
                await asyncio.wait_for(stop.wait(), interval)
                return  # released
            except asyncio.TimeoutError:
                pass
            try:
                if await self.kv.redis.execute_command("KV.RENEW", self.key, self.owner, ms(self.ttl)) != 1:
                    self.lost = True
                    self.lost_reason = "KV.RENEW found the lock gone"
                    return
            except redis.RedisError as e:
                self.lost_reason = repr(e)  # try again at the next interval

    async def release(self) -> bool:
        # stopped, not cancelled: a renewal in flight finishes and gives its connection back
        if self._task is not None:
            self._stop.set()
            await self._task
            self._task = None
        return await self.kv.redis.execute_command("KV.UNLOCK", self.key, self.owner) == 1

    async def locked(self) -> bool:
        info = await self.kv.lock_info(self.key)
        return info is not None and info["owner"] == self.owner

    async def __aenter__(self) -> "AsyncLock":
        if not await self.acquire():
            raise LockNotAcquired(self.key)
        return self

    async def __aexit__(self, *exc: Any) -> None:
        if not await self.release() and exc[0] is None:
            raise LockLost(self.key)
