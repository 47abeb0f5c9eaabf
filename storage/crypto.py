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
        self._fernet = MultiFernet(fernets)

    def encrypt(self, text: str) -> bytes:
        return self._fernet.encrypt(text.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        return self._fernet.decrypt(token).decode("utf-8")
