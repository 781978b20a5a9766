-- 再現スコアカード: every value the report publishes (seeds/published) beside ours, the
-- difference, the rule it is held to and what our value rests on (input_basis: official,
-- official_proxy, sample, mixed, incomplete, not_computable). Two kinds of row, each built by
-- its own model with its rule in the same columns: figure_table (int_scorecard_rows__figures,
-- held to cfg_scorecard_tolerances) and text_claim (int_scorecard_rows__claims, held to the
-- claim's own rule). Both are scored here with one rule: number, bound, about, name, set or
-- direction, a MATCH band and a CLOSE band (figure rows have no CLOSE band).
with

figure_rows as (
    select * from {{ ref('int_scorecard_rows__figures') }}
),

claim_rows as (
    select * from {{ ref('int_scorecard_rows__claims') }}
),

unioned as (
    select * from figure_rows
    union all
    select * from claim_rows
),

-- the one rule: MATCH band, then CLOSE band
checked as (
    select
        unioned.*,
        case unioned.rule_kind
            when 'number'
                then abs(unioned.our_value - unioned.published_number) <= unioned.match_tolerance + 1e-9
            when 'about' then unioned.our_value between unioned.about_low and unioned.about_high
            when 'set' then unioned.our_set = unioned.published_set
            when 'name' then unioned.our_text = unioned.published_text
            else case unioned.bound_operator
                when '>=' then unioned.our_value >= unioned.bound_value
                when '>' then unioned.our_value > unioned.bound_value
                when '<=' then unioned.our_value <= unioned.bound_value
                when '<' then unioned.our_value < unioned.bound_value
            end
        end as is_match,
        case unioned.rule_kind
            when 'number'
                then abs(unioned.our_value - unioned.published_number) <= unioned.close_tolerance + 1e-9
            when 'about'
                then
                    unioned.our_value
                    between unioned.about_low - unioned.close_within
                    and unioned.about_high + unioned.close_within
            when 'set'
                then
                    len(unioned.our_set) = len(unioned.published_set)
                    and len(list_intersect(unioned.our_set, unioned.published_set))
                    >= len(unioned.published_set) - 1
            when 'name' then unioned.our_distance_from_top <= 1 + 1e-9
            else case unioned.bound_operator
                when '>=' then unioned.our_value >= unioned.bound_value - unioned.close_off_by
                when '>' then unioned.our_value > unioned.bound_value - unioned.close_off_by
                when '<=' then unioned.our_value <= unioned.bound_value + unioned.close_off_by
                when '<' then unioned.our_value < unioned.bound_value + unioned.close_off_by
            end
        end as is_close
    from unioned
),

scored as (
    select
        *,
        case
            when rule_kind = 'not_computable' then 'not_computable'
            when our_value is null and our_text is null then 'no_value'
            when coalesce(is_match, false) then 'match'
            when coalesce(is_close, false) then 'close'
            else 'miss'
        end as status
    from checked
),

-- Japanese labels for the codes a page shows, joined once, last
final as (
    select
        scored.scorecard_key,
        scored.row_kind,
        scored.claim_id,
        scored.claim_kind,
        scored.published_where,
        scored.measure,
        scored.comparison,
        scored.domain,
        scored.item_code,
        scored.size_class,
        scored.prefecture_code,
        scored.fiscal_year,
        scored.fiscal_year_label,
        scored.subject,
        scored.published_value,
        scored.published_text,
        scored.our_value,
        scored.our_text,
        scored.our_value - scored.published_value as diff,
        scored.tolerance,
        scored.rule_text,
        scored.rule_kind,
        scored.status,
        case when scored.status != 'not_computable' then scored.status in ('match', 'close') end
            as within_tolerance,
        scored.not_computable_reason,
        scored.known_difference,
        scored.input_basis,
        scored.sample_share_pct,
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
