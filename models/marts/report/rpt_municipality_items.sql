-- 市区町村別プロフィール: every report item of every body per year, with where its value came
-- from, whether it was substituted (and why, in Japanese), and the same item's rate in the
-- body's size class and prefecture. The municipality pages of the site read this model.
with

answers as (
    select * from {{ ref('fct_survey_answers') }}
),

items as (
    select * from {{ ref('dim_items') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

group_rates as (
    select * from {{ ref('int_rates_by_group_labelled') }}
    where row_kind != 'domain_mean'
),

substitutions as (
    select * from {{ ref('cfg_substitutions') }}
),

report_answers as (
    select answers.*
    from answers
    inner join items
        on answers.item_code = items.item_code
    where
        items.is_report_item
        and (answers.in_domain_mean or answers.value_type = 'flag')
),

final as (
    select
        report_answers.municipality_code,
        report_answers.fiscal_year,
        report_answers.domain,
        domains.domain_name_ja,
        domains.sort_order as domain_sort_order,
        report_answers.item_code,
        items.item_name_ja,
        items.sort_order as item_sort_order,
        report_answers.value_type,
        report_answers.is_in_place,
        report_answers.value_numeric,
        case
            when report_answers.value_type = 'flag' and report_answers.is_in_place then '実施'
            when report_answers.value_type = 'flag' and not report_answers.is_in_place then '未実施'
            when report_answers.value_numeric is not null
                then format('{:.1f}%', report_answers.value_numeric)
            else '回答なし'
        end as value_label_ja,
        report_answers.in_domain_mean,
        report_answers.is_sample,
        report_answers.is_substituted,
        report_answers.is_proxy_for_report,
        report_answers.edition_id,
        case
            when report_answers.is_sample then 'サンプル（生成）'
            when report_answers.is_proxy_for_report then '公式（代替指標）'
            when report_answers.is_answered then '公式'
            else '欠損'
        end
        || case when report_answers.is_substituted then '・令和4年度版で代替' else '' end as source_label_ja,
        substitutions.reason_ja as substitution_reason_ja,
        class_rates.rate_pct as size_class_rate_pct,
        prefecture_rates.rate_pct as prefecture_rate_pct
    from report_answers
    inner join items
        on report_answers.item_code = items.item_code
    inner join domains
        on report_answers.domain = domains.domain
    inner join municipalities
        on report_answers.municipality_code = municipalities.municipality_code
    left join group_rates as class_rates
        on
            class_rates.group_type = 'size_class'
            and report_answers.fiscal_year = class_rates.fiscal_year
            and report_answers.item_code = class_rates.item_code
            and municipalities.size_class = class_rates.group_code
    left join group_rates as prefecture_rates
        on
            prefecture_rates.group_type = 'prefecture'
            and report_answers.fiscal_year = prefecture_rates.fiscal_year
            and report_answers.item_code = prefecture_rates.item_code
            and municipalities.prefecture_code = prefecture_rates.group_code
    left join substitutions
        on
            report_answers.is_substituted
            and report_answers.municipality_code = substitutions.municipality_code
            and report_answers.fiscal_year = substitutions.analysis_fiscal_year
            and report_answers.survey_program = substitutions.survey_program
)

select * from final
