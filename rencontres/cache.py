"""Django's Redis cache, for a cache that may go down: a Redis that cannot be reached is a
cache that misses (pages are rendered, nothing is kept), logged, never a 500. Nothing the site
needs to be true lives only in the cache (settings.cache_settings)."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (ConnectionError, TimeoutError, OSError)


def forgiving(answer):
    """Run the method; if Redis cannot be reached, log it and return `answer(args)`."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                logger.warning("cache unreachable (%s): %s", method.__name__, error)
                return answer(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


class ForgivingRedisCache(RedisCache):
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
