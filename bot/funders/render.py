"""The funders' report in three forms: a printable Danish HTML page, CSV and JSON, all from one FundersReport.

The report is a Danish document whatever language the coordinator reads the dashboard in: it is handed to
Danish funders. Its words are therefore written here in Danish, not looked up in the dashboard's catalog.
"""

from __future__ import annotations

import csv
import io
import json
from html import escape
from typing import Any

from bot.dashboard.charts import Bar, share_bars
from bot.funders.figures import WHOLE_COUNTRY, FundersReport, Measure
from bot.i18n import texts

__all__ = ["PRINT_CSS", "TOO_FEW", "render_csv", "render_html", "render_json"]

TOO_FEW = "for få svar til at vise"
NO_COURSE = "intet kursus endnu"
REFERENCE = "Evalueringen 2015"

# A4 with margins; sections are not split over pages; the dashboard's navigation is not printed.
PRINT_CSS = """
@page { size: A4; margin: 14mm 14mm 16mm; }
article.funders { font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 10pt; color: #111;
  max-width: 180mm; }
article.funders h1 { font-size: 17pt; margin: 0 0 2pt; }
article.funders h2 { font-size: 12.5pt; margin: 10pt 0 3pt; border-bottom: 1px solid #999; }
article.funders p.lead { margin: 0 0 6pt; color: #333; }
article.funders table { border-collapse: collapse; width: 100%; margin: 2pt 0; }
article.funders th, article.funders td { text-align: left; padding: 1.5pt 4pt; border-bottom: 1px solid #ddd;
  vertical-align: top; }
article.funders .num { text-align: right; white-space: nowrap; }
article.funders svg.bars { width: 100%; max-width: 170mm; height: auto; display: block; }
article.funders section { break-inside: avoid; page-break-inside: avoid; }
article.funders footer { margin-top: 8pt; font-size: 8.5pt; color: #444; }
@media print {
  .no-print, header.top, .skip, form.filters { display: none !important; }
  body { margin: 0; }
  article.funders { max-width: none; }
  article.funders h2 { break-after: avoid; page-break-after: avoid; }
}
"""


def _share(measure: Measure) -> str:
    return TOO_FEW if measure.share is None else f"{round(measure.share * 100)} %"


def _reference(measure: Measure) -> str:
    return "–" if measure.reference is None else f"{round(measure.reference * 100)} %"


def _language(code: str) -> str:
    return texts("da").language_name(code) if code not in ("?", "all languages") else "ukendt"


def _day(value: Any) -> str:
    return f"{value.day}.{value.month}.{value.year}"


def _measure_rows(measures: list[Measure]) -> str:
    return "".join(
        f"<tr><th scope='row'>{escape(m.label)}</th><td class='num'>{_share(m)}</td>"
        f"<td class='num'>{m.n}</td><td class='num'>{_reference(m)}</td></tr>"
        for m in measures
    )


def _measure_table(measures: list[Measure]) -> str:
    return (
        "<table><thead><tr><th scope='col'>Svar</th><th scope='col' class='num'>Andel</th>"
        f"<th scope='col' class='num'>n</th><th scope='col' class='num'>{REFERENCE}</th></tr></thead>"
        f"<tbody>{_measure_rows(measures)}</tbody></table>"
    )


def _bars(measures: list[Measure], title: str) -> str:
    return share_bars(
        [Bar(m.label, m.share, m.n, m.reference) for m in measures],
        title=title,
        too_few_label=TOO_FEW,
        reference_label=REFERENCE,
    )


def render_article(report: FundersReport) -> str:
    """The report itself, as an <article>: the dashboard puts it in its page, the CLI in a whole document."""
    period = f"{_day(report.period.first)}–{_day(report.period.last)}"
    languages = ", ".join(f"{escape(_language(code))} ({n})" for code, n in report.languages) or "–"
    groups = ", ".join(escape(g if g != "no group" else "uden gruppe") for g in report.groups) or "–"
    median = (
        "–"
        if report.median_hours_to_match is None
        else f"{report.median_hours_to_match:.0f} timer".replace(".", ",")
    )
    nobody = (
        ", ".join(
            f"{escape(_language(code))} ({n} {'gang' if n == 1 else 'gange'})"
            for code, n in report.nobody_free
        )
        or "ingen i perioden"
    )
    course = (
        NO_COURSE
        if report.course is None
        else (
            f"{report.course.completed} af {report.course.started} Bydelsmødre har gennemført kurset"
            if report.course.started >= MIN_SHOWN
            else TOO_FEW
        )
    )
    hard_rows = _measure_rows([*report.hard_answers, report.matched_within_a_day])
    return f"""<article class="funders" lang="da">
<h1>Bydelsmødre i Telegram: resultater</h1>
<p class="lead">{escape(report.scope)} · {period}. Hver kvinde og hver Bydelsmor tæller én gang,
med sit seneste svar. En andel af færre end 5 svar vises ikke, så ingen kan genkendes.
Til sammenligning: evalueringen fra 2015.</p>

<section><h2>Hvem nåede vi</h2>
<table><tbody>
<tr><th scope="row">Kvinder, der talte med en Bydelsmor</th><td class="num">{report.women_reached}</td></tr>
<tr><th scope="row">heraf nye i perioden</th><td class="num">{report.women_new}</td></tr>
<tr><th scope="row">Sprog</th><td>{languages}</td></tr>
<tr><th scope="row">Grupper</th><td>{groups}</td></tr>
<tr><th scope="row">Aktive Bydelsmødre</th><td class="num">{report.active_bydelsmoedre}</td></tr>
</tbody></table></section>

<section><h2>Hvad det gav kvinderne</h2>
{_bars(report.woman_measures, "Hvad det gav kvinderne")}
{_measure_table(report.woman_measures)}</section>

<section><h2>Hvad det gav Bydelsmødrene</h2>
{_bars(report.bydelsmor_measures, "Hvad det gav Bydelsmødrene")}
{_measure_table(report.bydelsmor_measures)}
<p>Kurset for Bydelsmødre: {escape(course)}.</p></section>

<section><h2>Det svære</h2>
<table><thead><tr><th scope="col">Svar</th><th scope="col" class="num">Andel</th>
<th scope="col" class="num">n</th><th scope="col" class="num">{REFERENCE}</th></tr></thead><tbody>{hard_rows}
<tr><th scope="row">Ventetid til en Bydelsmor (median)</th><td class="num">{median}</td>
<td class="num">{report.matches}</td><td class="num">–</td></tr>
</tbody></table>
<p>Sprog, hvor ingen Bydelsmor var ledig: {nobody}.</p></section>
<footer>Tallene kommer fra botten og dens opfølgende spørgsmål. Samme tal findes som CSV og JSON.</footer>
</article>"""


MIN_SHOWN = 5


def render_html(report: FundersReport) -> str:
    """A whole printable document (what `python -m bot report --format html` writes)."""
    title = f"Bydelsmødre: resultater · {escape(report.scope)}"
    return (
        '<!doctype html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>\n"
        f"{render_article(report)}\n</body>\n</html>\n"
    )


def _figures(report: FundersReport) -> list[tuple[str, str, object, int | None, float | None]]:
    """Every figure as (section, key, value, n, 2015 figure): the rows of the CSV and JSON.

    A hidden share's value is the words "for få svar til at vise", never a number."""

    def measure(section: str, m: Measure) -> tuple[str, str, object, int | None, float | None]:
        value: object = TOO_FEW if m.share is None else round(m.share, 3)
        return (section, m.key, value, m.n, m.reference)

    rows: list[tuple[str, str, object, int | None, float | None]] = [
        ("reached", "women_reached", report.women_reached, None, None),
        ("reached", "women_new", report.women_new, None, None),
        ("reached", "languages", len(report.languages), None, None),
        ("reached", "groups", len(report.groups), None, None),
        ("reached", "active_bydelsmoedre", report.active_bydelsmoedre, None, None),
    ]
    rows += [("reached", f"language_{code}", n, None, None) for code, n in report.languages]
    rows += [measure("women", m) for m in report.woman_measures]
    rows += [measure("bydelsmoedre", m) for m in report.bydelsmor_measures]
    if report.course is None:
        rows.append(("bydelsmoedre", "course_completed", NO_COURSE, None, None))
    else:
        rows.append(
            ("bydelsmoedre", "course_completed", report.course.completed, report.course.started, None)
        )
    rows += [measure("hard", m) for m in report.hard_answers]
    rows.append(measure("hard", report.matched_within_a_day))
    median = report.median_hours_to_match
    rows.append(
        ("hard", "median_hours_to_match", None if median is None else round(median, 1), report.matches, None)
    )
    rows += [("hard", f"nobody_free_{code}", n, None, None) for code, n in report.nobody_free]
    return rows


def render_csv(report: FundersReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["period_first", "period_last", "scope", "section", "figure", "value", "n", "evaluation_2015"]
    )
    for section, key, value, n, reference in _figures(report):
        writer.writerow(
            [
                report.period.first.isoformat(),
                report.period.last.isoformat(),
                report.scope,
                section,
                key,
                "" if value is None else value,
                "" if n is None else n,
                "" if reference is None else reference,
            ]
        )
    return buffer.getvalue()


def render_json(report: FundersReport) -> str:
    sections: dict[str, dict[str, dict[str, object]]] = {}
    for section, key, value, n, reference in _figures(report):
        entry: dict[str, object] = {"value": value}
        if n is not None:
            entry["n"] = n
        if reference is not None:
            entry["evaluation_2015"] = reference
        sections.setdefault(section, {})[key] = entry
    document = {
        "period": {"first": report.period.first.isoformat(), "last": report.period.last.isoformat()},
        "scope": report.scope,
        "whole_country": report.scope == WHOLE_COUNTRY,
        "figures": sections,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
