-- 本文中の数値、規模区分の順位 (family class_orders): sets named by an ordering over the size
-- classes — the two size classes with the lowest domain mean (subject: domain), and among a
-- list of items (subject: rate keys, ';'-separated) the two with the largest spread over the size
-- classes. Ties go to the first code, so builds agree. Sets are '{a, b}' in value_text.
with

rates as (
    select * from {{ ref('int_claim_rates') }}
    where group_type = 'size_class'
),

wanted as (
    select * from {{ ref('int_claim_measures_wanted') }}
    where measure_id = 'items_with_two_largest_class_gaps'
),

ranked_classes as (
    select
        *,
        row_number() over (partition by fiscal_year, domain order by rate_pct asc, group_code asc) as class_rank
    from rates
    where row_kind = 'domain_mean'
),

lowest_classes_rows as (
    select
        'lowest_two_size_classes' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        domain as subject,
        '{' || string_agg(group_code, ', ' order by group_code) filter (where class_rank <= 2) || '}' as value_text,
        {{ combine_input_basis('input_basis') }} as input_basis
    from ranked_classes
    group by 1, 2, 3
),

class_gaps as (
    select
        fiscal_year::varchar as fiscal_year_label,
        rate_key,
        max(rate_pct) - min(rate_pct) as gap_pt,
        {{ combine_input_basis('input_basis') }} as input_basis
    from rates
    group by 1, 2
),

ranked_items as (
    select
        wanted.fiscal_year_label,
        wanted.subject,
        class_gaps.rate_key,
        class_gaps.input_basis,
        row_number() over (
            partition by wanted.fiscal_year_label, wanted.subject
            order by class_gaps.gap_pt desc, class_gaps.rate_key asc
        ) as gap_rank
    from wanted
    inner join class_gaps
        on
            wanted.fiscal_year_label = class_gaps.fiscal_year_label
            and list_contains(wanted.list_a, class_gaps.rate_key)
),

largest_gaps_rows as (
    select
        'items_with_two_largest_class_gaps' as measure_id,
        fiscal_year_label,
        subject,
        '{' || string_agg(rate_key, ', ' order by rate_key) filter (where gap_rank <= 2) || '}' as value_text,
        {{ combine_input_basis('input_basis') }} as input_basis
    from ranked_items
    group by 1, 2, 3
),

unioned as (
    select * from lowest_classes_rows
    union all
    select * from largest_gaps_rows
),

final as (
    select
        'class_orders' as measure_family,
        measure_id,
        fiscal_year_label,
        subject,
        null::double as value_num,
        value_text,
        null::double as value_aux,
        input_basis
    from unioned
)

select * from final
