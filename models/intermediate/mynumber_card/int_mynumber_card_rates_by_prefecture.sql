-- My Number card rate per prefecture and year, and its deviation score across the 47.
-- Where the edition gives counts (cards issued, population) the prefecture rate is
-- sum(issued) / sum(population): with the 2022-04-01 snapshot this reproduces figure 23's
-- 2021 column (docs/mynumber_card_2021.md). Where only municipal rates exist (the dashboard's
-- 2023 holding rate) they are weighted by 住基 population at 2020-01-01.
with

facts as (
    select * from {{ ref('fct_survey_answers') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

card_values as (
    select
        facts.fiscal_year,
        municipalities.prefecture_code,
        facts.municipality_code,
        max(facts.value_numeric) filter (where facts.item_code = 'mynumber_card_rate') as card_rate_pct,
        max(facts.value_numeric) filter (where facts.item_code = 'mynumber_cards_issued') as cards_issued,
        max(facts.value_numeric) filter (where facts.item_code = 'mynumber_card_population') as card_population,
        max(municipalities.population) as resident_population_2020,
        bool_or(facts.is_sample) as is_sample
    from facts
    inner join municipalities
        on facts.municipality_code = municipalities.municipality_code
    where facts.domain = 'mynumber_card'
    group by 1, 2, 3
),

by_prefecture as (
    select
        fiscal_year,
        prefecture_code,
        case
            when count(cards_issued) = count(*)
                then {{ rate_pct_of_counts('sum(cards_issued)', 'sum(card_population)') }}
            else
                {{ exact_sum('card_rate_pct * resident_population_2020') }}
                / nullif(sum(resident_population_2020) filter (where card_rate_pct is not null), 0)
        end as card_rate_pct,
        case
            when count(cards_issued) = count(*) then 'issued_over_population'
            else 'rate_weighted_by_resident_population'
        end as aggregation,
        count(card_rate_pct) as n_municipalities_with_value,
        bool_or(is_sample) as has_sample_inputs
    from card_values
    group by 1, 2
),

by_prefecture_centred as (
    select
        *,
        {{ exact_avg_over('card_rate_pct', 'fiscal_year') }} as mean_card_rate_pct
    from by_prefecture
),

final as (
    select
        fiscal_year,
        prefecture_code,
        card_rate_pct,
        aggregation,
        n_municipalities_with_value,
        has_sample_inputs,
        {{ deviation_score('card_rate_pct', 'fiscal_year', 'mean_card_rate_pct') }} as deviation_score
    from by_prefecture_centred
)

select * from final
