"""Extract, update and compile the gettext catalogs with Babel's library.

Used by the Makefile (`make messages`, `make compile`). Babel's command line cannot do it for us: it refuses
locale codes CLDR does not know, and Kurmanji lives in folder `kmr` while CLDR calls it `ku`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LOCALES, LOCALES_DIR, SOURCE_LOCALE

ROOT = LOCALES_DIR.parent
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
SOURCES = ("bot", "handlers")


def po_path(code: str) -> Path:
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(code: str) -> Catalog:
    cldr = next(locale.cldr_code for locale in LOCALES if locale.code == code)
    with po_path(code).open("rb") as handle:
        return read_po(handle, locale=cldr, domain=DOMAIN)


def extract() -> Catalog:
    """Collect the texts from the code into locales/messages.pot."""
    template = collect()
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as handle:
        write_po(handle, template, width=110, sort_by_file=True)
    return template


def collect() -> Catalog:
    """The texts in the code as a template catalog, without writing it."""
    template = Catalog(project="bydelsmor-bot", msgid_bugs_address="https://github.com/bydelsmor-bot/issues")
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / source, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            template.add(
                message, None, [(f"{source}/{filename}", lineno)], auto_comments=comments, context=context
            )
    return template


def update() -> None:
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    for locale in LOCALES:
        if locale.code == SOURCE_LOCALE:
            continue
        path = po_path(locale.code)
        if path.exists():
            catalog = read_catalog(locale.code)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale.cldr_code, domain=DOMAIN)
        catalog.update(template, update_header_comment=False)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=110, ignore_obsolete=True)


def compile_all() -> int:
    problems = 0
    for locale in LOCALES:
        if locale.code == SOURCE_LOCALE or not po_path(locale.code).exists():
            continue
        catalog = read_catalog(locale.code)
        for message, errors in catalog.check():
            for error in errors:
                problems += 1
                print(f"{locale.code}: {message.id!r}: {error}", file=sys.stderr)
        with po_path(locale.code).with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
    return problems


PLACEHOLDER = re.compile(r"\{(\w+)\}")
COMMAND = re.compile(r"(?<![\w/])/[a-z]+")


def problems_in(code: str) -> list[str]:
    """What a catalog gets wrong: untranslated or fuzzy texts, changed placeholders or /commands."""
    catalog = read_catalog(code)
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    found: list[str] = []
    for source in template:
        if not source.id:
            continue
        message = catalog.get(source.id)
        if message is None or not message.string or message.fuzzy:
            found.append(f"{code}: not translated: {source.id!r}")
            continue
        ids = source.id if isinstance(source.id, tuple | list) else (source.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if isinstance(source.id, tuple | list) and len(strings) != catalog.num_plurals:
            found.append(f"{code}: needs {catalog.num_plurals} plural forms: {ids[0]!r}")
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        commands = set(COMMAND.findall(ids[-1]))
        for index, string in enumerate(strings):
            # A plural form for one or two may say "one day" or "two days" in words, without {count}.
            spelled_out = isinstance(source.id, tuple | list) and index < len(strings) - 1
            given = set(PLACEHOLDER.findall(string))
            if not string:
                found.append(f"{code}: an empty plural form: {ids[0]!r}")
            elif given != wanted and not (spelled_out and given <= wanted):
                found.append(f"{code}: placeholders differ in {ids[0]!r}: {string!r}")
            elif set(COMMAND.findall(string)) != commands:
                found.append(f"{code}: /commands differ in {ids[0]!r}: {string!r}")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "extract":
        print(f"{len(extract())} texts -> {TEMPLATE.relative_to(ROOT)}")
    elif command == "update":
        update()
    elif command == "compile":
        return 1 if compile_all() else 0
    elif command == "check":
        codes = argv[2:] or [locale.code for locale in LOCALES if locale.code != SOURCE_LOCALE]
        found = [problem for code in codes for problem in problems_in(code)]
        print("\n".join(found) or f"{len(codes)} catalogs complete", file=sys.stderr if found else sys.stdout)
        return 1 if found else 0
    else:
        print("usage: python -m bot.catalogs extract|update|compile|check [LOCALE...]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
