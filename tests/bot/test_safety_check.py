import io

import pytest

from bot.__main__ import main
from bot.safety_check import check_lines


class RecordingGuesser:
    """Guesses the languages it is told to, and records what it was asked."""

    def __init__(self, answers: dict[str, tuple[str, ...]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def guess(self, text: str) -> tuple[str, ...]:
        self.asked.append(text)
        return self.answers.get(text, ())


def test_each_sentence_is_answered_with_its_kind_and_phrase_or_none() -> None:
    guesser = RecordingGuesser({})
    lines = ["Carruurta ayuu iga qaadayaa\n", "waan dhunkaday ilmaha\n", "he is coming with a knife\n", "\n"]
    answers = list(check_lines(lines, language="so", guesser=guesser))
    assert answers == ["violence\tcarruurta ... iga qaad", "none", "acute\tcoming ... knife", "none"]
    assert guesser.asked == [line.rstrip("\n") for line in lines]


def test_the_language_guessed_from_the_sentence_is_judged_too() -> None:
    text = "Kocam beni dövüyor"
    assert list(check_lines([text], language="so", guesser=RecordingGuesser({}))) == ["none"]
    guesser = RecordingGuesser({text: ("tr",)})
    assert list(check_lines([text], language="so", guesser=guesser)) == ["violence\tbeni döv"]


def test_the_command_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("i garaac\nhej\n"))
    assert main(["safety", "check", "--language", "so"]) == 0
    assert capsys.readouterr().out == "violence\ti garaac\nnone\n"


def test_the_command_names_the_languages_it_knows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["safety", "check", "--language", "xx"]) == 2
    assert "known: ar, tr" in capsys.readouterr().err
