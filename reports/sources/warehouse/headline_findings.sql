-- The index's headline findings (rpt_headline_findings).
select
    finding_order,
    cast(fiscal_year as varchar) as fiscal_year,
    finding_ja,
    subject_ja,
    finding_value,
    unit_ja,
    decimals,
    -- the value's display format for DataTable's fmtColumn: its decimals and its unit
    '#,##0' || case when decimals > 0 then '.' || repeat('0', decimals) else '' end
    || case when unit_ja <> '' then '"' || unit_ja || '"' else '' end as value_fmt,
    input_basis,
    input_basis_ja,
    page_href
from rpt_headline_findings
order by finding_order
