"""A sentence in each language suggests that language; "hi" or an emoji suggests nothing."""

import subprocess
import sys

import pytest

from bot.i18n import BY_CODE
from bot.language_guess import LinguaGuesser

SENTENCES = [
    ("السلام عليكم", ("ar",)),
    ("أحتاج مساعدة في رسالة من البلدية", ("ar",)),
    ("Merhaba, bir mektup için yardıma ihtiyacım var", ("tr",)),
    ("Silav, ez alîkarî dixwazim ji bo zarokên xwe", ("kmr",)),
    ("spas ji bo alikariya te", ("kmr",)),  # Kurmanji typed without its special letters
    ("سڵاو، من یارمەتیم دەوێت بۆ منداڵەکانم", ("ckb",)),
    ("Waxaan u baahanahay caawimaad xagga dugsiga", ("so",)),
    ("Привіт, мені потрібна допомога з листом", ("uk",)),
    ("میں اپنے بچوں کے اسکول کے لیے مدد چاہتی ہوں", ("ur",)),
    ("سلام، من برای نامه‌ای از شهرداری کمک می‌خواهم", ("fa", "fa_AF")),
    ("Dzień dobry, potrzebuję pomocy z listem", ("pl",)),
    ("Bună ziua, am nevoie de ajutor cu o scrisoare", ("ro",)),
    ("สวัสดีค่ะ ต้องการความช่วยเหลือ", ("th",)),
    ("Kailangan ko ng tulong sa sulat mula sa munisipyo", ("fil",)),
    ("Xin chào, tôi cần giúp đỡ với một lá thư", ("vi",)),
    ("வணக்கம், எனக்கு உதவி தேவை", ("ta",)),
    ("Здравствуйте, мне нужна помощь с письмом", ("ru",)),
    ("سلام، زه مرسته غواړم د ښوونځي لپاره", ("ps",)),
    ("你好，我需要帮助", ("zh_Hans",)),
    ("Laba diena, man reikia pagalbos su laišku", ("lt",)),
    ("Bonjour, j'ai besoin d'aide pour une lettre", ("fr",)),
    ("ሰላም፡ ሓገዝ የድልየኒ ኣሎ", ("ti", "am")),
    ("Habari, ninahitaji msaada kuhusu barua", ("sw",)),
    ("Здравейте, имам нужда от помощ с писмо", ("bg",)),
    ("नमस्ते, मुझे मदद चाहिए", ("hi",)),
    ("ਸਤ ਸ੍ਰੀ ਅਕਾਲ, ਮੈਨੂੰ ਮਦਦ ਚਾਹੀਦੀ ਹੈ", ("pa",)),
    ("Përshëndetje, kam nevojë për ndihmë me një letër", ("sq",)),
    ("Hallo, ich brauche Hilfe mit einem Brief", ("de",)),
    ("Hola, necesito ayuda con una carta", ("es",)),
    ("Hej, jeg har brug for hjælp med et brev", ("da",)),
    ("Hello, I need help with a letter from the municipality", ("en",)),
]


@pytest.fixture(scope="module")
def guesser() -> LinguaGuesser:
    return LinguaGuesser()


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES, ids=[e[0] for _, e in SENTENCES])
def test_a_sentence_suggests_its_language(
    guesser: LinguaGuesser, sentence: str, expected: tuple[str, ...]
) -> None:
    assert guesser.guess(sentence) == expected


@pytest.mark.parametrize(
    "text",
    [
        "hi", "ok", "👍", "😀😀😀", "8220", "?", "", "Hej",
        # Place names and short greetings that a statistical model reads as another language.
        "8220 Brabrand", "Gellerupparken", "Odense", "Brev fra kommunen", "Salam aleikum", "mulțumesc frumos",
        "asante sana",
    ],
)  # fmt: skip
def test_too_little_suggests_nothing(guesser: LinguaGuesser, text: str) -> None:
    assert guesser.guess(text) == ()


def test_every_suggestion_is_a_shipped_locale(guesser: LinguaGuesser) -> None:
    for sentence, _ in SENTENCES:
        for code in guesser.guess(sentence):
            assert code in BY_CODE


def test_lingua_is_loaded_on_the_first_guess_that_needs_it_not_at_start() -> None:
    """Its models take 25 MB: a bot that never needs a guess never pays for them."""
    probe = (
        "import sys\n"
        "import bot.app\n"
        "from bot.language_guess import LinguaGuesser\n"
        "guesser = LinguaGuesser()\n"
        "print('lingua' in sys.modules)\n"
        "guesser.guess('hi')\n"  # too short to be worth a guess: the letters say nothing
        "print('lingua' in sys.modules)\n"
        "print(guesser.guess('Dzień dobry, potrzebuję pomocy z listem'))\n"
        "print('lingua' in sys.modules)\n"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output.split("\n")[:4] == ["False", "False", "('pl',)", "True"]
