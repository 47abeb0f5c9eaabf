"""Every shipped catalog is complete, keeps the placeholders and /commands, and has every plural form."""

import gettext as stdlib_gettext

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.catalogs import TEMPLATE, po_path, problems_in, read_catalog
from bot.i18n import LOCALES, SOURCE_LOCALE, texts

TRANSLATED = [locale.code for locale in LOCALES if locale.code != SOURCE_LOCALE]
# Counts that reach every CLDR plural category of our languages (Arabic has six, Polish and Ukrainian three).
COUNTS = [0, 1, 2, 3, 4, 5, 6, 9, 11, 12, 14, 21, 22, 25, 100, 101, 102, 111, 365, 1_000_000]


def test_every_shipped_locale_has_a_catalog() -> None:
    assert sorted(TRANSLATED) == sorted(
        path.parent.parent.name for path in TEMPLATE.parent.glob("*/LC_MESSAGES/messages.po")
    )


def test_the_dashboard_is_complete_in_danish_and_says_how_it_was_made() -> None:
    from bot.catalogs import collect_dashboard, dashboard_po_path, dashboard_problems

    assert dashboard_problems("da") == []
    assert len(collect_dashboard()) > 200
    header = dashboard_po_path("da").read_text(encoding="utf-8").split("msgid")[0]
    assert "MACHINE-DRAFTED" in header and "Not yet reviewed by a native speaker" in header


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalog_is_complete_and_keeps_placeholders(code: str) -> None:
    assert problems_in(code) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalog_says_how_it_was_made(code: str) -> None:
    header = po_path(code).read_text(encoding="utf-8").split("msgid", 1)[0]
    assert "MACHINE-DRAFTED" in header or "reviewed by a native speaker" in header.lower()


@pytest.mark.parametrize("code", TRANSLATED)
def test_plural_forms_follow_cldr(code: str) -> None:
    catalog = read_catalog(code)
    cldr = next(locale.cldr_code for locale in LOCALES if locale.code == code)
    assert catalog.num_plurals == get_plural(cldr).num_plurals
    t = texts(code)
    seen = set()
    for count in COUNTS:
        text = t.ngettext(
            "We delete it {count} day after your talks with your Bydelsmor end. Or at once, if you write /stop.",  # noqa: E501
            "We delete it {count} days after your talks with your Bydelsmor end. Or at once, if you write /stop.",  # noqa: E501
            count,
        )
        assert text.strip()
        seen.add(text.replace(str(count), "N"))
    # Every plural form of the language is reached by some count, and each one reads differently or alike
    # as the language wants: at least, none is empty.
    plural = stdlib_gettext.c2py(catalog.plural_expr)
    assert {plural(count) for count in COUNTS} == set(range(catalog.num_plurals))
    assert seen


def test_the_template_matches_the_code() -> None:
    """`make messages` was run after the last change of a text."""
    from bot.catalogs import collect

    with TEMPLATE.open("rb") as handle:
        committed = {m.id for m in read_po(handle) if m.id}
    fresh = {m.id for m in collect() if m.id}
    assert fresh == committed


def test_every_catalog_compiles_without_errors() -> None:
    from bot.catalogs import compile_all

    assert compile_all() == 0


def test_the_glossary_shows_what_the_catalogs_say() -> None:
    """Run `python -m bot.catalogs glossary` after changing a catalog."""
    from bot.catalogs import GLOSSARY, glossary

    assert GLOSSARY.read_text(encoding="utf-8") == glossary()
