-- The vocabulary reads a bare '%' as not_applicable because the body has none of the procedures:
-- check that every such body's denominator (procedures the body has) is 0 in the same edition.
with

facts as (
    select * from {{ ref('fct_survey_answers') }}
)

select
    bare.municipality_code,
    bare.edition_id,
    denominator.value_numeric as procedures_existing
from facts as bare
left join facts as denominator
    on
        bare.municipality_code = denominator.municipality_code
        and bare.fiscal_year = denominator.fiscal_year
        and denominator.item_code = 'da_frequent32_existing'
where
    bare.item_code = 'da_frequent32_online_pct'
    and bare.raw_value = '%'
    and coalesce(denominator.value_numeric, -1) != 0
