-- 本文中の数値、都道府県の順位と名前 (family prefecture_ranks): per item or domain mean (subject: rate
-- key) and year, the number of prefectures at 0% and at 100%; and for the claims that name
-- prefectures (subject: rate key|N or codes|codes): the top prefecture's name (value_aux: how far
-- the named prefecture is below the top), the names of the top N, the lowest rate among named
-- prefectures, how many of a set are among the bottom N. Ties go to the lower prefecture code.
with

prefecture_rates as (
    select * from {{ ref('int_claim_prefecture_rates') }}
),

wanted as (
    select * from {{ ref('int_claim_measures_wanted') }}
    where
        measure_id in (
            'top_prefecture_name', 'top_prefecture_names', 'min_prefecture_rate_pct', 'n_bottom_prefectures_in_set'
        )
),

prefecture_ranked as (
    -- ranks within a year and rate key, for the years and rate keys a claim asks about
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
    semi join wanted
        on
            prefecture_rates.fiscal_year_label = wanted.fiscal_year_label
            and prefecture_rates.rate_key = wanted.subject_a
),

count_rows as (
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

list_rows as (
    select
        wanted.measure_id,
        wanted.fiscal_year_label,
        wanted.subject,
        case wanted.measure_id
            when 'top_prefecture_name' then max(prefecture_ranked.rate_pct)
            when 'min_prefecture_rate_pct'
                then min(prefecture_ranked.rate_pct) filter (
                    where list_contains(wanted.list_b, prefecture_ranked.prefecture_code)
                )
            when 'n_bottom_prefectures_in_set' then count(*) filter (
                where prefecture_ranked.rank_from_bottom <= try_cast(wanted.subject_b as integer)
                and list_contains(wanted.list_c, prefecture_ranked.prefecture_code)
            )
        end::double as value_num,
        case wanted.measure_id
            when 'top_prefecture_name'
                then min(prefecture_ranked.prefecture_name) filter (
                    where prefecture_ranked.rank_from_top = 1
                )
            when
                'top_prefecture_names'
                then
                    '{'
                    || string_agg(
                        prefecture_ranked.prefecture_name, ', ' order by prefecture_ranked.prefecture_name
                    ) filter (
                        where prefecture_ranked.rank_from_top <= try_cast(wanted.subject_b as integer)
                    ) || '}'
        end as value_text,
        -- for a named prefecture: how far it is below the top (the CLOSE band of name claims)
        max(prefecture_ranked.rate_pct) - max(prefecture_ranked.rate_pct) filter (
            where prefecture_ranked.prefecture_code = wanted.subject_b
        ) as value_aux,
        {{ combine_input_basis('prefecture_ranked.input_basis') }} as input_basis
    from wanted
    inner join prefecture_ranked
        on
            wanted.fiscal_year_label = prefecture_ranked.fiscal_year_label
            and wanted.subject_a = prefecture_ranked.rate_key
    group by 1, 2, 3
),

unioned as (
    select * from count_rows
    union all
    select * from list_rows
),

final as (
    select
        'prefecture_ranks' as measure_family,
        measure_id,
        fiscal_year_label,
        subject,
        value_num,
        value_text,
        value_aux,
        input_basis
    from unioned
)

select * from final
