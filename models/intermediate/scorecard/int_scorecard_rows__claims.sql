-- 再現スコアカード、本文の行: every text claim of the report (seeds/published jri_text_claims)
-- beside the measure that answers it (cfg_text_claim_measures, values from
-- int_claim_measures), with the claim's rule parsed from its text into the scorecard's rule
-- columns: number, bound, about, name, set or direction, a MATCH band and a CLOSE band (or none).
-- A claim with no measure or rule n/a is not_computable. rpt_reproduction_scorecard scores these
-- rows and the figure rows with one rule.
with

published_claims as (
    select * from {{ ref('jri_text_claims') }}
),

claim_measure_map as (
    select * from {{ ref('cfg_text_claim_measures') }}
),

our_claim_measures as (
    select * from {{ ref('int_claim_measures') }}
),

-- the rule parsed from its text (MATCH band; CLOSE band or no CLOSE)
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
        our_claim_measures.value_text as our_value_text,
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

final as (
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
        coalesce(our_value_text, cast(round(our_value, 4) as varchar)) as our_text,
        coalesce(match_tolerance, close_off_by, close_within) as tolerance,
        rule_text,
        rule_kind,
        bound_operator,
        bound_value,
        published_number,
        match_tolerance,
        close_tolerance,
        close_off_by,
        close_within,
        about_low,
        about_high,
        published_set,
        our_set,
        our_distance_from_top,
        case when rule_kind = 'not_computable' then claim_note end as not_computable_reason,
        known_difference,
        case when rule_kind = 'not_computable' then 'not_computable' else measure_input_basis end as input_basis,
        cast(null as double) as sample_share_pct
    from claim_results
)

select * from final
