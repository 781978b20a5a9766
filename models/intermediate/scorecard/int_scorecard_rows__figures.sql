-- 再現スコアカード、図表の行: every value of the figure tables the report publishes (seeds/published
-- jri_item_rates, jri_achievement, jri_prefecture_deviation, jri_class_counts) beside ours, with
-- the rule it is held to (cfg_scorecard_tolerances) written in the scorecard's rule columns:
-- exact and approximate values are number rules (|d| <= tolerance), lower and upper bounds are
-- bound rules (ours >= published - tolerance, ours <= published + tolerance). No CLOSE band.
-- rpt_reproduction_scorecard scores these rows and the text-claim rows with one rule.
-- Tallies and deviation scores are read from int_achievement_tallies_by_group and
-- int_prefecture_deviation_scores, the models rpt_fig04_08_12 and rpt_fig17_23 publish: the
-- values are computed there and nowhere else.
with

published_rates as (
    select * from {{ ref('jri_item_rates') }}
),

published_tallies as (
    select * from {{ ref('jri_achievement') }}
),

published_deviation as (
    select * from {{ ref('jri_prefecture_deviation') }}
),

published_classes as (
    select * from {{ ref('jri_class_counts') }}
),

tolerances as (
    select * from {{ ref('cfg_scorecard_tolerances') }}
),

our_rates as (
    select * from {{ ref('int_rates_by_group_labelled') }}
    where group_type = 'all'
),

our_tallies as (
    select * from {{ ref('int_achievement_tallies_by_group') }}
),

our_deviation as (
    select * from {{ ref('int_prefecture_deviation_scores') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

rate_rows as (
    select
        published_rates.source as published_where,
        case when published_rates.item_code = '_domain_mean' then 'domain_rate_pct' else 'item_rate_pct' end
            as measure,
        case
            when published_rates.source like '%lower bound%' then 'lower_bound'
            when published_rates.source like '%upper bound%' then 'upper_bound'
            when published_rates.source like '%approximate%' then 'approximate'
            else 'exact'
        end as comparison,
        published_rates.domain,
        published_rates.item_code,
        'all' as size_class,
        cast(null as varchar) as prefecture_code,
        published_rates.fiscal_year,
        published_rates.rate_pct as published_value,
        our_rates.rate_pct as our_value,
        our_rates.input_basis,
        our_rates.sample_share_pct
    from published_rates
    left join our_rates
        on
            published_rates.fiscal_year = our_rates.fiscal_year
            and published_rates.item_code = our_rates.item_code
            and replace(published_rates.domain, '_reference', '') = our_rates.domain
),

tally_rows as (
    select
        'figures 4, 8, 12' as published_where,
        measures.measure,
        'exact' as comparison,
        published_tallies.domain,
        cast(null as varchar) as item_code,
        published_tallies.size_class,
        cast(null as varchar) as prefecture_code,
        published_tallies.fiscal_year,
        measures.published_value,
        measures.our_value,
        our_tallies.input_basis,
        our_tallies.sample_share_pct
    from published_tallies
    left join our_tallies
        on
            published_tallies.fiscal_year = our_tallies.fiscal_year
            and published_tallies.domain = our_tallies.domain
            and published_tallies.size_class = our_tallies.size_class
    cross join lateral (
        values
        ('all_items_achieved', published_tallies.all_items_achieved, our_tallies.all_items_achieved),
        ('no_item_achieved', published_tallies.no_item_achieved, our_tallies.no_item_achieved)
    ) as measures (measure, published_value, our_value)
),

deviation_rows as (
    select
        'figure 23' as published_where,
        case
            when published_deviation.domain = 'mynumber_card' then 'mynumber_card_deviation_score'
            else 'deviation_score'
        end as measure,
        'exact' as comparison,
        published_deviation.domain,
        cast(null as varchar) as item_code,
        cast(null as varchar) as size_class,
        published_deviation.pref_code as prefecture_code,
        published_deviation.fiscal_year,
        published_deviation.deviation_score as published_value,
        our_deviation.deviation_score as our_value,
        our_deviation.input_basis,
        our_deviation.sample_share_pct
    from published_deviation
    left join our_deviation
        on
            published_deviation.fiscal_year = our_deviation.fiscal_year
            and published_deviation.domain = our_deviation.domain
            and published_deviation.pref_code = our_deviation.prefecture_code
),

class_counts as (
    select
        size_class,
        count(*) as n_bodies
    from municipalities
    group by 1
    union all
    select
        'all' as size_class,
        count(*) as n_bodies
    from municipalities
),

class_rows as (
    select
        'class definitions' as published_where,
        'n_bodies' as measure,
        'exact' as comparison,
        cast(null as varchar) as domain,
        cast(null as varchar) as item_code,
        published_classes.size_class,
        cast(null as varchar) as prefecture_code,
        cast(null as integer) as fiscal_year,
        published_classes.n_bodies as published_value,
        class_counts.n_bodies as our_value,
        'official' as input_basis,
        0.0 as sample_share_pct
    from published_classes
    left join class_counts
        on published_classes.size_class = class_counts.size_class
),

unioned as (
    select * from rate_rows
    union all
    select * from tally_rows
    union all
    select * from deviation_rows
    union all
    select * from class_rows
),

-- the tolerance of the measure and comparison, as the rule's parameters
with_tolerance as (
    select
        md5(concat_ws(
            '|', unioned.measure, unioned.domain, unioned.item_code, unioned.size_class,
            unioned.prefecture_code, cast(unioned.fiscal_year as varchar)
        )) as scorecard_key,
        unioned.published_where,
        unioned.measure,
        unioned.comparison,
        unioned.domain,
        unioned.item_code,
        unioned.size_class,
        unioned.prefecture_code,
        unioned.fiscal_year,
        cast(unioned.published_value as double) as published_value,
        cast(unioned.our_value as double) as our_value,
        tolerances.tolerance,
        coalesce(unioned.input_basis, 'incomplete') as input_basis,
        unioned.sample_share_pct
    from unioned
    left join tolerances
        on
            unioned.measure = tolerances.measure
            and unioned.comparison = tolerances.comparison
),

final as (
    select
        scorecard_key,
        'figure_table' as row_kind,
        cast(null as varchar) as claim_id,
        'table' as claim_kind,
        published_where,
        measure,
        comparison,
        domain,
        item_code,
        size_class,
        prefecture_code,
        fiscal_year,
        cast(fiscal_year as varchar) as fiscal_year_label,
        cast(null as varchar) as subject,
        published_value,
        cast(published_value as varchar) as published_text,
        our_value,
        cast(round(our_value, 4) as varchar) as our_text,
        tolerance,
        case comparison
            when 'lower_bound' then 'ours >= published - ' || tolerance
            when 'upper_bound' then 'ours <= published + ' || tolerance
            else '|d|<=' || tolerance
        end as rule_text,
        case when comparison in ('lower_bound', 'upper_bound') then 'bound' else 'number' end as rule_kind,
        case comparison when 'lower_bound' then '>=' when 'upper_bound' then '<=' end as bound_operator,
        case comparison
            when 'lower_bound' then published_value - tolerance
            when 'upper_bound' then published_value + tolerance
        end as bound_value,
        published_value as published_number,
        tolerance as match_tolerance,
        cast(null as double) as close_tolerance,
        cast(null as double) as close_off_by,
        cast(null as double) as close_within,
        cast(null as double) as about_low,
        cast(null as double) as about_high,
        cast(null as varchar[]) as published_set,
        cast(null as varchar[]) as our_set,
        cast(null as double) as our_distance_from_top,
        cast(null as varchar) as not_computable_reason,
        cast(null as varchar) as known_difference,
        input_basis,
        sample_share_pct
    from with_tolerance
)

select * from final
