"""CACHE_URL (settings.cache_settings): memory per process, one Redis, or the database; a Redis
that is down makes a cache that misses, never a 500."""

import subprocess
import time

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

from rencontres.cache import ForgivingRedisCache
from rencontres.settings import cache_settings


def test_unset_is_a_memory_cache_per_process():
    assert cache_settings("")["default"]["BACKEND"].endswith("LocMemCache")
    assert cache_settings("locmem://")["default"]["BACKEND"].endswith("LocMemCache")


def test_a_redis_address_is_one_shared_redis():
    found = cache_settings("redis://10.0.0.5:6379/2")["default"]
    assert found["BACKEND"] == "rencontres.cache.ForgivingRedisCache"
    assert found["LOCATION"] == "redis://10.0.0.5:6379/2"
    assert cache_settings("rediss://cache.example.org:6380/0")["default"]["LOCATION"].startswith(
        "rediss://"
    )


def test_db_is_a_table_of_the_database():
    assert cache_settings("db")["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rencontres_cache",
    }
    assert cache_settings("db://shared_cache")["default"]["LOCATION"] == "shared_cache"


def test_anything_else_stops_the_site_at_start():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings("memcached://127.0.0.1:11211")


def test_a_redis_that_cannot_be_reached_is_a_cache_that_misses():
    # A port nothing listens on: every call fails to connect, none raises.
    down = ForgivingRedisCache(
        "redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )
    started = time.monotonic()
    assert down.get("page", "missed") == "missed"
    assert down.set("page", "html") is None and down.add("page", "html") is False
    assert down.get_many(["a", "b"]) == {} and down.delete("page") is False
    assert time.monotonic() - started < 5
    assert isinstance(down, RedisCache)


def redis_is_there():
    return subprocess.run(["redis-cli", "ping"], capture_output=True).returncode == 0


@pytest.mark.skipif(not redis_is_there(), reason="no Redis server on this machine")
def test_a_reachable_redis_keeps_what_is_set():
    shared = ForgivingRedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "test-rencontres"})
    shared.set("page", "html", 30)
    other = ForgivingRedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "test-rencontres"})
    assert other.get("page") == "html"  # another server's client reads it
    shared.delete("page")


def test_a_redis_that_refuses_to_write_is_a_cache_that_misses_and_is_left_to_rest(monkeypatch):
    from redis.exceptions import ResponseError

    from rencontres import cache as forgiving

    full = ForgivingRedisCache("redis://127.0.0.1:9/0", {})
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise ResponseError("OOM command not allowed when used memory > 'maxmemory'")

    monkeypatch.setattr(full._cache, "set", refuse)
    monkeypatch.setattr(full._cache, "get", refuse)
    assert full.set("page", "html") is None  # full: nothing kept, no error
    assert full.get("page", "missed") == "missed"  # resting: not asked again
    assert len(calls) == 1
    monkeypatch.setattr(forgiving.time, "monotonic", lambda: full.resting_until + 1)
    assert full.get("page", "missed") == "missed" and len(calls) == 2  # asked again after
