-- 本文中の数値: the measures behind the report's text claims (seeds/published/jri_text_claims.csv).
-- One row per (measure_id, fiscal_year_label, subject) that cfg_text_claim_measures asks for:
-- joint counts, pooled tallies and online rates, prefecture extremes and names, size-class minima,
-- and directional claims as signed differences. Every row says what it rests on (input_basis).
-- Subjects: item codes or '_domain_mean:<domain>' (a rate key), size classes, prefecture codes;
-- lists are ';'-separated, parts '|'-separated (see cfg_text_claim_measures).
with

wanted_claims as (
    select * from {{ ref('cfg_text_claim_measures') }}
),

rates_by_group as (
    select * from {{ ref('int_rates_by_group_labelled') }}
),

prefecture_ranges as (
    select * from {{ ref('rpt_fig05_09_13_15_prefecture_item_ranges') }}
),

tallies as (
    select * from {{ ref('rpt_fig04_08_12_achievement_tallies') }}
),

domain_scores as (
    select * from {{ ref('int_municipality_domain_scores') }}
),

facts as not materialized (
    -- each measure below reads the columns and rows it needs (not materialized: no copy of
    -- the facts)
    select * from {{ ref('fct_survey_answers') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

prefectures as (
    select * from {{ ref('dim_prefectures') }}
),

prefecture_deviation as (
    select * from {{ ref('rpt_fig17_23_prefecture_deviation') }}
),

municipality_deviation as (
    select * from {{ ref('rpt_municipality_deviation') }}
),

towns_villages as (
    select * from {{ ref('rpt_fig18_towns_villages_vs_overall') }}
),

card_correlations as (
    select * from {{ ref('rpt_fig19_mynumber_card_correlations') }}
),

-- the measures asked for, with the subject split into its parts
wanted as (
    select distinct
        measure_id,
        coalesce(fiscal_year_label, '') as fiscal_year_label,
        coalesce(subject, '') as subject,
        split_part(coalesce(subject, ''), '|', 1) as subject_a,
        split_part(coalesce(subject, ''), '|', 2) as subject_b,
        split_part(coalesce(subject, ''), '|', 3) as subject_c
    from wanted_claims
    where measure_id is not null
),

wanted_lists as (
    select
        wanted.*,
        string_split(wanted.subject_a, ';') as list_a,
        string_split(wanted.subject_b, ';') as list_b,
        string_split(wanted.subject_c, ';') as list_c
    from wanted
),

-- rates per group with a rate key: the item code, or _domain_mean:<domain>
rates as (
    select
        fiscal_year,
        case when item_code = '_domain_mean' then '_domain_mean:' || domain else item_code end as rate_key,
        domain,
        item_code,
        row_kind,
        group_type,
        group_code,
        rate_pct,
        input_basis
    from rates_by_group
),

ranges as (
    select
        fiscal_year,
        case when item_code = '_domain_mean' then '_domain_mean:' || domain else item_code end as rate_key,
        top_prefecture_name,
        top_rate_pct,
        bottom_rate_pct,
        gap_pt,
        input_basis
    from prefecture_ranges
),

-- per body and year: the flags the joint counts need and the pooled online procedures
body_flags as (
    select
        fiscal_year,
        municipality_code,
        bool_or(is_in_place) filter (where item_code = 'cross_department_structure') as has_cross_department,
        bool_or(is_in_place) filter (where item_code = 'dedicated_dx_unit') as has_dedicated_unit,
        bool_or(is_in_place) filter (where item_code = 'dx_master_plan') as has_master_plan,
        bool_or(is_in_place) filter (where item_code = 'website_evaluated') as has_website_evaluation,
        sum(value_numeric) filter (
            where item_code in ('procedures_high_volume_online', 'procedures_life_events_online')
        ) as n_procedures_online,
        sum(value_numeric) filter (
            where item_code in ('procedures_high_volume_existing', 'procedures_life_events_existing')
        ) as n_procedures_existing,
        bool_or(is_sample) filter (
            where item_code in (
                'cross_department_structure', 'dedicated_dx_unit', 'dx_master_plan', 'website_evaluated'
            )
        ) as flags_sample,
        bool_and(is_sample) filter (
            where item_code in (
                'cross_department_structure', 'dedicated_dx_unit', 'dx_master_plan', 'website_evaluated'
            )
        ) as flags_all_sample,
        bool_or(is_sample) filter (where item_code like 'procedures_%') as procedures_sample,
        bool_and(is_sample) filter (where item_code like 'procedures_%') as procedures_all_sample
    from facts
    where
        item_code in (
            'cross_department_structure', 'dedicated_dx_unit', 'dx_master_plan', 'website_evaluated',
            'procedures_high_volume_online', 'procedures_life_events_online',
            'procedures_high_volume_existing', 'procedures_life_events_existing'
        )
    group by 1, 2
),

body_pooled_online as (
    select
        fiscal_year,
        municipality_code,
        100.0 * n_procedures_online / nullif(n_procedures_existing, 0) as pooled_online_rate_pct,
        procedures_sample,
        procedures_all_sample
    from body_flags
),

pooled_max as (
    select
        fiscal_year,
        max(pooled_online_rate_pct) as max_rate_pct
    from body_pooled_online
    group by 1
),

-- 1. reference facts and definitions -------------------------------------------------------
definition_rows as (
    select
        'n_prefectures' as measure_id,
        '' as fiscal_year_label,
        '' as subject,
        count(*)::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        'official' as input_basis
    from prefectures

    union all

    select
        'substituted_bodies' as measure_id,
        (facts.fiscal_year)::varchar as fiscal_year_label,
        '' as subject,
        count(distinct facts.municipality_code)::double as value_num,
        '{'
        || string_agg(distinct municipalities.municipality_name, ', ' order by municipalities.municipality_name)
        || '}'
            as value_text,
        null::double as value_aux,
        'official' as input_basis
    from facts
    inner join municipalities
        on facts.municipality_code = municipalities.municipality_code
    where facts.is_substituted
    group by 1, 2, 3

    union all

    select
        measure_id,
        '2021;2023' as fiscal_year_label,
        subject,
        case when min(n_items) = max(n_items) then min(n_items)::double end as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        'official' as input_basis
    from (
        select
            'n_domain_mean_items' as measure_id,
            domain as subject,
            fiscal_year,
            count(distinct item_code) filter (where in_domain_mean and value_type = 'flag') as n_items
        from facts
        group by 1, 2, 3
        union all
        select
            'n_reference_items' as measure_id,
            domain as subject,
            fiscal_year,
            count(distinct item_code) filter (where not in_domain_mean and value_type = 'flag') as n_items
        from facts
        group by 1, 2, 3
        union all
        select
            'n_tally_items' as measure_id,
            'total_23_items' as subject,
            fiscal_year,
            count(distinct item_code) filter (where in_tallies) as n_items
        from facts
        group by 1, 2, 3
    ) as per_year
    where fiscal_year in (2021, 2023)
    group by 1, 2, 3

    union all

    select
        'max_procedures_existing' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        item_code as subject,
        max(value_numeric) as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        case when bool_and(is_sample) then 'sample' when bool_or(is_sample) then 'mixed' else 'official' end
            as input_basis
    from facts
    where item_code in ('procedures_high_volume_existing', 'procedures_life_events_existing')
    group by 1, 2, 3

    union all

    select
        population_bounds.measure_id,
        '' as fiscal_year_label,
        municipalities.size_class as subject,
        case population_bounds.measure_id
            when 'size_class_min_population' then min(municipalities.population)
            else max(municipalities.population)
        end::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        'official' as input_basis
    from municipalities
    cross join (values ('size_class_min_population'), ('size_class_max_population')) as population_bounds (measure_id)
    group by 1, 2, 3
),

-- 2. rates of one group: items and domain means, nationally or per size class ---------------
rate_rows as (
    select
        'item_rate_pct' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        rate_key as subject,
        rate_pct as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        input_basis
    from rates
    where group_type = 'all'

    union all

    select
        'domain_rate_pct' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        domain || '|' || group_code as subject,
        rate_pct as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        input_basis
    from rates
    where group_type in ('all', 'size_class') and row_kind = 'domain_mean'

    union all

    select
        'prefecture_rate_pct' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        rate_key || '|' || group_code as subject,
        rate_pct as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        input_basis
    from rates
    where group_type = 'prefecture'
),

-- 3. changes 2021 → 2023 and class spreads --------------------------------------------------
rate_change_rows as (
    select
        'item_rate_change_pt' as measure_id,
        '2021→2023' as fiscal_year_label,
        later.rate_key as subject,
        later.rate_pct - earlier.rate_pct as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        case when later.input_basis = earlier.input_basis then later.input_basis else 'mixed' end as input_basis
    from rates as later
    inner join rates as earlier
        on
            later.rate_key = earlier.rate_key
            and later.group_type = earlier.group_type
            and later.group_code = earlier.group_code
            and later.fiscal_year = 2023
            and earlier.fiscal_year = 2021
    where later.group_type = 'all'

    union all

    select
        'domain_rate_change_pt' as measure_id,
        '2021→2023' as fiscal_year_label,
        later.domain as subject,
        later.rate_pct - earlier.rate_pct as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        case when later.input_basis = earlier.input_basis then later.input_basis else 'mixed' end as input_basis
    from rates as later
    inner join rates as earlier
        on
            later.rate_key = earlier.rate_key
            and later.group_type = earlier.group_type
            and later.group_code = earlier.group_code
            and later.fiscal_year = 2023
            and earlier.fiscal_year = 2021
    where later.group_type = 'all' and later.row_kind = 'domain_mean'

    union all

    select
        'min_city_class_rate_change_pt' as measure_id,
        '2021→2023' as fiscal_year_label,
        later.rate_key as subject,
        min(later.rate_pct - earlier.rate_pct) as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        {{ combine_input_basis('later.input_basis') }} as input_basis
    from rates as later
    inner join rates as earlier
        on
            later.rate_key = earlier.rate_key
            and later.group_type = earlier.group_type
            and later.group_code = earlier.group_code
            and later.fiscal_year = 2023
            and earlier.fiscal_year = 2021
    where
        later.group_type = 'size_class'
        and later.group_code in ('designated_city', 'core_city', 'large_city', 'mid_city', 'small_city')
    group by 1, 2, 3

    union all

    select
        'size_class_rate_range_pt' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        rate_key as subject,
        max(rate_pct) - min(rate_pct) as value_num,
        null::varchar as value_text,
        null::double as value_aux,
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
        null::double as value_aux,
        {{ combine_input_basis('input_basis') }} as input_basis
    from rates
    where group_type = 'size_class' and row_kind = 'item'
    group by 1, 2, 3
),

domain_change_difference_rows as (
    select
        'domain_rate_change_difference_pt' as measure_id,
        '2021→2023' as fiscal_year_label,
        wanted.subject,
        first_change.value_num - second_change.value_num as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        case
            when first_change.input_basis = second_change.input_basis then first_change.input_basis
            else 'mixed'
        end as input_basis
    from wanted
    inner join rate_change_rows as first_change
        on
            first_change.measure_id = 'domain_rate_change_pt'
            and wanted.subject_a = first_change.subject
    inner join rate_change_rows as second_change
        on
            second_change.measure_id = 'domain_rate_change_pt'
            and wanted.subject_b = second_change.subject
    where wanted.measure_id = 'domain_rate_change_difference_pt'
),

-- 4. size-class orderings (sets) -------------------------------------------------------------
class_order_rows as (
    select
        'lowest_two_size_classes' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        domain as subject,
        null::double as value_num,
        '{' || string_agg(group_code, ', ' order by group_code) filter (where class_rank <= 2) || '}' as value_text,
        null::double as value_aux,
        {{ combine_input_basis('input_basis') }} as input_basis
    from (
        select
            *,
            row_number() over (partition by fiscal_year, domain order by rate_pct asc, group_code asc) as class_rank
        from rates
        where group_type = 'size_class' and row_kind = 'domain_mean'
    ) as ranked_classes
    group by 1, 2, 3

    union all

    select
        'items_with_two_largest_class_gaps' as measure_id,
        fiscal_year_label,
        subject,
        null::double as value_num,
        '{' || string_agg(rate_key, ', ' order by rate_key) filter (where gap_rank <= 2) || '}' as value_text,
        null::double as value_aux,
        {{ combine_input_basis('input_basis') }} as input_basis
    from (
        select
            wanted_lists.fiscal_year_label,
            wanted_lists.subject,
            class_gaps.rate_key,
            class_gaps.input_basis,
            row_number() over (
                partition by wanted_lists.fiscal_year_label, wanted_lists.subject
                order by class_gaps.value_num desc, class_gaps.rate_key asc
            ) as gap_rank
        from wanted_lists
        inner join (
            select
                fiscal_year::varchar as fiscal_year_label,
                rate_key,
                max(rate_pct) - min(rate_pct) as value_num,
                {{ combine_input_basis('input_basis') }} as input_basis
            from rates
            where group_type = 'size_class'
            group by 1, 2
        ) as class_gaps
            on
                wanted_lists.fiscal_year_label = class_gaps.fiscal_year_label
                and list_contains(wanted_lists.list_a, class_gaps.rate_key)
        where wanted_lists.measure_id = 'items_with_two_largest_class_gaps'
    ) as ranked_items
    group by 1, 2, 3
),

-- 5. achievement tallies: shares and the 2023/2021 ratio --------------------------------------
tally_rows as (
    select
        share_measures.measure_id,
        (tallies.fiscal_year)::varchar as fiscal_year_label,
        tallies.domain || '|' || tallies.size_class as subject,
        case share_measures.measure_id
            when 'all_items_share_pct' then 100.0 * tallies.all_items_achieved / nullif(tallies.n_bodies, 0)
            else 100.0 * tallies.no_item_achieved / nullif(tallies.n_bodies, 0)
        end as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        tallies.input_basis
    from tallies
    cross join (values ('all_items_share_pct'), ('no_item_share_pct')) as share_measures (measure_id)

    union all

    select
        'all_items_count_ratio' as measure_id,
        '2021→2023' as fiscal_year_label,
        later.domain || '|' || later.size_class as subject,
        later.all_items_achieved / nullif(earlier.all_items_achieved, 0) as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        case when later.input_basis = earlier.input_basis then later.input_basis else 'mixed' end as input_basis
    from tallies as later
    inner join tallies as earlier
        on
            later.domain = earlier.domain
            and later.size_class = earlier.size_class
            and later.fiscal_year = 2023
            and earlier.fiscal_year = 2021
),

-- 6. prefecture extremes per item: gaps, top and bottom rates, their changes ------------------
range_rows as (
    select
        range_measures.measure_id,
        (ranges.fiscal_year)::varchar as fiscal_year_label,
        ranges.rate_key as subject,
        case range_measures.measure_id
            when 'item_prefecture_gap_pt' then ranges.gap_pt
            when 'top_prefecture_rate_pct' then ranges.top_rate_pct
            else ranges.bottom_rate_pct
        end as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        ranges.input_basis
    from ranges
    cross join (
        values ('item_prefecture_gap_pt'), ('top_prefecture_rate_pct'), ('bottom_prefecture_rate_pct')
    ) as range_measures (measure_id)

    union all

    select
        'item_prefecture_gap_change_pt' as measure_id,
        '2021→2023' as fiscal_year_label,
        later.rate_key as subject,
        later.gap_pt - earlier.gap_pt as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        case when later.input_basis = earlier.input_basis then later.input_basis else 'mixed' end as input_basis
    from ranges as later
    inner join ranges as earlier
        on
            later.rate_key = earlier.rate_key
            and later.fiscal_year = 2023
            and earlier.fiscal_year = 2021
),

-- gaps over a list of items: smallest, largest, their changes, one item against the others
range_list_rows as (
    select
        wanted_lists.measure_id,
        wanted_lists.fiscal_year_label,
        wanted_lists.subject,
        case wanted_lists.measure_id
            when 'min_item_prefecture_gap_pt' then min(gaps.value_num)
            when 'max_item_prefecture_gap_pt' then max(gaps.value_num)
            else
                max(gaps.value_num) filter (where gaps.subject = wanted_lists.subject_b)
                - min(gaps.value_num) filter (where gaps.subject != wanted_lists.subject_b)
        end as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        {{ combine_input_basis('gaps.input_basis') }} as input_basis
    from wanted_lists
    inner join range_rows as gaps
        on
            gaps.measure_id = 'item_prefecture_gap_pt'
            and wanted_lists.fiscal_year_label = gaps.fiscal_year_label
            and list_contains(wanted_lists.list_a, gaps.subject)
    where
        wanted_lists.measure_id in (
            'min_item_prefecture_gap_pt', 'max_item_prefecture_gap_pt', 'gap_minus_smallest_other_gap_pt'
        )
    group by 1, 2, 3

    union all

    select
        wanted_lists.measure_id,
        wanted_lists.fiscal_year_label,
        wanted_lists.subject,
        case wanted_lists.measure_id
            when 'max_item_gap_change_pt' then max(later.gap_pt - earlier.gap_pt)
            -- min(change of the smallest gap, change of the largest gap)
            else least(
                min(later.gap_pt) - min(earlier.gap_pt),
                max(later.gap_pt) - max(earlier.gap_pt)
            )
        end as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        {{ combine_input_basis('later.input_basis') }} as input_basis
    from wanted_lists
    inner join ranges as later
        on list_contains(wanted_lists.list_a, later.rate_key) and later.fiscal_year = 2023
    inner join ranges as earlier
        on later.rate_key = earlier.rate_key and earlier.fiscal_year = 2021
    where wanted_lists.measure_id in ('max_item_gap_change_pt', 'min_change_of_gap_range_pt')
    group by 1, 2, 3
),

-- 7. prefectures: counts at 0% / 100%, names on top, named prefectures ------------------------
prefecture_rates as (
    select
        rates.fiscal_year,
        (rates.fiscal_year)::varchar as fiscal_year_label,
        rates.rate_key,
        rates.group_code as prefecture_code,
        prefectures.prefecture_name,
        rates.rate_pct,
        rates.input_basis
    from rates
    inner join prefectures
        on rates.group_code = prefectures.prefecture_code
    where rates.group_type = 'prefecture'
),

prefecture_ranked as (
    -- ranks within a year and rate key, for the years and rate keys a claim below asks about
    -- (whole partitions are kept, so a rank is the rank among every prefecture)
    select
        prefecture_rates.*,
        row_number() over (
            partition by prefecture_rates.fiscal_year, prefecture_rates.rate_key
            order by prefecture_rates.rate_pct desc, prefecture_rates.prefecture_code asc
        ) as rank_from_top,
        row_number() over (
            partition by prefecture_rates.fiscal_year, prefecture_rates.rate_key
            order by prefecture_rates.rate_pct asc, prefecture_rates.prefecture_code asc
        ) as rank_from_bottom
    from prefecture_rates
    semi join wanted_lists
        on
            prefecture_rates.fiscal_year_label = wanted_lists.fiscal_year_label
            and prefecture_rates.rate_key = wanted_lists.subject_a
            and wanted_lists.measure_id in (
                'top_prefecture_name', 'top_prefecture_names', 'min_prefecture_rate_pct', 'n_bottom_prefectures_in_set'
            )
),

prefecture_count_rows as (
    select
        'n_prefectures_at_0_pct' as measure_id,
        fiscal_year_label,
        rate_key as subject,
        count(*) filter (where rate_pct <= 1e-9)::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        {{ combine_input_basis('input_basis') }} as input_basis
    from prefecture_rates
    group by 1, 2, 3

    union all

    select
        'n_prefectures_at_100_pct' as measure_id,
        fiscal_year_label,
        rate_key as subject,
        count(*) filter (where rate_pct >= 100 - 1e-9)::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        {{ combine_input_basis('input_basis') }} as input_basis
    from prefecture_rates
    group by 1, 2, 3
),

prefecture_list_rows as (
    select
        wanted_lists.measure_id,
        wanted_lists.fiscal_year_label,
        wanted_lists.subject,
        case wanted_lists.measure_id
            when 'top_prefecture_name' then max(prefecture_rates.rate_pct)
            when 'min_prefecture_rate_pct'
                then min(prefecture_rates.rate_pct) filter (
                    where list_contains(wanted_lists.list_b, prefecture_rates.prefecture_code)
                )
            when 'n_bottom_prefectures_in_set' then count(*) filter (
                where prefecture_rates.rank_from_bottom <= try_cast(wanted_lists.subject_b as integer)
                and list_contains(wanted_lists.list_c, prefecture_rates.prefecture_code)
            )
        end::double as value_num,
        case wanted_lists.measure_id
            when 'top_prefecture_name'
                then min(prefecture_rates.prefecture_name) filter (
                    where prefecture_rates.rank_from_top = 1
                )
            when
                'top_prefecture_names'
                then
                    '{'
                    || string_agg(
                        prefecture_rates.prefecture_name, ', ' order by prefecture_rates.prefecture_name
                    ) filter (
                        where prefecture_rates.rank_from_top <= try_cast(wanted_lists.subject_b as integer)
                    ) || '}'
        end as value_text,
        -- for a named prefecture: how far it is below the top (the CLOSE band of name claims)
        max(prefecture_rates.rate_pct) - max(prefecture_rates.rate_pct) filter (
            where prefecture_rates.prefecture_code = wanted_lists.subject_b
        ) as value_aux,
        {{ combine_input_basis('prefecture_rates.input_basis') }} as input_basis
    from wanted_lists
    inner join prefecture_ranked as prefecture_rates
        on
            wanted_lists.fiscal_year_label = prefecture_rates.fiscal_year_label
            and wanted_lists.subject_a = prefecture_rates.rate_key
    where
        wanted_lists.measure_id in (
            'top_prefecture_name', 'top_prefecture_names', 'min_prefecture_rate_pct', 'n_bottom_prefectures_in_set'
        )
    group by 1, 2, 3
),

-- 8. joint counts of bodies ------------------------------------------------------------------
joint_count_rows as (
    select
        joint.measure_id,
        (body_flags.fiscal_year)::varchar as fiscal_year_label,
        '' as subject,
        case joint.measure_id
            when 'n_cross_department_without_dedicated_unit'
                then count(*) filter (where body_flags.has_cross_department and not body_flags.has_dedicated_unit)
            when 'cross_department_without_dedicated_unit_share_pct'
                then 100.0 * count(*) filter (
                    where body_flags.has_cross_department and not body_flags.has_dedicated_unit
                ) / nullif(count(*) filter (where body_flags.has_cross_department), 0)
            else count(*) filter (where body_flags.has_master_plan and not body_flags.has_website_evaluation)
        end::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        case
            when bool_and(body_flags.flags_all_sample) then 'sample'
            when bool_or(body_flags.flags_sample) then 'mixed'
            else 'official'
        end as input_basis
    from body_flags
    cross join (
        values
        ('n_cross_department_without_dedicated_unit'),
        ('cross_department_without_dedicated_unit_share_pct'),
        ('n_master_plan_without_website_evaluation')
    ) as joint (measure_id)
    group by 1, 2, 3
),

-- 8b. the 2023 questions asked of bodies with a master plan (roadmap, KPIs) ----------------
plan_followup_bodies as (
    select
        followup.fiscal_year,
        followup.municipality_code,
        followup.item_code,
        followup.is_in_place,
        followup.is_sample,
        plan.is_in_place as has_master_plan,
        plan.is_sample as plan_is_sample
    from facts as followup
    inner join facts as plan
        on
            followup.municipality_code = plan.municipality_code
            and followup.fiscal_year = plan.fiscal_year
            and plan.item_code = 'dx_master_plan'
    where followup.domain = 'dx_plan_management'
),

plan_followup_rows as (
    select
        followup_measures.measure_id,
        (plan_followup_bodies.fiscal_year)::varchar as fiscal_year_label,
        plan_followup_bodies.item_code as subject,
        case followup_measures.measure_id
            when 'n_master_plan_bodies_with_item'
                then count(*) filter (where plan_followup_bodies.has_master_plan and plan_followup_bodies.is_in_place)
            else
                100.0 * count(*) filter (
                    where plan_followup_bodies.has_master_plan and plan_followup_bodies.is_in_place
                ) / nullif(count(*) filter (where plan_followup_bodies.has_master_plan), 0)
        end::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        case
            when bool_and(plan_followup_bodies.is_sample and plan_followup_bodies.plan_is_sample) then 'sample'
            when bool_or(plan_followup_bodies.is_sample or plan_followup_bodies.plan_is_sample) then 'mixed'
            else 'official'
        end as input_basis
    from plan_followup_bodies
    cross join (
        values ('n_master_plan_bodies_with_item'), ('item_share_among_master_plan_pct')
    ) as followup_measures (measure_id)
    group by 1, 2, 3
),

-- 9. pooled online procedures ((1)+(2) online / (1)+(2) existing) per body --------------------
pooled_online_rows as (
    select
        pooled.measure_id,
        (body_pooled_online.fiscal_year)::varchar as fiscal_year_label,
        '' as subject,
        case pooled.measure_id
            when 'max_pooled_online_rate_pct' then max(body_pooled_online.pooled_online_rate_pct)
            when 'n_bodies_pooled_online_rate_zero'
                then count(*) filter (where body_pooled_online.pooled_online_rate_pct = 0)
            else count(*) filter (
                where round(body_pooled_online.pooled_online_rate_pct, 1) = round(pooled_max.max_rate_pct, 1)
            )
        end::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        case
            when bool_and(body_pooled_online.procedures_all_sample) then 'sample'
            when bool_or(body_pooled_online.procedures_sample) then 'mixed'
            else 'official'
        end as input_basis
    from body_pooled_online
    inner join pooled_max
        on body_pooled_online.fiscal_year = pooled_max.fiscal_year
    cross join (
        values
        ('max_pooled_online_rate_pct'),
        ('n_bodies_pooled_online_rate_zero'),
        ('n_bodies_at_max_pooled_online_rate')
    ) as pooled (measure_id)
    group by 1, 2, 3
),

-- 10. the pooled 23-item tally per body ------------------------------------------------------
tally_bodies as (
    select
        domain_scores.fiscal_year,
        domain_scores.municipality_code,
        municipalities.size_class,
        domain_scores.n_items_in_place,
        domain_scores.n_tally_items,
        domain_scores.has_all_items,
        domain_scores.n_official_inputs,
        domain_scores.n_sample_inputs,
        domain_scores.n_missing_inputs,
        domain_scores.n_proxy_inputs
    from domain_scores
    inner join municipalities
        on domain_scores.municipality_code = municipalities.municipality_code
    where domain_scores.domain = 'total_23_items'
),

tally_max as (
    select
        fiscal_year,
        max(n_items_in_place) as max_items
    from tally_bodies
    group by 1
),

pooled_tally_rows as (
    select
        wanted_lists.measure_id,
        wanted_lists.fiscal_year_label,
        wanted_lists.subject,
        case wanted_lists.measure_id
            when 'n_bodies_with_all_tally_items' then count(*) filter (where tally_bodies.has_all_items)
            when 'max_tally_items_in_place' then max(tally_bodies.n_items_in_place)
            else count(*) filter (where tally_bodies.n_items_in_place = tally_max.max_items)
        end::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        case
            when sum(tally_bodies.n_missing_inputs) > 0 then 'incomplete'
            when sum(tally_bodies.n_sample_inputs) = 0 then 'official'
            when sum(tally_bodies.n_official_inputs) = 0 then 'sample'
            else 'mixed'
        end as input_basis
    from wanted_lists
    inner join tally_bodies
        on
            wanted_lists.fiscal_year_label = (tally_bodies.fiscal_year)::varchar
            and (wanted_lists.subject = '' or list_contains(wanted_lists.list_a, tally_bodies.size_class))
    inner join tally_max
        on tally_bodies.fiscal_year = tally_max.fiscal_year
    where
        wanted_lists.measure_id in (
            'n_bodies_with_all_tally_items', 'max_tally_items_in_place', 'n_bodies_at_max_tally_items'
        )
    group by 1, 2, 3
),

-- 11. overall deviation scores of prefectures and municipalities ------------------------------
overall_scores as (
    select
        fiscal_year,
        prefecture_code,
        deviation_score,
        input_basis,
        row_number() over (partition by fiscal_year order by deviation_score desc, prefecture_code asc)
            as rank_from_top
    from prefecture_deviation
    where domain = 'overall_excl_mynumber'
),

overall_rows as (
    select
        wanted_lists.measure_id,
        wanted_lists.fiscal_year_label,
        wanted_lists.subject,
        case wanted_lists.measure_id
            when 'mean_overall_score'
                then {{ exact_avg_filtered(
                    'overall_scores.deviation_score',
                    'list_contains(wanted_lists.list_a, overall_scores.prefecture_code)',
                ) }}
            when 'n_prefectures_overall_below_50'
                then count(*) filter (
                    where list_contains(wanted_lists.list_a, overall_scores.prefecture_code)
                    and overall_scores.deviation_score < 50
                )
            when 'n_prefectures_in_top' then count(*) filter (
                where list_contains(wanted_lists.list_b, overall_scores.prefecture_code)
                and overall_scores.rank_from_top <= try_cast(wanted_lists.subject_a as integer)
            )
        end::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        {{ combine_input_basis('overall_scores.input_basis') }} as input_basis
    from wanted_lists
    inner join overall_scores
        on wanted_lists.fiscal_year_label = (overall_scores.fiscal_year)::varchar
    where wanted_lists.measure_id in ('mean_overall_score', 'n_prefectures_overall_below_50', 'n_prefectures_in_top')
    group by 1, 2, 3

    union all

    select
        'mean_overall_score_change' as measure_id,
        '2021→2023' as fiscal_year_label,
        wanted_lists.subject,
        {{ exact_avg_filtered('overall_scores.deviation_score', 'overall_scores.fiscal_year = 2023') }}
        - {{ exact_avg_filtered('overall_scores.deviation_score', 'overall_scores.fiscal_year = 2021') }} as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        {{ combine_input_basis('overall_scores.input_basis') }} as input_basis
    from wanted_lists
    inner join overall_scores
        on list_contains(wanted_lists.list_a, overall_scores.prefecture_code)
    where wanted_lists.measure_id = 'mean_overall_score_change'
    group by 1, 2, 3
),

overall_mean_check_rows as (
    select
        'max_overall_minus_mean_of_five' as measure_id,
        '2021;2023' as fiscal_year_label,
        '' as subject,
        max(abs(overall_vs_domains.overall_score - overall_vs_domains.mean_of_domains)) as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        {{ combine_input_basis('overall_vs_domains.input_basis') }} as input_basis
    from (
        select
            fiscal_year,
            prefecture_code,
            max(deviation_score) filter (where domain = 'overall_excl_mynumber') as overall_score,
            {{ exact_avg_filtered(
                'deviation_score',
                "domain in ('dx_governance', 'service_advancement', 'service_improvement', "
                ~ "'online_high_volume', 'online_life_events')",
            ) }} as mean_of_domains,
            max(input_basis) filter (where domain = 'overall_excl_mynumber') as input_basis
        from prefecture_deviation
        group by 1, 2
    ) as overall_vs_domains
),

municipality_overall_ranked as (
    select
        municipality_deviation.fiscal_year,
        municipality_deviation.municipality_code,
        municipality_deviation.size_class,
        municipality_deviation.input_basis,
        row_number() over (
            partition by municipality_deviation.fiscal_year
            order by municipality_deviation.deviation_score desc, municipality_deviation.municipality_code asc
        ) as rank_from_top
    from municipality_deviation
    -- the years a claim asks about (whole years are kept, so a rank is the rank among every body)
    semi join wanted_lists
        on
            (municipality_deviation.fiscal_year)::varchar = wanted_lists.fiscal_year_label
            and wanted_lists.measure_id = 'n_towns_villages_in_top_municipalities'
    where municipality_deviation.domain = 'overall_excl_mynumber' and municipality_deviation.deviation_score is not null
),

municipality_overall_rows as (
    select
        wanted_lists.measure_id,
        wanted_lists.fiscal_year_label,
        wanted_lists.subject,
        count(*) filter (
            where municipality_overall_ranked.size_class in ('town', 'village')
        )::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        {{ combine_input_basis('municipality_overall_ranked.input_basis') }} as input_basis
    from wanted_lists
    inner join municipality_overall_ranked
        on
            wanted_lists.fiscal_year_label = (municipality_overall_ranked.fiscal_year)::varchar
            and municipality_overall_ranked.rank_from_top <= try_cast(wanted_lists.subject_a as integer)
    where wanted_lists.measure_id = 'n_towns_villages_in_top_municipalities'
    group by 1, 2, 3
),

-- 12. correlations (figures 18 and 19) --------------------------------------------------------
correlation_rows as (
    select
        'towns_villages_overall_r' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        '' as subject,
        max(pearson_r_in_year) as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        {{ combine_input_basis('input_basis') }} as input_basis
    from towns_villages
    group by 1, 2, 3

    union all

    select
        'card_overall_r' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        level as subject,
        pearson_r as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        case when overall_basis = card_basis then overall_basis else 'mixed' end as input_basis
    from card_correlations
),

all_measures as (
    select * from definition_rows
    union all
    select * from rate_rows
    union all
    select * from rate_change_rows
    union all
    select * from domain_change_difference_rows
    union all
    select * from class_order_rows
    union all
    select * from tally_rows
    union all
    select * from range_rows
    union all
    select * from range_list_rows
    union all
    select * from prefecture_count_rows
    union all
    select * from prefecture_list_rows
    union all
    select * from joint_count_rows
    union all
    select * from plan_followup_rows
    union all
    select * from pooled_online_rows
    union all
    select * from pooled_tally_rows
    union all
    select * from overall_rows
    union all
    select * from overall_mean_check_rows
    union all
    select * from municipality_overall_rows
    union all
    select * from correlation_rows
),

final as (
    select
        wanted.measure_id,
        wanted.fiscal_year_label,
        wanted.subject,
        all_measures.value_num,
        all_measures.value_text,
        all_measures.value_aux,
        coalesce(all_measures.input_basis, 'incomplete') as input_basis
    from wanted
    left join all_measures
        on
            wanted.measure_id = all_measures.measure_id
            and wanted.fiscal_year_label = all_measures.fiscal_year_label
            and wanted.subject = all_measures.subject
)

select * from final
