"""Django's Redis cache, for a cache that may go down: a Redis that cannot be reached, or that
refuses to write (full, read-only after a failover), is a cache that misses (pages are
rendered, nothing is kept), logged, never a 500; after a failure it is left alone for a few
seconds, so that a Redis that hangs costs one timeout, not one per call. Nothing the site needs
to be true lives only in the cache (settings.cache_settings)."""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisError, OSError)
# After a failure, this process misses without asking for so long.
RESTING_SECONDS = 5.0


def forgiving(answer):
    """Run the method; if Redis fails, log it and return `answer(args)`; while it rests after
    a failure, return that at once."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self.resting_until:
                return answer(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self.resting_until = time.monotonic() + RESTING_SECONDS
                logger.warning("cache unavailable (%s): %s", method.__name__, error)
                return answer(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


class ForgivingRedisCache(RedisCache):
    resting_until = 0.0

    get = forgiving(_default)(RedisCache.get)
    get_many = forgiving(lambda *args, **kwargs: {})(RedisCache.get_many)
    set = forgiving(lambda *args, **kwargs: None)(RedisCache.set)
    set_many = forgiving(lambda keys, *args, **kwargs: list(keys))(RedisCache.set_many)
    add = forgiving(lambda *args, **kwargs: False)(RedisCache.add)
    touch = forgiving(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = forgiving(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = forgiving(lambda *args, **kwargs: None)(RedisCache.delete_many)
    has_key = forgiving(lambda *args, **kwargs: False)(RedisCache.has_key)
    clear = forgiving(lambda *args, **kwargs: False)(RedisCache.clear)
