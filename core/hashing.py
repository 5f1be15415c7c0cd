"""Hashes of secrets that are stored instead of the secrets themselves."""

import hashlib


def token_hash(raw: str) -> str:
    """SHA-256 (hex) of a random token: API tokens and invitation links are stored only as this.
    A plain hash suffices: the tokens are long random strings, not guessable passwords."""
    return hashlib.sha256(raw.encode()).hexdigest()
