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
import pyarrow as pa
from pyarrow import csv as pacsv

CHUNK = 1 << 24
# jemalloc hands the parser's freed blocks back to the system; with pyarrow's default pool
# (mimalloc) or the C library's, a 10M-vote file left about 300 MB more resident for the engine
# that runs next (bench/polis.py).
POOL = pa.jemalloc_memory_pool() if "jemalloc" in pa.supported_memory_backends() else None
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


def _values(array: pa.Array, dtype) -> np.ndarray:
    """A primitive column's data as numpy, read from its buffer: pyarrow's own `to_numpy` (and
    any compute call given a Python value) imports pandas, a fifth of a second of start-up that
    `analyse_export` on a small export would notice. Null slots hold arbitrary values."""
    data = np.frombuffer(array.buffers()[1], dtype=dtype, count=array.offset + len(array))
    return data[array.offset :]


def _nulls(array: pa.Array) -> np.ndarray:
    if array.null_count == 0:
        return np.zeros(len(array), dtype=bool)
    bits = np.unpackbits(np.frombuffer(array.buffers()[0], np.uint8), bitorder="little")
    return ~bits[array.offset : array.offset + len(array)].astype(bool)


def _parse(texts: list[str]) -> np.ndarray:
    """Numbers written as text ("4.0", "1e3", " 7 "), NaN where there is none: the slow path,
    taken only when pyarrow could not read a column as numbers."""
    import pandas as pd

    return pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )


class Table:
    """A file's columns (numbers where pyarrow could read them so, else text) and its problems."""

    def __init__(self, path: Path, columns: dict[str, pa.Array], rows: int) -> None:
        self.path, self.columns, self.rows = path, columns, rows
        self._problems: list[tuple[int, int, str]] = []  # (row, order of the check, problem)

    def __len__(self) -> int:
        return self.rows

    def __contains__(self, name: str) -> bool:
        return name in self.columns

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

    def text(self, name: str) -> list[str]:
        column = self.columns[name]
        if pa.types.is_string(column.type):
            return ["" if value is None else value for value in column.to_pylist()]
        return ["" if value is None else str(value) for value in column.to_pylist()]

    def blanks(self, name: str) -> np.ndarray:
        column = self.columns[name]
        if pa.types.is_string(column.type):
            return np.array([not value.strip() for value in self.text(name)], dtype=bool)
        return _nulls(column)

    def whole(self, name: str, *, blank: bool = False) -> np.ndarray:
        """A column of whole numbers as int64; blanks (where allowed) are -1 and listed in
        `blanks(name)`. "4.0" and "1e3" are whole numbers; "4.5", "nan" or "x" are problems."""
        column = self.columns[name]
        empty = self.blanks(name)
        if pa.types.is_integer(column.type):
            values = _values(column, np.dtype(f"int{column.type.bit_width}"))
            good = ~empty
        else:
            if pa.types.is_floating(column.type):
                numbers = _values(column, np.float32 if column.type.bit_width == 32 else float)
            else:
                numbers = _parse([value.strip() for value in self.text(name)])
            with np.errstate(invalid="ignore"):
                good = np.isfinite(numbers) & (np.abs(numbers) < EXACT_FLOAT) & ~empty
                good &= numbers == np.trunc(numbers)
            values = np.where(good, numbers, -1)
        bad = ~good & ~(empty & blank)
        if bad.any():
            row = int(np.argmax(bad))
            self.problem(row, f"{name} is not a whole number: {self.text(name)[row].strip()!r}")
        if good.all():
            return values.astype(np.int64, copy=False)
        return np.where(good, values, -1).astype(np.int64)

    def flag(self, name: str) -> np.ndarray:
        """A true/false column of the newer layout; absent (the older layout) means false."""
        if name not in self:
            return np.zeros(len(self), dtype=bool)
        texts = [value.strip().lower() for value in self.text(name)]
        for row, text in enumerate(texts):
            if text not in ("true", "false", "", "0", "1"):
                self.problem(row, f"{name} must be true or false, not {text!r}")
                break
        return np.array([text in ("true", "1") for text in texts], dtype=bool)

    def one_of(self, values: np.ndarray, allowed: tuple[int, ...], problem: str) -> None:
        bad = ~np.isin(values, allowed)
        if bad.any():
            row = int(np.argmax(bad))
            self.problem(row, problem.format(value=values[row]))

    def unique(self, values: np.ndarray, what: str) -> None:
        """Each value once: two rows for one id would make two things, or one silently lost."""
        _, firsts = np.unique(values, return_index=True)
        if len(firsts) < len(values):
            repeated = np.ones(len(values), dtype=bool)
            repeated[firsts] = False
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
            memory_pool=POOL,
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
    rows, columns = table.num_rows, {}
    # Each column in one piece, dropping the pieces as it goes: a 10M-vote file then needs one
    # column's copy at a time, not two of the whole table.
    for name in table.column_names:
        columns[name] = table.column(name).combine_chunks(memory_pool=POOL)
        table = table.drop_columns([name])
    return Table(path, columns, rows)
