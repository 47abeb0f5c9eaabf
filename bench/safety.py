"""How well is danger recognised, and how often does the bot cry wolf? `python -m bench.safety [-v] [LANG]`.

Reads the evaluation set (bot/domain/safety/evaluation/<language>.txt: danger sentences with their kind,
and harmless sentences that share words with them) and reports per language:
- recall: danger sentences recognised, judged as a woman whose interface and spoken language it is (her
  language, English and Danish: the languages guessed from each message are left out, so the numbers do
  not depend on the detector); and how many got the labelled kind;
- false alarms: harmless sentences that raise the alarm, with her languages' rules (scoped) and with all
  languages' rules at once (as before the rules were scoped): the cross-language false alarms;
- the time to judge one message (p50, p99) and the engine's import time and memory, in a fresh process.
-v lists the missed sentences and the false alarms. Targets: recall >= 90% and false alarms <= 3% per
language, overall false alarms <= 1%, p99 < 1 ms.
Not a test: tests/bot/domain/test_safety_rules.py asserts the targets for the finished languages.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot.domain.safety import LANGUAGES, assess, languages_for

EVALUATION: Final = Path(__file__).resolve().parent.parent / "bot" / "domain" / "safety" / "evaluation"
# Written in the rule format with a full evaluation set and checked; the rest are still the converted lists.
FINISHED: Final = (
    *("en", "da", "ar", "tr", "so"),
    *("uk", "ru", "pl", "bs", "ro", "bg", "lt"),
    *("ti", "am", "sw", "sq", "fr", "de", "es"),
    *("ur", "fa", "fa_AF", "ps", "ckb", "kmr", "pa"),
    *("th", "fil", "vi", "ta", "zh_Hans", "hi"),
)
RECALL_TARGET: Final = 0.90
FALSE_ALARM_TARGET: Final = 0.03
MINIMUM_SENTENCES: Final = 30  # danger and harmless sentences each, for a language's numbers to count
KINDS: Final = ("acute", "violence", "suicide", "danger")  # "danger": a danger sentence whose kind is not set


@dataclass(frozen=True, slots=True)
class Case:
    label: str  # a kind, "danger" (kind not yet set) or "none" (harmless)
    text: str
    line: int

    @property
    def dangerous(self) -> bool:
        return self.label != "none"


def load_cases(language: str) -> tuple[Case, ...]:
    """The evaluation sentences of a language: lines `label | sentence`, # for comments."""
    cases = []
    path = EVALUATION / f"{language}.txt"
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        label, bar, text = line.partition("|")
        label = label.strip()
        if not bar or label not in (*KINDS, "none") or not text.strip():
            raise ValueError(f"{path.name}:{number}: expected `kind | sentence`, got {raw!r}")
        cases.append(Case(label=label, text=text.strip(), line=number))
    return tuple(cases)


@dataclass(frozen=True, slots=True)
class Result:
    language: str
    dangers: int
    recognised: int
    right_kind: int
    labelled: int  # danger sentences with a kind
    harmless: int
    false_alarms: int
    false_alarms_all_languages: int
    missed: tuple[Case, ...]
    alarms: tuple[tuple[Case, str], ...]

    @property
    def recall(self) -> float:
        return self.recognised / self.dangers if self.dangers else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.harmless if self.harmless else 0.0

    @property
    def enough_sentences(self) -> bool:
        return self.dangers >= MINIMUM_SENTENCES and self.harmless >= MINIMUM_SENTENCES

    @property
    def on_target(self) -> bool:
        """Only an evaluation set of the full size can show a language is on target."""
        return (
            self.enough_sentences
            and self.recall >= RECALL_TARGET
            and self.false_alarm_rate <= FALSE_ALARM_TARGET
        )

    @property
    def status(self) -> str:
        if not self.enough_sentences:
            return "not yet evaluated: too few sentences"
        return "on target" if self.on_target else "BELOW TARGET"


def evaluate(language: str) -> Result:
    scoped = languages_for(language)
    cases = load_cases(language)
    dangers = [case for case in cases if case.dangerous]
    harmless = [case for case in cases if not case.dangerous]
    missed, recognised, right_kind, labelled = [], 0, 0, 0
    for case in dangers:
        found = assess(case.text, languages=scoped)
        if found is None:
            missed.append(case)
            continue
        recognised += 1
        if case.label != "danger":
            labelled += 1
            right_kind += found.kind == case.label
    alarms = []
    everywhere = 0
    for case in harmless:
        if (found := assess(case.text, languages=scoped)) is not None:
            alarms.append((case, f"{found.kind}: {found.phrase}"))
        everywhere += assess(case.text, languages=LANGUAGES) is not None
    return Result(
        language=language,
        dangers=len(dangers),
        recognised=recognised,
        right_kind=right_kind,
        labelled=labelled,
        harmless=len(harmless),
        false_alarms=len(alarms),
        false_alarms_all_languages=everywhere,
        missed=tuple(missed),
        alarms=tuple(alarms),
    )


def timings(languages: tuple[str, ...]) -> tuple[float, float]:
    """p50 and p99 over the messages of the time to judge one message with her languages' rules, in ms.
    Each message's time is its median of 21 runs: the machine is shared, and a run the scheduler
    interrupts says nothing about the matching."""
    per_message = []
    for language in languages:
        scoped = languages_for(language)
        for case in load_cases(language):
            assess(case.text, languages=scoped)  # warm: reads and compiles the rules
            runs = []
            for _ in range(21):
                begin = time.perf_counter()
                assess(case.text, languages=scoped)
                runs.append(time.perf_counter() - begin)
            per_message.append(statistics.median(runs))
    per_message.sort()
    return statistics.median(per_message) * 1000, per_message[int(len(per_message) * 0.99) - 1] * 1000


_FOOTPRINT: Final = """
import time
import bot.domain


def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


before = resident_mb()
start = time.perf_counter()
import bot.domain.safety as safety
imported = time.perf_counter()
safety.assess("hello", languages=safety.languages_for("so"))
scoped = time.perf_counter()
safety.danger_signals("hello")
everything = time.perf_counter()
print(f"{(imported - start) * 1000:.0f} {(scoped - imported) * 1000:.0f} {(everything - scoped) * 1000:.0f}"
      f" {resident_mb() - before:.1f}")
"""


def main() -> None:
    languages = tuple(argument for argument in sys.argv[1:] if not argument.startswith("-")) or LANGUAGES
    results = [evaluate(language) for language in languages]
    print("language  dangers recall  kind   harmless false-alarms  all-languages  status")
    for result in results:
        kind = f"{result.right_kind}/{result.labelled}" if result.labelled else "-"
        finished = "finished" if result.language in FINISHED else "converted"
        print(
            f"{result.language:<9} {result.dangers:>7} {result.recall:>6.0%} {kind:>6} {result.harmless:>9}"
            f" {result.false_alarms:>4} ({result.false_alarm_rate:>4.0%})"
            f" {result.false_alarms_all_languages:>9}"
            f"       {finished}: {result.status}"
        )
    for group, chosen in (("finished", [r for r in results if r.language in FINISHED]), ("all", results)):
        dangers = sum(r.dangers for r in chosen)
        harmless = sum(r.harmless for r in chosen)
        if not dangers or not harmless:
            continue
        print(
            f"overall ({group}): recall {sum(r.recognised for r in chosen) / dangers:.1%} of {dangers},"
            f" false alarms {sum(r.false_alarms for r in chosen) / harmless:.1%} of {harmless} scoped,"
            f" {sum(r.false_alarms_all_languages for r in chosen) / harmless:.1%} with all languages' rules"
        )
    p50, p99 = timings(languages)
    print(f"judging one message (her languages): p50 {p50:.3f} ms, p99 {p99:.3f} ms")
    output = subprocess.run(
        [sys.executable, "-c", _FOOTPRINT], check=True, capture_output=True, text=True
    ).stdout.split()
    print(
        f"engine: import {output[0]} ms, first message in 3 languages {output[1]} ms (reads and compiles"
        f" their rules), all 32 languages {output[2]} ms more;"
        f" memory with all 32 compiled +{output[3]} MB (resident)"
    )
    if "-v" in sys.argv:
        for result in results:
            for case in result.missed:
                print(f"missed  {result.language}:{case.line}  {case.label}  {case.text}")
            for case, found in result.alarms:
                print(f"alarm   {result.language}:{case.line}  {found}  <- {case.text}")


if __name__ == "__main__":
    main()
