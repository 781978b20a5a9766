"""Loaders: the raw public files (reference code lists, the report's published figures, the dashboard and
card-issuance downloads) into seeds and answer files; the answer-file format and municipality codes they share."""
