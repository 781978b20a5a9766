-- 本文中の数値、相関係数 (family correlations): the Pearson correlations of figures 18 and 19 — the
-- share of towns and villages with the overall score over the prefectures, and the card rate
-- with the overall score (subject: level, municipality or prefecture). The coefficients are read
-- from int_prefecture_town_shares_correlated and int_mynumber_card_scores_correlated: they are
-- computed there only (rpt_fig18_… and rpt_fig19_… publish them).
with

towns_villages as (
    select * from {{ ref('int_prefecture_town_shares_correlated') }}
),

card_correlations as (
    select * from {{ ref('int_mynumber_card_scores_correlated') }}
),

correlation_rows as (
    select
        'towns_villages_overall_r' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        '' as subject,
        max(pearson_r_in_year) as value_num,
        {{ combine_input_basis('input_basis') }} as input_basis
    from towns_villages
    group by 1, 2, 3

    union all

    select
        'card_overall_r' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        level as subject,
        pearson_r as value_num,
        {{ pair_input_basis('overall_basis', 'card_basis') }} as input_basis
    from card_correlations
),

final as (
    select
        'correlations' as measure_family,
        measure_id,
        fiscal_year_label,
        subject,
        value_num,
        null::varchar as value_text,
        null::double as value_aux,
        input_basis
    from correlation_rows
)

select * from final
