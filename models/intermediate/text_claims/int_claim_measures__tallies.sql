-- 本文中の数値、達成団体数の割合と比 (family tallies): from the achievement tallies of figures 4, 8
-- and 12 (subject: domain|size class), the share of bodies with every tally item and with none
-- (percent of the bodies in the group), and the 2023/2021 ratio of the bodies with every item.
-- The tallies are read from int_achievement_tallies_by_group: they are computed there only
-- (rpt_fig04_08_12_achievement_tallies publishes them).
with

tallies as (
    select * from {{ ref('int_achievement_tallies_by_group') }}
),

share_rows as (
    select
        share_measures.measure_id,
        (tallies.fiscal_year)::varchar as fiscal_year_label,
        tallies.domain || '|' || tallies.size_class as subject,
        case share_measures.measure_id
            when 'all_items_share_pct' then {{ rate_pct_of_counts('tallies.all_items_achieved', 'tallies.n_bodies') }}
            else {{ rate_pct_of_counts('tallies.no_item_achieved', 'tallies.n_bodies') }}
        end as value_num,
        tallies.input_basis
    from tallies
    cross join (values ('all_items_share_pct'), ('no_item_share_pct')) as share_measures (measure_id)
),

ratio_rows as (
    select
        'all_items_count_ratio' as measure_id,
        '2021→2023' as fiscal_year_label,
        later.domain || '|' || later.size_class as subject,
        {{ ratio('later.all_items_achieved', 'earlier.all_items_achieved') }} as value_num,
        {{ pair_input_basis('later.input_basis', 'earlier.input_basis') }} as input_basis
    from tallies as later
    inner join tallies as earlier
        on
            later.domain = earlier.domain
            and later.size_class = earlier.size_class
            and later.fiscal_year = 2023
            and earlier.fiscal_year = 2021
),

unioned as (
    select * from share_rows
    union all
    select * from ratio_rows
),

final as (
    select
        'tallies' as measure_family,
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
