"""One CSV file of a Polis export read into checked columns, no Django.

pyarrow's CSV reader parses the file in C on every core; each column is then checked as a whole
(numpy), not value by value. A problem is reported as `PolisFileError` with the file, the line
the record starts on and what is wrong; when several rows are wrong, the first in the file wins,
as a reader going line by line would say. Finding that line is the slow path: the file is then
read again with Python's `csv` module, which counts lines through quoted line breaks.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import csv as pacsv

CHUNK = 1 << 24
# Floats hold every whole number up to 2**53 exactly; a text past that is refused, not rounded.
EXACT_FLOAT = 2**53


class PolisFileError(ValueError):
    def __init__(self, file: str | Path, line: int, problem: str) -> None:
        self.file, self.line, self.problem = str(file), line, problem
        where = f"{Path(file).name}, line {line}" if line else Path(file).name
        super().__init__(f"{where}: {problem}")


def check_utf8(path: Path) -> None:
    """Refuse bytes that are not UTF-8, naming their line ("\\n" never occurs inside a UTF-8
    sequence, so the newlines before the bad byte count its line)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                if not (chunk.isascii() and not decoder.getstate()[0]):
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError as error:
                        line = newlines + chunk.count(b"\n", 0, max(error.start, 0)) + 1
                        raise PolisFileError(path, line, "is not UTF-8 text") from None
                newlines += chunk.count(b"\n")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise PolisFileError(path, newlines + 1, "is not UTF-8 text") from None
    except OSError as error:
        raise PolisFileError(path, 0, f"cannot be read ({error.strerror})") from error


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Non-empty records after the header, with the line each starts on (bodies may span lines)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            next(reader, None)
            start = reader.line_num + 1
            for record in reader:
                if record:
                    yield start, record
                start = reader.line_num + 1
        except csv.Error as error:
            raise PolisFileError(path, reader.line_num, f"is not valid CSV ({error})") from error


class Table:
    """A file's columns (strings, or numbers when pyarrow could read them so) and its problems."""

    def __init__(self, path: Path, frame: pd.DataFrame, names: list[str]) -> None:
        self.path, self.frame, self.names = path, frame, names
        self._problems: list[tuple[int, int, str]] = []  # (row, order of the check, problem)

    def __len__(self) -> int:
        return len(self.frame)

    def problem(self, row: int, text: str) -> None:
        self._problems.append((row, len(self._problems), text))

    def line(self, row: int) -> int:
        for index, (line, _record) in enumerate(_records(self.path)):
            if index == row:
                return line
        raise IndexError(row)

    def raise_first(self) -> None:
        if self._problems:
            row, _, text = min(self._problems)
            raise PolisFileError(self.path, self.line(row), text)

    def whole(self, name: str, *, blank: bool = False) -> np.ndarray:
        """A column of whole numbers as int64; blanks (where allowed) are -1 and listed in
        `blanks(name)`. "4.0" and "1e3" are whole numbers; "4.5" or "x" are problems."""
        column = self.frame[name]
        if pd.api.types.is_integer_dtype(column.dtype) and not column.hasnans:
            return column.to_numpy(dtype=np.int64)
        if pd.api.types.is_numeric_dtype(column.dtype):  # read as numbers, with blanks
            numbers = column.to_numpy(dtype=np.float64, na_value=np.nan)
            text = pd.Series(np.where(np.isnan(numbers), "", column.astype("string")))
        else:
            text = column.astype("string").str.strip().fillna("")
            numbers = pd.to_numeric(text.mask(text == ""), errors="coerce")
            numbers = numbers.astype("float64").to_numpy(na_value=np.nan)
        empty = (text == "").to_numpy()
        with np.errstate(invalid="ignore"):
            good = np.isfinite(numbers) & (np.abs(numbers) < EXACT_FLOAT)
            good &= numbers == np.trunc(numbers)
        bad = ~good & ~(empty & blank)
        if bad.any():
            row = int(np.argmax(bad))
            self.problem(row, f"{name} is not a whole number: {text.iloc[row]!r}")
        return np.where(good, numbers, -1).astype(np.int64)

    def blanks(self, name: str) -> np.ndarray:
        column = self.frame[name]
        if pd.api.types.is_numeric_dtype(column.dtype):
            return column.isna().to_numpy()
        return (column.astype("string").str.strip().fillna("") == "").to_numpy()

    def flag(self, name: str) -> np.ndarray:
        """A true/false column of the newer layout; absent (the older layout) means false."""
        if name not in self.frame:
            return np.zeros(len(self), dtype=bool)
        text = self.frame[name].astype("string").fillna("").str.strip().str.lower()
        bad = ~text.isin(("true", "false", "", "0", "1")).to_numpy()
        if bad.any():
            row = int(np.argmax(bad))
            self.problem(row, f"{name} must be true or false, not {text.iloc[row]!r}")
        return text.isin(("true", "1")).to_numpy()

    def one_of(self, values: np.ndarray, allowed: tuple[int, ...], problem: str) -> None:
        bad = ~np.isin(values, allowed)
        if bad.any():
            row = int(np.argmax(bad))
            self.problem(row, problem.format(value=values[row]))

    def unique(self, values: np.ndarray, what: str) -> None:
        """Each value once: two rows for one id would make two things, or one silently lost."""
        repeated = pd.Series(values).duplicated().to_numpy()
        if repeated.any():
            row = int(np.argmax(repeated))
            first = self.line(int(np.argmax(values == values[row])))
            self.problem(row, f"{what} {values[row]} already appears on line {first}")


def header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            names = next(csv.reader(handle), None)
    except csv.Error as error:
        raise PolisFileError(path, 1, f"is not valid CSV ({error})") from error
    except UnicodeDecodeError:
        raise PolisFileError(path, 1, "is not UTF-8 text") from None
    except OSError as error:
        raise PolisFileError(path, 0, f"cannot be read ({error.strerror})") from error
    if not names:
        raise PolisFileError(path, 1, "is empty: a header row is expected")
    return [name.strip() for name in names]


def require(path: Path, names: list[str], needed: tuple[str, ...]) -> None:
    missing = [n for n in needed if n not in names]
    if missing:
        raise PolisFileError(path, 1, f"lacks the column(s) {', '.join(missing)}")


def _ragged(path: Path, width: int) -> PolisFileError:
    for line, record in _records(path):
        if len(record) != width:
            return PolisFileError(path, line, f"has {len(record)} fields, the header has {width}")
    return PolisFileError(path, 0, "has a row whose fields do not match the header")


def read(
    path: Path,
    *,
    needed: tuple[str, ...],
    types: dict[str, pa.DataType],
    multiline: bool = False,
    only: list[str] | None = None,
) -> Table:
    """Read `path` after checking its text, header and field counts. `types` are tried first
    (fast); a value that does not fit them makes the columns strings, checked by `Table`."""
    check_utf8(path)
    names = header(path)
    require(path, names, needed)
    wanted = [n for n in (only if only is not None else names) if n in names]
    ragged = []

    def note(row) -> str:
        ragged.append(row)
        return "skip"

    def attempt(column_types: dict[str, pa.DataType]) -> pa.Table:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=CHUNK),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=multiline, invalid_row_handler=note
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=wanted,
                column_types=column_types,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    try:
        try:
            table = attempt({n: types.get(n, pa.string()) for n in wanted})
        except pa.ArrowInvalid:
            if ragged:
                raise
            ragged.clear()
            table = attempt({n: pa.string() for n in wanted})
    except pa.ArrowInvalid as error:
        if ragged:
            raise _ragged(path, len(names)) from None
        list(_records(path))  # the csv module names the line of what pyarrow could not parse
        raise PolisFileError(path, 0, f"is not valid CSV ({error})") from None
    if ragged:
        raise _ragged(path, len(names))
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
    del table
    return Table(path, frame, names)
