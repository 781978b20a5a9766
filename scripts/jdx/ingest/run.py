"""The one place that picks the reader by the layout's kind: survey layouts (kind = "survey") are
read by jdx.ingest.survey, every other layout by jdx.ingest.table."""
from __future__ import annotations

from pathlib import Path

from .checks import Result
from .layout import Layout, SurveyLayout
from .read import IngestError, Limits, column_letter
from .survey import ingest_survey
from .table import ingest_table


def ingest(layout: Layout, inputs: list[Path], repo: Path, limits: Limits | None = None) -> Result:
    """Read the inputs by the layout; every cell read is written or quarantined in the Result."""
    result = ingest_survey(layout, inputs, repo) if isinstance(layout, SurveyLayout) else ingest_table(layout, inputs, repo, limits)
    one_answer_per_question(result)
    return result


def one_answer_per_question(result: Result) -> None:
    """A body has one answer per question and edition: a second one (the same workbook twice, two
    files with the same bodies) is an error naming both places, whatever the reader or the mode."""
    first: dict[tuple[object, object], tuple[object, ...]] = {}
    twice: list[tuple[tuple[object, ...], tuple[object, ...]]] = []
    for answer in result.answers:  # (edition, file, row, column, code, name, sheet, question, value)
        key = (answer[4], answer[7])
        if key in first:
            twice.append((first[key], answer))
        else:
            first[key] = answer
    if not twice:
        return

    def where(a: tuple[object, ...]) -> str:
        column = a[3]
        assert isinstance(column, int)
        return f"{a[1]} sheet {a[6]} row {a[2]} column {column_letter(column - 1)} value {a[8]!r}"

    a, b = twice[0]
    raise IngestError(f"{b[4]} {b[5]}: question {b[7]!r} answered twice: {where(a)} and {where(b)} ({len(twice)} answers "
                      "twice: the same workbook twice, or two files with the same bodies? a body has one answer per "
                      "question and edition: give each file once)")
