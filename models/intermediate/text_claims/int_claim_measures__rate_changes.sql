-- 本文中の数値、2021→2023の変化と規模別の差 (family rate_changes): an item's or domain's change in
-- points (2023 minus 2021), the smallest change among the five city classes, the spread of an
-- item over the size classes (max minus min), the lowest item rate in a size class (the item in
-- value_text), and the difference of two domains' changes (subject: domain_a|domain_b).
with

rates as (
    select * from {{ ref('int_claim_rates') }}
),

wanted as (
    select * from {{ ref('int_claim_measures_wanted') }}
),

-- the same rate key and group in 2023 (later) and 2021 (earlier)
year_pairs as (
    select
        later.rate_key,
        later.domain,
        later.row_kind,
        later.group_type,
        later.group_code,
        later.rate_pct - earlier.rate_pct as change_pt,
        later.input_basis as later_basis,
        {{ pair_input_basis('later.input_basis', 'earlier.input_basis') }} as input_basis
    from rates as later
    inner join rates as earlier
        on
            later.rate_key = earlier.rate_key
            and later.group_type = earlier.group_type
            and later.group_code = earlier.group_code
            and later.fiscal_year = 2023
            and earlier.fiscal_year = 2021
),

change_rows as (
    select
        'item_rate_change_pt' as measure_id,
        '2021→2023' as fiscal_year_label,
        rate_key as subject,
        change_pt as value_num,
        null::varchar as value_text,
        input_basis
    from year_pairs
    where group_type = 'all'

    union all

    select
        'domain_rate_change_pt' as measure_id,
        '2021→2023' as fiscal_year_label,
        domain as subject,
        change_pt as value_num,
        null::varchar as value_text,
        input_basis
    from year_pairs
    where group_type = 'all' and row_kind = 'domain_mean'

    union all

    select
        'min_city_class_rate_change_pt' as measure_id,
        '2021→2023' as fiscal_year_label,
        rate_key as subject,
        min(change_pt) as value_num,
        null::varchar as value_text,
        {{ combine_input_basis('later_basis') }} as input_basis
    from year_pairs
    where
        group_type = 'size_class'
        and group_code in ('designated_city', 'core_city', 'large_city', 'mid_city', 'small_city')
    group by 1, 2, 3
),

class_rows as (
    select
        'size_class_rate_range_pt' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        rate_key as subject,
        max(rate_pct) - min(rate_pct) as value_num,
        null::varchar as value_text,
        {{ combine_input_basis('input_basis') }} as input_basis
    from rates
    where group_type = 'size_class'
    group by 1, 2, 3

    union all

    select
        'min_item_rate_in_size_class_pct' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        domain || '|' || group_code as subject,
        min(rate_pct) as value_num,
        arg_min(item_code, (rate_pct, item_code)) as value_text,  -- ties: the first item code, so builds agree
        {{ combine_input_basis('input_basis') }} as input_basis
    from rates
    where group_type = 'size_class' and row_kind = 'item'
    group by 1, 2, 3
),

change_difference_rows as (
    select
        'domain_rate_change_difference_pt' as measure_id,
        '2021→2023' as fiscal_year_label,
        wanted.subject,
        first_change.value_num - second_change.value_num as value_num,
        null::varchar as value_text,
        {{ pair_input_basis('first_change.input_basis', 'second_change.input_basis') }} as input_basis
    from wanted
    inner join change_rows as first_change
        on
            first_change.measure_id = 'domain_rate_change_pt'
            and wanted.subject_a = first_change.subject
    inner join change_rows as second_change
        on
            second_change.measure_id = 'domain_rate_change_pt'
            and wanted.subject_b = second_change.subject
    where wanted.measure_id = 'domain_rate_change_difference_pt'
),

unioned as (
    select * from change_rows
    union all
    select * from class_rows
    union all
    select * from change_difference_rows
),

final as (
    select
        'rate_changes' as measure_family,
        measure_id,
        fiscal_year_label,
        subject,
        value_num,
        value_text,
        null::double as value_aux,
        input_basis
    from unioned
)

select * from final
