-- 本文中の数値、都道府県間の差 (family prefecture_extremes): per item or domain mean (subject: rate
-- key) and year, the top and bottom prefecture rates and the gap between them, the gap's change
-- 2021→2023; and over a list of items (subject: rate keys, ';'-separated; part 2: one item): the
-- smallest and largest gap, one item's gap minus the smallest other gap, the largest change of a
-- gap, and the smaller of the changes of the smallest and of the largest gap.
with

prefecture_rates as (
    select * from {{ ref('int_claim_prefecture_rates') }}
    where rate_pct is not null
),

wanted as (
    select * from {{ ref('int_claim_measures_wanted') }}
),

-- top and bottom prefecture per rate key and year; input_basis from the summed input counts
ranges as (
    select
        fiscal_year,
        rate_key,
        max(rate_pct) as top_rate_pct,
        min(rate_pct) as bottom_rate_pct,
        max(rate_pct) - min(rate_pct) as gap_pt,
        sum(n_official_inputs) as n_official_inputs,
        sum(n_sample_inputs) as n_sample_inputs,
        sum(n_missing_inputs) as n_missing_inputs,
        sum(n_proxy_inputs) as n_proxy_inputs
    from prefecture_rates
    group by 1, 2
),

ranges_with_basis as (
    select
        ranges.*,
        {{ input_basis('ranges') }} as input_basis
    from ranges
),

range_rows as (
    select
        range_measures.measure_id,
        (ranges_with_basis.fiscal_year)::varchar as fiscal_year_label,
        ranges_with_basis.rate_key as subject,
        case range_measures.measure_id
            when 'item_prefecture_gap_pt' then ranges_with_basis.gap_pt
            when 'top_prefecture_rate_pct' then ranges_with_basis.top_rate_pct
            else ranges_with_basis.bottom_rate_pct
        end as value_num,
        ranges_with_basis.input_basis
    from ranges_with_basis
    cross join (
        values ('item_prefecture_gap_pt'), ('top_prefecture_rate_pct'), ('bottom_prefecture_rate_pct')
    ) as range_measures (measure_id)

    union all

    select
        'item_prefecture_gap_change_pt' as measure_id,
        '2021→2023' as fiscal_year_label,
        later.rate_key as subject,
        later.gap_pt - earlier.gap_pt as value_num,
        {{ pair_input_basis('later.input_basis', 'earlier.input_basis') }} as input_basis
    from ranges_with_basis as later
    inner join ranges_with_basis as earlier
        on
            later.rate_key = earlier.rate_key
            and later.fiscal_year = 2023
            and earlier.fiscal_year = 2021
),

-- gaps over a list of items: smallest, largest, one item against the others
range_list_rows as (
    select
        wanted.measure_id,
        wanted.fiscal_year_label,
        wanted.subject,
        case wanted.measure_id
            when 'min_item_prefecture_gap_pt' then min(gaps.value_num)
            when 'max_item_prefecture_gap_pt' then max(gaps.value_num)
            else
                max(gaps.value_num) filter (where gaps.subject = wanted.subject_b)
                - min(gaps.value_num) filter (where gaps.subject != wanted.subject_b)
        end as value_num,
        {{ combine_input_basis('gaps.input_basis') }} as input_basis
    from wanted
    inner join range_rows as gaps
        on
            gaps.measure_id = 'item_prefecture_gap_pt'
            and wanted.fiscal_year_label = gaps.fiscal_year_label
            and list_contains(wanted.list_a, gaps.subject)
    where
        wanted.measure_id in (
            'min_item_prefecture_gap_pt', 'max_item_prefecture_gap_pt', 'gap_minus_smallest_other_gap_pt'
        )
    group by 1, 2, 3
),

-- changes of the gaps over a list of items
range_change_rows as (
    select
        wanted.measure_id,
        wanted.fiscal_year_label,
        wanted.subject,
        case wanted.measure_id
            when 'max_item_gap_change_pt' then max(later.gap_pt - earlier.gap_pt)
            -- min(change of the smallest gap, change of the largest gap)
            else least(
                min(later.gap_pt) - min(earlier.gap_pt),
                max(later.gap_pt) - max(earlier.gap_pt)
            )
        end as value_num,
        {{ combine_input_basis('later.input_basis') }} as input_basis
    from wanted
    inner join ranges_with_basis as later
        on list_contains(wanted.list_a, later.rate_key) and later.fiscal_year = 2023
    inner join ranges_with_basis as earlier
        on later.rate_key = earlier.rate_key and earlier.fiscal_year = 2021
    where wanted.measure_id in ('max_item_gap_change_pt', 'min_change_of_gap_range_pt')
    group by 1, 2, 3
),

unioned as (
    select * from range_rows
    union all
    select * from range_list_rows
    union all
    select * from range_change_rows
),

final as (
    select
        'prefecture_extremes' as measure_family,
        measure_id,
        fiscal_year_label,
        subject,
        value_num,
        null::varchar as value_text,
        null::double as value_aux,
        input_basis
    from unioned
)

select * from final
