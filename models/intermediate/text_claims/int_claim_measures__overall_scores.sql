-- 本文中の数値、総合偏差値 (family overall_scores): from the overall deviation scores (excluding
-- the card) of prefectures and municipalities: the mean over a set of prefectures (subject:
-- codes, ';'-separated) and its change 2021→2023, how many of a set are below 50, how many of a
-- set are in the top N (subject: N|codes), the largest gap between a prefecture's overall score
-- and the plain mean of its five domain scores, and how many towns and villages are among the
-- top N municipalities (subject: N). The scores are read from int_prefecture_deviation_scores
-- and int_municipality_deviation_scores, where they are computed once (rpt_fig17_23_… and
-- rpt_municipality_deviation publish the same rows).
with

prefecture_deviation as (
    select * from {{ ref('int_prefecture_deviation_scores') }}
),

municipality_deviation as (
    select * from {{ ref('int_municipality_deviation_scores') }}
    where domain = 'overall_excl_mynumber' and deviation_score is not null
),

wanted as (
    select * from {{ ref('int_claim_measures_wanted') }}
),

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
        wanted.measure_id,
        wanted.fiscal_year_label,
        wanted.subject,
        case wanted.measure_id
            when 'mean_overall_score'
                then {{ exact_avg_filtered(
                    'overall_scores.deviation_score',
                    'list_contains(wanted.list_a, overall_scores.prefecture_code)',
                ) }}
            when 'n_prefectures_overall_below_50'
                then count(*) filter (
                    where list_contains(wanted.list_a, overall_scores.prefecture_code)
                    and overall_scores.deviation_score < 50
                )
            when 'n_prefectures_in_top' then count(*) filter (
                where list_contains(wanted.list_b, overall_scores.prefecture_code)
                and overall_scores.rank_from_top <= try_cast(wanted.subject_a as integer)
            )
        end::double as value_num,
        {{ combine_input_basis('overall_scores.input_basis') }} as input_basis
    from wanted
    inner join overall_scores
        on wanted.fiscal_year_label = (overall_scores.fiscal_year)::varchar
    where wanted.measure_id in ('mean_overall_score', 'n_prefectures_overall_below_50', 'n_prefectures_in_top')
    group by 1, 2, 3

    union all

    select
        'mean_overall_score_change' as measure_id,
        '2021→2023' as fiscal_year_label,
        wanted.subject,
        {{ exact_avg_filtered('overall_scores.deviation_score', 'overall_scores.fiscal_year = 2023') }}
        - {{ exact_avg_filtered('overall_scores.deviation_score', 'overall_scores.fiscal_year = 2021') }} as value_num,
        {{ combine_input_basis('overall_scores.input_basis') }} as input_basis
    from wanted
    inner join overall_scores
        on list_contains(wanted.list_a, overall_scores.prefecture_code)
    where wanted.measure_id = 'mean_overall_score_change'
    group by 1, 2, 3
),

overall_vs_domains as (
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
),

overall_mean_check_rows as (
    select
        'max_overall_minus_mean_of_five' as measure_id,
        '2021;2023' as fiscal_year_label,
        '' as subject,
        max(abs(overall_score - mean_of_domains)) as value_num,
        {{ combine_input_basis('input_basis') }} as input_basis
    from overall_vs_domains
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
    semi join wanted
        on
            (municipality_deviation.fiscal_year)::varchar = wanted.fiscal_year_label
            and wanted.measure_id = 'n_towns_villages_in_top_municipalities'
),

municipality_overall_rows as (
    select
        wanted.measure_id,
        wanted.fiscal_year_label,
        wanted.subject,
        count(*) filter (
            where municipality_overall_ranked.size_class in ('town', 'village')
        )::double as value_num,
        {{ combine_input_basis('municipality_overall_ranked.input_basis') }} as input_basis
    from wanted
    inner join municipality_overall_ranked
        on
            wanted.fiscal_year_label = (municipality_overall_ranked.fiscal_year)::varchar
            and municipality_overall_ranked.rank_from_top <= try_cast(wanted.subject_a as integer)
    where wanted.measure_id = 'n_towns_villages_in_top_municipalities'
    group by 1, 2, 3
),

unioned as (
    select * from overall_rows
    union all
    select * from overall_mean_check_rows
    union all
    select * from municipality_overall_rows
),

final as (
    select
        'overall_scores' as measure_family,
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
