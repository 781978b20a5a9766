"""Ingest official answer files by a layout: bounded reading (read), layouts and their schema (layout),
the checks on codes and answer marks (checks), the table and survey readers (table, survey), one place that
picks the reader by the layout's kind (run), the answer and quarantine files (write) and the layout drafter (draft)."""
