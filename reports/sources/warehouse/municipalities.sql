-- dim_municipalities: one row per body, with the folded search keys.
select
    municipality_code,
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
    search_key
from dim_municipalities
order by municipality_code
