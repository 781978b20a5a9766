-- 再現スコアカード: every value the report publishes (seeds/published) beside ours, the
-- difference, the rule it is held to and what our value rests on (input_basis: official,
-- official_proxy, sample, mixed, incomplete, not_computable). Two kinds of row: figure_table (the
-- figure tables, held to cfg_scorecard_tolerances) and text_claim (jri_text_claims, held to the
-- claim's own rule: number, bound, about, name, set or direction, with MATCH and CLOSE bands).
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
    select * from {{ ref('rpt_fig02_06_10_item_rates_national') }}
),

our_tallies as (
    select * from {{ ref('rpt_fig04_08_12_achievement_tallies') }}
),

our_deviation as (
    select * from {{ ref('rpt_fig17_23_prefecture_deviation') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

published_claims as (
    select * from {{ ref('jri_text_claims') }}
),

claim_measure_map as (
    select * from {{ ref('cfg_text_claim_measures') }}
),

our_claim_measures as (
    select * from {{ ref('rpt_text_claim_measures') }}
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

figure_rows as (
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
        cast(unioned.our_value as double) - cast(unioned.published_value as double) as diff,
        tolerances.tolerance,
        coalesce(
            case unioned.comparison
                when 'lower_bound' then unioned.our_value >= unioned.published_value - tolerances.tolerance
                when 'upper_bound' then unioned.our_value <= unioned.published_value + tolerances.tolerance
                else abs(unioned.our_value - unioned.published_value) <= tolerances.tolerance + 1e-9
            end,
            false
        ) as within_tolerance,
        coalesce(unioned.input_basis, 'incomplete') as input_basis,
        unioned.sample_share_pct
    from unioned
    left join tolerances
        on
            unioned.measure = tolerances.measure
            and unioned.comparison = tolerances.comparison
),

-- text claims: the rule parsed from its text (MATCH band; CLOSE band or no CLOSE)
claim_rules as (
    select
        published_claims.claim_id,
        published_claims.section,
        published_claims.kind as claim_kind,
        published_claims.unit,
        published_claims.fiscal_year as claim_fiscal_year,
        published_claims.published_value as published_text,
        published_claims.refers_to,
        published_claims.note as claim_note,
        claim_measure_map.measure_id,
        claim_measure_map.fiscal_year_label,
        coalesce(claim_measure_map.subject, '') as subject,
        nullif(claim_measure_map.known_difference, '') as known_difference,
        coalesce(nullif(claim_measure_map.rule_override, ''), published_claims.rule) as rule_text,
        trim(
            regexp_extract(
                coalesce(nullif(claim_measure_map.rule_override, ''), published_claims.rule), 'MATCH ([^;]*)', 1
            )
        )
            as match_part,
        trim(regexp_extract(coalesce(nullif(claim_measure_map.rule_override, ''), published_claims.rule), ';(.*)$', 1))
            as close_part
    from published_claims
    left join claim_measure_map
        on published_claims.claim_id = claim_measure_map.claim_id
),

claim_rules_parsed as (
    select
        claim_rules.*,
        case
            when claim_rules.measure_id is null or claim_rules.rule_text = 'n/a' then 'not_computable'
            when claim_rules.match_part like 'same set%' then 'set'
            when claim_rules.match_part like 'same prefecture%' then 'name'
            when claim_rules.match_part like '|d|<=%' then 'number'
            when claim_rules.match_part like 'in [%' then 'about'
            when regexp_matches(claim_rules.match_part, '^(>=|<=|>|<)') and claim_rules.claim_kind = 'directional'
                then 'direction'
            when regexp_matches(claim_rules.match_part, '^(>=|<=|>|<)') then 'bound'
        end as rule_kind,
        regexp_extract(claim_rules.match_part, '^(>=|<=|>|<)', 1) as bound_operator,
        try_cast(regexp_extract(claim_rules.match_part, '^(>=|<=|>|<)\s*(-?[0-9.]+(e-?[0-9]+)?)', 2) as double)
            as bound_value,
        try_cast(regexp_extract(claim_rules.match_part, '\|d\|<=([0-9.]+(e-?[0-9]+)?)', 1) as double)
            as match_tolerance,
        try_cast(regexp_extract(claim_rules.close_part, '\|d\|<=([0-9.]+(e-?[0-9]+)?)', 1) as double)
            as close_tolerance,
        try_cast(regexp_extract(claim_rules.close_part, 'off by <=([0-9.]+)', 1) as double) as close_off_by,
        try_cast(regexp_extract(claim_rules.close_part, 'within ([0-9.]+) of it', 1) as double) as close_within,
        try_cast(regexp_extract(claim_rules.match_part, 'in \[(-?[0-9.]+),', 1) as double) as about_low,
        try_cast(regexp_extract(claim_rules.match_part, ',\s*(-?[0-9.]+)\]', 1) as double) as about_high,
        try_cast(regexp_extract(claim_rules.published_text, '^\s*(-?[0-9.]+(e-?[0-9]+)?)', 1) as double)
            as published_number,
        list_sort(string_split(regexp_extract(claim_rules.published_text, '\{([^}]*)\}', 1), ', '))
            as published_set
    from claim_rules
),

claim_results as (
    select
        claim_rules_parsed.*,
        our_claim_measures.value_num as our_value,
        our_claim_measures.value_text as our_text,
        our_claim_measures.value_aux as our_distance_from_top,
        our_claim_measures.input_basis as measure_input_basis,
        list_sort(string_split(regexp_extract(our_claim_measures.value_text, '\{([^}]*)\}', 1), ', ')) as our_set,
        case claim_rules_parsed.rule_kind
            when 'number' then claim_rules_parsed.published_number
            when 'bound' then claim_rules_parsed.bound_value
            when 'direction' then claim_rules_parsed.bound_value
            when 'about' then (claim_rules_parsed.about_low + claim_rules_parsed.about_high) / 2
        end as published_value
    from claim_rules_parsed
    left join our_claim_measures
        on
            claim_rules_parsed.measure_id = our_claim_measures.measure_id
            and coalesce(claim_rules_parsed.fiscal_year_label, '') = our_claim_measures.fiscal_year_label
            and claim_rules_parsed.subject = our_claim_measures.subject
),

claim_checks as (
    select
        claim_results.*,
        case claim_results.rule_kind
            when 'number'
                then
                    abs(claim_results.our_value - claim_results.published_number)
                    <= claim_results.match_tolerance + 1e-9
            when 'about' then claim_results.our_value between claim_results.about_low and claim_results.about_high
            when 'set' then claim_results.our_set = claim_results.published_set
            when 'name' then claim_results.our_text = claim_results.published_text
            else case claim_results.bound_operator
                when '>=' then claim_results.our_value >= claim_results.bound_value
                when '>' then claim_results.our_value > claim_results.bound_value
                when '<=' then claim_results.our_value <= claim_results.bound_value
                when '<' then claim_results.our_value < claim_results.bound_value
            end
        end as is_match,
        case claim_results.rule_kind
            when 'number'
                then
                    abs(claim_results.our_value - claim_results.published_number)
                    <= claim_results.close_tolerance + 1e-9
            when 'about'
                then
                    claim_results.our_value
                    between claim_results.about_low - claim_results.close_within
                    and claim_results.about_high + claim_results.close_within
            when 'set'
                then
                    len(claim_results.our_set) = len(claim_results.published_set)
                    and len(list_intersect(claim_results.our_set, claim_results.published_set))
                    >= len(claim_results.published_set) - 1
            when 'name' then claim_results.our_distance_from_top <= 1 + 1e-9
            else case claim_results.bound_operator
                when '>=' then claim_results.our_value >= claim_results.bound_value - claim_results.close_off_by
                when '>' then claim_results.our_value > claim_results.bound_value - claim_results.close_off_by
                when '<=' then claim_results.our_value <= claim_results.bound_value + claim_results.close_off_by
                when '<' then claim_results.our_value < claim_results.bound_value + claim_results.close_off_by
            end
        end as is_close
    from claim_results
),

claim_rows as (
    select
        md5('text_claim|' || claim_id) as scorecard_key,
        'text_claim' as row_kind,
        claim_id,
        claim_kind,
        section as published_where,
        coalesce(measure_id, 'not_computable') as measure,
        rule_kind as comparison,
        cast(null as varchar) as domain,
        cast(null as varchar) as item_code,
        cast(null as varchar) as size_class,
        cast(null as varchar) as prefecture_code,
        try_cast(fiscal_year_label as integer) as fiscal_year,
        coalesce(fiscal_year_label, claim_fiscal_year) as fiscal_year_label,
        subject,
        published_value,
        published_text,
        our_value,
        coalesce(our_text, cast(round(our_value, 4) as varchar)) as our_text,
        our_value - published_value as diff,
        coalesce(match_tolerance, close_off_by, close_within) as tolerance,
        rule_text,
        rule_kind,
        case
            when rule_kind = 'not_computable' then 'not_computable'
            when our_value is null and our_text is null then 'no_value'
            when coalesce(is_match, false) then 'match'
            when coalesce(is_close, false) then 'close'
            else 'miss'
        end as status,
        case when rule_kind = 'not_computable' then claim_note end as not_computable_reason,
        known_difference,
        case when rule_kind = 'not_computable' then 'not_computable' else measure_input_basis end as input_basis,
        cast(null as double) as sample_share_pct
    from claim_checks
),

scored as (
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
        diff,
        tolerance,
        case comparison
            when 'lower_bound' then 'ours >= published - ' || tolerance
            when 'upper_bound' then 'ours <= published + ' || tolerance
            else '|d|<=' || tolerance
        end as rule_text,
        case when comparison in ('lower_bound', 'upper_bound') then 'bound' else 'number' end as rule_kind,
        case
            when our_value is null then 'no_value'
            when within_tolerance then 'match'
            else 'miss'
        end as status,
        within_tolerance,
        cast(null as varchar) as not_computable_reason,
        cast(null as varchar) as known_difference,
        input_basis,
        sample_share_pct
    from figure_rows

    union all

    select
        scorecard_key,
        row_kind,
        claim_id,
        claim_kind,
        published_where,
        measure,
        comparison,
        domain,
        item_code,
        size_class,
        prefecture_code,
        fiscal_year,
        fiscal_year_label,
        subject,
        published_value,
        published_text,
        our_value,
        our_text,
        diff,
        tolerance,
        rule_text,
        rule_kind,
        status,
        case when status = 'not_computable' then cast(null as boolean) else status in ('match', 'close') end
            as within_tolerance,
        not_computable_reason,
        known_difference,
        input_basis,
        sample_share_pct
    from claim_rows
),

-- Japanese labels for the codes a page shows, joined once, last
final as (
    select
        scored.*,
        coalesce(
            {{ code_label_ja('measure', 'scored.measure') }},
            case when scored.row_kind = 'text_claim' then '本文中の数値' end
        ) as measure_ja,
        case
            when scored.row_kind = 'text_claim' then {{ code_label_ja('rule_kind', 'scored.rule_kind') }}
            else {{ code_label_ja('comparison', 'scored.comparison') }}
        end as comparison_ja,
        {{ code_label_ja('input_basis', 'scored.input_basis') }} as input_basis_ja,
        {{ code_label_ja('status', 'scored.status') }} as status_ja,
        {{ code_label_ja('scorecard_row_kind', 'scored.row_kind') }} as row_kind_ja
    from scored
)

select * from final
