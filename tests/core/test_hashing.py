"""core.hashing: the one hash stored in place of API and invitation tokens."""

import hashlib

from core.hashing import token_hash


def test_token_hash_is_the_sha256_hex_of_the_token():
    assert token_hash("pol_secret") == hashlib.sha256(b"pol_secret").hexdigest()
    assert token_hash("pol_secret") != token_hash("pol_secreT")
