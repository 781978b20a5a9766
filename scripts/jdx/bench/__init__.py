"""make bench: the build timed at several scales against dbt's floor, plain SQL and pandas baselines."""
