import uuid
from unittest import mock

import redis
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from applications import ratelimit
from applications.ratelimit import client_address
from tests.redis_server import redis_url


def request(remote_addr="10.0.0.1", forwarded=None):
    headers = {"X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote_addr, headers=headers)


# The client's address


def test_without_trusted_proxies_the_address_is_the_peers_whatever_the_header_says(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(forwarded="203.0.113.5")) == "10.0.0.1"


def test_behind_one_proxy_the_address_is_the_last_one_forwarded(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request(forwarded="203.0.113.5")) == "203.0.113.5"


def test_addresses_a_client_adds_on_the_left_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request(forwarded="198.51.100.1, 198.51.100.2, 203.0.113.5")) == "203.0.113.5"


def test_behind_two_proxies_the_address_is_the_one_the_outer_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request(forwarded="198.51.100.1, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"


def test_a_missing_header_falls_back_to_the_peers_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request()) == "10.0.0.1"
    assert client_address(request(forwarded="")) == "10.0.0.1"


def test_a_header_shorter_than_the_proxies_falls_back_to_the_peers_address(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request(forwarded="203.0.113.5")) == "10.0.0.1"


def test_the_limit_counts_the_forwarded_address_not_the_proxys(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.APPLICATION_RATE_LIMIT = 1
    assert ratelimit.hit(request(forwarded="203.0.113.5")) is None
    assert ratelimit.hit(request(forwarded="203.0.113.5")) is not None
    assert ratelimit.hit(request(forwarded="203.0.113.6")) is None


# A shared cache


def test_processes_sharing_redis_share_the_count(settings):
    url = redis_url()
    prefix = f"test-ratelimit-{uuid.uuid4()}"
    settings.APPLICATION_RATE_LIMIT = 1
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
    try:
        with override_settings(CACHES={"default": backend}):
            one, other = caches.create_connection("default"), caches.create_connection("default")
            with mock.patch.object(ratelimit, "cache", one):
                assert ratelimit.hit(request()) is None
            with mock.patch.object(ratelimit, "cache", other):
                assert ratelimit.hit(request()) is not None
    finally:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
