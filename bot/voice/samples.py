"""Sample recordings for the sandbox, made when it starts: tones, never anyone's real voice.

Each key screen gets its own short melody (a WAV, which the chat page plays), so one can hear in the sandbox
that the right screen came with the right recording.
"""

from __future__ import annotations

import io
import math
import struct
import wave

__all__ = ["tone_wav"]

RATE = 8000  # samples a second: small files, enough for tones


def tone_wav(seed: int, *, notes: int = 4, note_seconds: float = 0.25) -> bytes:
    """A short melody, different for each seed: notes of a pentatonic scale, softly faded in and out."""
    scale = (261.63, 293.66, 329.63, 392.0, 440.0, 523.25)
    frames = bytearray()
    per_note = int(RATE * note_seconds)
    for index in range(notes):
        # The seed's digits in base 6, one note each: a different melody for every seed below 6 ** notes.
        frequency = scale[(seed // len(scale) ** index) % len(scale)]
        for sample in range(per_note):
            fade = min(1.0, sample / 400, (per_note - sample) / 400)
            value = 0.3 * fade * math.sin(2 * math.pi * frequency * sample / RATE)
            frames += struct.pack("<h", int(value * 32767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    return buffer.getvalue()
