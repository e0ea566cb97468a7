"""The cache as pages use it: a copy that saves work, never a reason for a page to fail.

Every call here swallows the cache's errors (Redis down, a restart): a miss, and the page does
the work itself.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def get(key, default=None):
    try:
        return cache.get(key, default)
    except Exception:  # a cache that does not answer is a cache that does not have it
        logger.warning("The cache is not answering.", exc_info=True)
        return default


def set(key, value, timeout):
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("The cache is not answering.", exc_info=True)
