"""
redis-py (Debian's 4.3.4) against a server on 127.0.0.1:<port>, sync and redis.asyncio.
Usage: redis_py_check.py <port> <auth-port> <scenario>
Each scenario asserts with Redis's exact texts and prints "ok <scenario>"; a failure raises.
The auth port's server runs with requirepass s3cret.
"""
import asyncio
import sys
import warnings

import redis
import redis.asyncio as aioredis

warnings.simplefilter("error")  # a warning from the library is a failure

PORT, AUTH_PORT, SCENARIO = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
UNICODE = "héllo wörld ✓ 日本語 🚀"
BINARY = bytes([0x00, 0xFF, 0xFE, 0x0D, 0x0A, 0x80, 0xC3, 0x28, 0x00, 0x7F])
NOT_INTEGER = "value is not an integer or out of range"  # redis-py strips the "ERR " prefix


def expect_error(fn, cls, message):
    try:
        fn()
    except cls as e:
        assert str(e) == message, f"{cls.__name__}: {str(e)!r} != {message!r}"
        return
    raise AssertionError(f"expected {cls.__name__}: {message}")


def strings():
    r = redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True, health_check_interval=1)
    assert r.ping() is True
    assert r.set("u:ключ", UNICODE) is True
    assert r.get("u:ключ") == UNICODE
    assert r.get("missing") is None
    assert r.set("empty", "") and r.get("empty") == ""
    rb = redis.Redis(host="127.0.0.1", port=PORT)
    assert rb.set(b"\xff\x00\x01", BINARY) is True
    assert rb.get(b"\xff\x00\x01") == BINARY
    big = b"x" * (1024 * 1024) + b"end"
    rb.set("large", big)
    assert rb.get("large") == big


def pipeline():
    r = redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)
    p = r.pipeline(transaction=False)
    for i in range(100):
        p.set(f"p:{i}", f"v{i}")
    for i in range(100):
        p.get(f"p:{i}")
    out = p.execute()
    assert out[:100] == [True] * 100, out[:3]
    assert out[100:] == [f"v{i}" for i in range(100)]


def errors():
    r = redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)
    expect_error(lambda: r.execute_command("NOSUCHCMD", "a"), redis.ResponseError,
                 "unknown command 'NOSUCHCMD', with args beginning with: 'a' ")
    expect_error(lambda: r.execute_command("GET"), redis.ResponseError,
                 "wrong number of arguments for 'get' command")
    assert r.ping() is True


def ttl_and_incr():
    r = redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)
    assert r.set("t", "v", ex=100) is True
    assert r.ttl("t") in (99, 100)
    assert r.ttl("missing") == -2
    r.set("n", "41")
    assert r.incr("n") == 42
    r.set("s", "abc")
    expect_error(lambda: r.incr("s"), redis.ResponseError, NOT_INTEGER)


def client_name():
    # CLIENT SETNAME on connect must answer OK, or redis-py refuses the connection
    r = redis.Redis(host="127.0.0.1", port=PORT, client_name="py-check", decode_responses=True)
    assert r.ping() is True
    assert r.client_getname() == "py-check"


def auth():
    r = redis.Redis(host="127.0.0.1", port=AUTH_PORT, password="s3cret", decode_responses=True)
    assert r.set("k", "v") is True and r.get("k") == "v"
    r2 = redis.Redis(host="127.0.0.1", port=AUTH_PORT, username="default", password="s3cret")
    assert r2.ping() is True
    # 4.3.4 maps only NOAUTH (not WRONGPASS) to AuthenticationError
    expect_error(lambda: redis.Redis(host="127.0.0.1", port=AUTH_PORT, password="nope").ping(),
                 redis.ResponseError, "WRONGPASS invalid username-password pair or user is disabled.")
    expect_error(lambda: redis.Redis(host="127.0.0.1", port=AUTH_PORT).get("k"),
                 redis.AuthenticationError, "Authentication required.")


def db():
    r1 = redis.Redis(host="127.0.0.1", port=PORT, db=1, decode_responses=True)
    r0 = redis.Redis(host="127.0.0.1", port=PORT, db=0, decode_responses=True)
    assert r1.set("where", "db1") is True
    assert r1.get("where") == "db1"
    assert r0.get("where") is None
    expect_error(lambda: redis.Redis(host="127.0.0.1", port=PORT, db=16).ping(),
                 redis.ResponseError, "DB index is out of range")


async def asyncio_all():
    r = aioredis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)
    assert await r.ping() is True
    assert await r.set("a:u", UNICODE) is True
    assert await r.get("a:u") == UNICODE
    async with r.pipeline(transaction=False) as p:
        for i in range(50):
            p.set(f"a:{i}", str(i))
        for i in range(50):
            p.get(f"a:{i}")
        out = await p.execute()
    assert out[50:] == [str(i) for i in range(50)]
    try:
        await r.execute_command("NOSUCHCMD")
        raise AssertionError("expected ResponseError")
    except redis.ResponseError as e:
        assert str(e) == "unknown command 'NOSUCHCMD', with args beginning with: ", repr(str(e))
    ra = aioredis.Redis(host="127.0.0.1", port=AUTH_PORT, password="s3cret", db=1)
    assert await ra.set(b"bin", BINARY) is True
    assert await ra.get(b"bin") == BINARY
    await r.close()
    await ra.close()


SCENARIOS = {
    "strings": strings,
    "pipeline": pipeline,
    "errors": errors,
    "ttl_and_incr": ttl_and_incr,
    "client_name": client_name,
    "auth": auth,
    "db": db,
    "asyncio": lambda: asyncio.run(asyncio_all()),
}

SCENARIOS[SCENARIO]()
print(f"ok {SCENARIO}")
