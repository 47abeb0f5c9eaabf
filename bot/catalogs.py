"""Extract, update and compile the gettext catalogs with Babel's library.

Used by the Makefile (`make messages`, `make compile`). Babel's command line cannot do it for us: it refuses
locale codes CLDR does not know, and Kurmanji lives in folder `kmr` while CLDR calls it `ku`.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.domain.languages import SPOKEN_LANGUAGES
from bot.domain.translations import COMMAND
from bot.i18n import (
    DOMAIN,
    LANGUAGE_NAMES_COLUMNS,
    LANGUAGE_NAMES_FILE,
    LOCALES,
    LOCALES_DIR,
    SOURCE_LOCALE,
    cldr_language_name,
)

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


# The coordinators' dashboard: its own domain, from the templates and the few texts made in Python (`t_`),
# in Danish (English is the source).
DASHBOARD = "dashboard"
DASHBOARD_TEMPLATE = LOCALES_DIR / f"{DASHBOARD}.pot"
DASHBOARD_LOCALES = ("da",)
DASHBOARD_SOURCES = ROOT / "handlers" / "dashboard"


def dashboard_po_path(code: str) -> Path:
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DASHBOARD}.po"


def collect_dashboard() -> Catalog:
    template = Catalog(
        project="bydelsmor-dashboard", msgid_bugs_address="https://github.com/bydelsmor-bot/issues"
    )
    for filename, lineno, message, comments, _context in extract_from_dir(
        DASHBOARD_SOURCES,
        method_map=[("templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}},
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "t_": None},
        comment_tags=("Translators:",),
    ):
        template.add(message, None, [(f"handlers/dashboard/{filename}", lineno)], auto_comments=comments)
    return template


def extract_dashboard() -> Catalog:
    template = collect_dashboard()
    with DASHBOARD_TEMPLATE.open("wb") as handle:
        write_po(handle, template, width=110, sort_by_file=True)
    return template


def update_dashboard() -> None:
    with DASHBOARD_TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    for code in DASHBOARD_LOCALES:
        path = dashboard_po_path(code)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=code, domain=DASHBOARD)
        else:
            catalog = Catalog(locale=code, domain=DASHBOARD)
        catalog.update(template, update_header_comment=False)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=110, ignore_obsolete=True)


def compile_dashboard() -> int:
    problems = 0
    for code in DASHBOARD_LOCALES:
        path = dashboard_po_path(code)
        if not path.exists():
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=code, domain=DASHBOARD)
        for message, errors in catalog.check():
            for error in errors:
                problems += 1
                print(f"{code} (dashboard): {message.id!r}: {error}", file=sys.stderr)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
    return problems


def dashboard_problems(code: str) -> list[str]:
    """Untranslated or fuzzy dashboard texts, and changed %(placeholders)s."""
    with dashboard_po_path(code).open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DASHBOARD)
    found = []
    for source in collect_dashboard():
        if not source.id:
            continue
        message = catalog.get(source.id)
        if message is None or not message.string or message.fuzzy:
            found.append(f"{code} (dashboard): not translated: {source.id!r}")
        elif set(NAMED.findall(str(source.id))) != set(NAMED.findall(str(message.string))):
            found.append(f"{code} (dashboard): placeholders differ in {source.id!r}")
    return found


NAMED = re.compile(r"%\((\w+)\)s")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


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


GLOSSARY = ROOT / "docs" / "glossary.md"
# The texts that carry the words that matter, in the order the glossary shows them.
GLOSSARY_TERMS = (
    ("Bydelsmor, explained", "A Bydelsmor is a woman who lives near you and speaks your language."),
    (
        "confidential, volunteer, municipality",
        "A Bydelsmor listens and helps you find your way in Denmark. "
        "She is a volunteer. It is free and confidential. She does not work for the municipality.",
    ),
    ("what is kept: postcode", "your postcode"),
    ("what is kept: messages", "your messages with your Bydelsmor"),
    (
        "who reads: the coordinator",
        "Who can read it? Your Bydelsmor. And the coordinator of the local group, to keep you safe.",
    ),
    ("consent: yes", "Yes, that is all right"),
    ("consent: no", "No, thank you"),
    ("encrypted", "Your own words (kept encrypted)"),
    ("delete", "Yes, delete everything"),
    ("share location", "Share my location"),
)
GLOSSARY_INTRO = """# Glossary: the words that matter

Made from the catalogs by `python -m bot.catalogs glossary` (a test fails when it is out of date), so it
always shows what the bot really says. Translators and the Bydelsmødre who review translations keep these
words consistent across every text of a language; change the catalog, then run the command again.

**Bydelsmor** (plural **Bydelsmødre**) is kept as a name in every language and explained once, in the first
sentence of the introduction, with its meaning ("neighbourhood mother"). Every language whose script is not
Latin writes it in its own script in every sentence, with the Danish word in Latin letters only once, in
that first sentence: a woman who reads only her own script can read every text.

**Gender.** Most coordinators are women: wherever grammar forces a gender, "the coordinator" and the pronouns
for her are feminine (or neutral where the language has a natural neutral form), never masculine. The
Bydelsmor is always feminine, and the woman is addressed in the feminine where the language has it.

Consent words: "what we keep" (not "data"), "who can read it", "delete"; "confidential" never promises that
nobody else reads (the coordinator of the local group can, for her safety); "kept encrypted" is said in plain
words where the technical word is unknown. The bot avoids speaking of itself in gendered first-person forms.
"""


def glossary() -> str:
    lines = [GLOSSARY_INTRO]
    for locale in LOCALES:
        if locale.code == SOURCE_LOCALE:
            continue
        catalog = read_catalog(locale.code)
        how = (
            "reviewed by a native speaker"
            if "native speaker on" in (catalog.header_comment or "")
            else ("machine-drafted, checked by a second machine pass; not yet reviewed by a native speaker")
        )
        lines.append(f"\n## {locale.native_name} (`{locale.code}`): {how}\n")
        lines.append("| concept | English | translation |\n|---|---|---|")
        for concept, msgid in GLOSSARY_TERMS:
            message = catalog.get(msgid)
            translated = str(message.string) if message is not None and message.string else "(missing)"
            cell = translated.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {concept} | {msgid} | {cell} |")
    return "\n".join(lines) + "\n"


LANGUAGE_NAMES = ROOT / "bot" / "data" / LANGUAGE_NAMES_FILE


def language_names() -> tuple[int, int]:
    """Fill the table of spoken-language names: every shipped locale x every spoken language.

    Rows already in the table stay as they are (a reader reviewed them, or kept Babel's name); a missing pair
    gets Babel's name, marked "babel", for a reader to check. Returns (rows kept, rows added).
    """
    kept: dict[tuple[str, str], tuple[str, str]] = {}
    if LANGUAGE_NAMES.exists():
        with LANGUAGE_NAMES.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                kept[row["locale"], row["spoken"]] = (row["name"], row["source"])
    rows, added = [], 0
    for locale in LOCALES:
        for spoken in SPOKEN_LANGUAGES:
            name, source = kept.get((locale.code, spoken)) or ("", "")
            if not name:
                name, source, added = cldr_language_name(spoken, locale), "babel", added + 1
            rows.append((locale.code, spoken, name, source))
    with LANGUAGE_NAMES.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n")
        writer.writerow(LANGUAGE_NAMES_COLUMNS)
        writer.writerows(rows)
    return len(rows) - added, added


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "extract":
        print(f"{len(extract())} texts -> {TEMPLATE.relative_to(ROOT)}")
        print(f"{len(extract_dashboard())} texts -> {DASHBOARD_TEMPLATE.relative_to(ROOT)}")
    elif command == "update":
        update()
        update_dashboard()
    elif command == "compile":
        return 1 if compile_all() + compile_dashboard() else 0
    elif command == "glossary":
        GLOSSARY.write_text(glossary(), encoding="utf-8")
        print(f"wrote {GLOSSARY.relative_to(ROOT)}")
    elif command == "language-names":
        kept, added = language_names()
        print(f"{LANGUAGE_NAMES.relative_to(ROOT)}: {kept} names kept, {added} added from Babel to review")
    elif command == "check":
        codes = argv[2:] or [locale.code for locale in LOCALES if locale.code != SOURCE_LOCALE]
        found = [problem for code in codes for problem in problems_in(code)]
        if not argv[2:]:
            found += [problem for code in DASHBOARD_LOCALES for problem in dashboard_problems(code)]
        complete = f"{len(codes)} catalogs complete" + ("" if argv[2:] else ", and the dashboard in Danish")
        print("\n".join(found) or complete, file=sys.stderr if found else sys.stdout)
        return 1 if found else 0
    else:
        print(
            "usage: python -m bot.catalogs extract|update|compile|check [LOCALE...]|glossary|language-names",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
