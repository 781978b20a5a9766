"""The one place that picks the reader by the layout's kind: survey layouts (kind = "survey") are
read by jdx.ingest.survey, every other layout by jdx.ingest.table."""
from __future__ import annotations

from pathlib import Path

from .checks import Result
from .layout import Layout, SurveyLayout
from .read import Limits
from .survey import ingest_survey
from .table import ingest_table


def ingest(layout: Layout, inputs: list[Path], repo: Path, limits: Limits | None = None) -> Result:
    """Read the inputs by the layout; every cell read is written or quarantined in the Result."""
    if isinstance(layout, SurveyLayout):
        return ingest_survey(layout, inputs, repo)
    return ingest_table(layout, inputs, repo, limits)
