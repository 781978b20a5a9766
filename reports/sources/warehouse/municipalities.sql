-- dim_municipalities: one row per body, with the folded search keys and, for the bodies whose
-- values were substituted from another edition, the reason in Japanese (rpt_municipality_items).
with substitutions as (
    select municipality_code, min(substitution_reason_ja) as substitution_reason_ja
    from rpt_municipality_items
    where is_substituted
    group by municipality_code
)

select
    dim_municipalities.municipality_code,
    municipality_name,
    municipality_kana,
    municipality_label,
    prefecture_code,
    prefecture_name,
    region_name_ja,
    mic_type_ja,
    size_class,
    size_class_ja,
    size_class_sort_order,
    population,
    search_name,
    search_key,
    substitutions.substitution_reason_ja
from dim_municipalities
left join substitutions
    on dim_municipalities.municipality_code = substitutions.municipality_code
order by dim_municipalities.municipality_code
