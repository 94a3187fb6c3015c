"""The synchronous client: KvClient over a redis.Redis, and its renewing Lock."""
import threading
from typing import Any, Optional

import redis
from redis.connection import Connection

from ._common import (
    LockLost, LockNotAcquired, Number, expiry_args, gett_reply, getv_reply, lock_args, lockinfo_reply,
    ms, new_owner, sett_args, text,
)


class NamespaceConnection(Connection):
    """A connection that enters its pool's namespace (KV.NS USE) whenever it (re)connects."""

    def __init__(self, *args: Any, kv_namespace: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kv_namespace = kv_namespace

    def on_connect(self) -> None:
        super().on_connect()
        if self.kv_namespace is not None:
            self.send_command("KV.NS", "USE", self.kv_namespace)
            if text(self.read_response()) != "OK":
                raise redis.ConnectionError(f"cannot use namespace {self.kv_namespace!r}")


class KvClient:
    """kv-server's extensions over a redis-py client (`.redis`, usable for everything else)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 6379, *, namespace: Optional[str] = None,
                 client: Optional[redis.Redis] = None, **redis_kwargs: Any) -> None:
        if client is not None:
            if namespace is not None:
                raise ValueError("namespace needs a pool of our own: pass host/port, not client")
            self.redis = client
            self._own_pool = False
        else:
            pool = redis.ConnectionPool(host=host, port=port, connection_class=NamespaceConnection,
                                        kv_namespace=namespace, **redis_kwargs)
            self.redis = redis.Redis(connection_pool=pool)
            self._own_pool = True

    @classmethod
    def from_url(cls, url: str, *, namespace: Optional[str] = None, **kwargs: Any) -> "KvClient":
        pool = redis.ConnectionPool.from_url(url, connection_class=NamespaceConnection, kv_namespace=namespace, **kwargs)
        kv = cls(client=redis.Redis(connection_pool=pool))
        kv._own_pool = True
        return kv

    def close(self) -> None:
        self.redis.close()
        if self._own_pool:
            self.redis.connection_pool.disconnect()

    def __enter__(self) -> "KvClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- namespaces (KV.NS) ---

    @property
    def namespace(self) -> Optional[str]:
        """The namespace this client's connections use (KV.NS CURRENT); None: a numbered database."""
        return text(self.redis.execute_command("KV.NS", "CURRENT"))

    @namespace.setter
    def namespace(self, name: Optional[str]) -> None:
        self.use_namespace(name)

    def use_namespace(self, name: Optional[str]) -> None:
        """Moves every connection of the pool to namespace `name` (None: back to the numbered database)."""
        if not self._own_pool:
            raise ValueError("namespace needs a pool of our own")
        pool = self.redis.connection_pool
        pool.connection_kwargs["kv_namespace"] = name
        pool.disconnect()
        pool.reset()  # new connections, made with the new namespace, replace the old ones

    def namespaces(self) -> list:
        return [text(n) for n in self.redis.execute_command("KV.NS", "LIST")]

    def drop_namespace(self, name: str) -> int:
        return int(self.redis.execute_command("KV.NS", "DROP", name))

    # --- compare-and-swap and versions ---

    def cas(self, key: str, expected: Any, new: Any, *, ex: Optional[Number] = None, px: Optional[int] = None,
            keepttl: bool = False) -> bool:
        """Sets `key` to `new` only if it holds exactly `expected` (a missing key never matches)."""
        return self.redis.execute_command("CAS", key, expected, new, *expiry_args(ex, px, keepttl)) == 1

    def setv(self, key: str, value: Any, *, if_version: Optional[int] = None, ex: Optional[Number] = None,
             px: Optional[int] = None, keepttl: bool = False) -> Optional[int]:
        """KV.SETV: the key's new version, or None when `if_version` did not match."""
        cond = [] if if_version is None else ["IFVERSION", int(if_version)]
        v = self.redis.execute_command("KV.SETV", key, value, *cond, *expiry_args(ex, px, keepttl))
        return None if v is None else int(v)

    def getv(self, key: str):
        """KV.GETV: (value, version), or None when the key is missing."""
        return getv_reply(self.redis.execute_command("KV.GETV", key))

    def version(self, key: str) -> int:
        """KV.VERSION: the version of a key of any type (0 when missing); starts tracking it."""
        return int(self.redis.execute_command("KV.VERSION", key))

    def if_version(self, key: str, version: int, *command: Any) -> Any:
        """KV.IFVERSION: runs the write `command` only if `key` still has `version`; its reply or None."""
        return self.redis.execute_command("KV.IFVERSION", key, int(version), *command)

    # --- typed values (KV.SETT / KV.GETT) ---

    def set_typed(self, key: str, value: Any, type: Optional[str] = None, *, ex: Optional[Number] = None,
                  px: Optional[int] = None, keepttl: bool = False) -> bool:
        """Stores `value` with its type (int, float, decimal.Decimal, str, bytes; or `type` by name)."""
        return text(self.redis.execute_command(*sett_args(key, value, type, expiry_args(ex, px, keepttl)))) in ("OK", True)

    def get_typed(self, key: str):
        """(type, value) with the value as the Python type it was written as, or None."""
        return gett_reply(self.redis.execute_command("KV.GETT", key))

    # --- locks ---

    def lock(self, key: str, ttl: Number = 30, wait: Optional[Number] = None, *, owner: Optional[str] = None,
             renew: bool = True) -> "Lock":
        """A lock on `key` for `ttl` seconds, renewed while held; `wait` seconds to wait for it (None: no
        waiting). Use as a context manager; `.token` is the fencing token."""
        return Lock(self, key, ttl, wait, owner or new_owner(), renew)

    def lock_info(self, key: str) -> Optional[dict]:
        """KV.LOCKINFO: {'owner', 'ttl' (ms), 'token'} or None when not held."""
        return lockinfo_reply(self.redis.execute_command("KV.LOCKINFO", key))


class Lock:
    """A KV.LOCK lock. `with kv.lock(...) as lock:` acquires (raising LockNotAcquired when it cannot),
    renews it from a thread every ttl/3 while held, and releases it on exit. `.token` is the fencing
    token of the acquisition; `.lost` becomes true if a renewal found the lock gone."""

    def __init__(self, kv: KvClient, key: str, ttl: Number, wait: Optional[Number], owner: str, renew: bool) -> None:
        self.kv, self.key, self.ttl, self.wait, self.owner, self.renew = kv, key, ttl, wait, owner, renew
        self.token: Optional[int] = None
        self.lost = False
        self.lost_reason = ""
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def acquire(self) -> bool:
        token = self.kv.redis.execute_command(*lock_args(self.key, self.owner, self.ttl, self.wait))
        if token is None:
            return False
        self.token = int(token)
        self.lost = False
        if self.renew:
            self._stop.clear()
            self._thread = threading.Thread(target=self._renew_loop, name=f"kv-lock-renew:{self.key}", daemon=True)
            self._thread.start()
        return True

    def _renew_loop(self) -> None:
        interval = max(0.01, self.ttl / 3)
        while not self._stop.wait(interval):
            try:
                if self.kv.redis.execute_command("KV.RENEW", self.key, self.owner, ms(self.ttl)) != 1:
                    self.lost = True
                    self.lost_reason = "KV.RENEW found the lock gone"
                    return
            except redis.RedisError as e:
                self.lost_reason = repr(e)  # try again at the next interval; the TTL covers a short outage

    def release(self) -> bool:
        """Stops renewing and releases; returns whether the lock was still ours."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        released = self.kv.redis.execute_command("KV.UNLOCK", self.key, self.owner) == 1
        self.token = None if not released else self.token
        return released

    def locked(self) -> bool:
        info = self.kv.lock_info(self.key)
        return info is not None and info["owner"] == self.owner

    def __enter__(self) -> "Lock":
        if not self.acquire():
            raise LockNotAcquired(self.key)
        return self

    def __exit__(self, *exc: Any) -> None:
        if not self.release() and exc[0] is None:
            raise LockLost(self.key)
