-- The index's scorecard summary: one row per named group and input basis, differences in the
-- group's unit (rpt_scorecard_summary).
select
    group_ja,
    input_basis,
    input_basis_ja,
    coalesce(unit_ja, '') as unit_ja,
    -- the differences' display format for DataTable's fmtColumn: two decimals and the unit
    '#,##0.00' || coalesce('"' || unit_ja || '"', '') as diff_fmt,
    n_published,
    n_within_tolerance,
    max_abs_diff,
    mean_abs_diff,
    row_kind_order
from rpt_scorecard_summary
order by row_kind_order, group_ja, input_basis
