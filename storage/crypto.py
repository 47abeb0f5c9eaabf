"""Encryption at rest for free text and message content (Fernet; several keys allow rotation)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = ["FieldCipher", "InvalidToken"]


class FieldCipher:
    """Encrypts with the first key; decrypts with any, so an old key can be retired gradually."""

    def __init__(self, keys: str) -> None:
        fernets = [Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()]
        if not fernets:
            raise ValueError("at least one key is needed")
        self._fernets = fernets
        self._fernet = MultiFernet(fernets)

    def encrypt(self, text: str) -> bytes:
        return self._fernet.encrypt(text.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        return self._fernet.decrypt(token).decode("utf-8")

    @property
    def key_count(self) -> int:
        return len(self._fernets)

    def is_under_newest_key(self, token: bytes) -> bool:
        """True when the first key alone opens the token: a key rotation has nothing left to do for it."""
        try:
            self._fernets[0].decrypt(token)
        except InvalidToken:
            return False
        return True

    def rotate(self, token: bytes) -> bytes:
        """The same content under the first key, its timestamp kept; InvalidToken if no key opens it."""
        return self._fernet.rotate(token)
