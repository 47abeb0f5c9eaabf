"""How fast and how big is guessing a woman's language from her message? `python -m bench.language_guess`.

Reports the time to load the detector, the median and p99 time of one guess over the sentences of the
detection table, and the peak memory of the process. Not a test: numbers vary with the machine.
"""

from __future__ import annotations

import resource
import statistics
import time

from bot.language_guess import LinguaGuesser
from tests.bot.test_language_guess import SENTENCES

ROUNDS = 50


def main() -> None:
    guesser = LinguaGuesser()
    start = time.perf_counter()
    guesser.guess("Hello, I need help with a letter")  # loads the models
    load = time.perf_counter() - start
    timings = []
    for _ in range(ROUNDS):
        for sentence, _expected in SENTENCES:
            begin = time.perf_counter()
            guesser.guess(sentence)
            timings.append(time.perf_counter() - begin)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"first guess (loads the models): {load * 1000:.0f} ms")
    print(
        f"{len(timings)} guesses: median {statistics.median(timings) * 1000:.3f} ms, p99 {p99 * 1000:.3f} ms"
    )
    print(f"peak memory of the process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
