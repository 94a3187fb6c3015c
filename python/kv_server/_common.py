"""What the sync and asyncio clients share: argument building and reply decoding."""
import decimal
import uuid
from typing import Any, List, Optional, Tuple, Union

Number = Union[int, float]


class LockNotAcquired(Exception):
    """The lock is held by another owner (and did not come free within `wait`)."""


class LockLost(Exception):
    """Raised on release when the lock was lost while held (its TTL ran out, or it was taken)."""


class TypedValue(tuple):
    """(type_name, value) as KV.GETT returns it, the value converted to its Python type."""

    @property
    def type(self) -> str:
        return self[0]

    @property
    def value(self) -> Any:
        return self[1]


def new_owner() -> str:
    return uuid.uuid4().hex


def ms(seconds: Number) -> int:
    """Seconds (int or float) as a positive number of milliseconds."""
    v = int(round(seconds * 1000))
    if v <= 0:
        raise ValueError("a time in seconds must be positive")
    return v


def expiry_args(ex: Optional[Number] = None, px: Optional[int] = None, keepttl: bool = False) -> List[Any]:
    if sum(x is not None and x is not False for x in (ex, px, keepttl or None)) > 1:
        raise ValueError("ex, px and keepttl are exclusive")
    if ex is not None:
        return ["PX", ms(ex)]
    if px is not None:
        return ["PX", int(px)]
    if keepttl:
        return ["KEEPTTL"]
    return []


def lock_args(key: str, owner: str, ttl: Number, wait: Optional[Number]) -> List[Any]:
    args: List[Any] = ["KV.LOCK", key, owner, ms(ttl)]
    if wait is not None and wait > 0:
        args += ["WAIT", max(1, int(round(wait * 1000)))]
    return args


def text(v: Any) -> Any:
    return v.decode() if isinstance(v, bytes) else v


def getv_reply(reply: Any) -> Optional[Tuple[Any, int]]:
    if reply is None:
        return None
    return (reply[0], int(reply[1]))


TYPE_NAMES = ("bytes", "string", "int", "float", "decimal")


def type_of(value: Any) -> str:
    if isinstance(value, bool):
        raise TypeError("bool is not a kv-server type (use int)")
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, decimal.Decimal):
        return "decimal"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "bytes"
    raise TypeError(f"no kv-server type for {type(value).__name__}")


def sett_args(key: str, value: Any, type: Optional[str], expiry: List[Any]) -> List[Any]:
    t = type or type_of(value)
    if t not in TYPE_NAMES:
        raise ValueError(f"type must be one of {TYPE_NAMES}")
    if t == "float":
        value = repr(float(value))
    elif t in ("int", "decimal"):
        value = str(value)
    return ["KV.SETT", key, t, value, *expiry]


def gett_reply(reply: Any) -> Optional[TypedValue]:
    if reply is None:
        return None
    t, raw = text(reply[0]), reply[1]
    if t == "int":
        v: Any = int(raw)
    elif t == "float":
        v = float(raw)
    elif t == "decimal":
        v = decimal.Decimal(text(raw))
    elif t == "string":
        v = text(raw)
    else:
        v = raw if isinstance(raw, bytes) else raw.encode("latin-1")
    return TypedValue((t, v))


def lockinfo_reply(reply: Any) -> Optional[dict]:
    if reply is None:
        return None
    if isinstance(reply, dict):
        items = list(reply.items())
    else:
        items = [(reply[i], reply[i + 1]) for i in range(0, len(reply), 2)]
    out = {}
    for k, v in items:
        k = text(k)
        out[k] = text(v) if k == "owner" else int(v)
    return out
