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

substitutions as (
    select * from {{ ref('cfg_substitutions') }}
),

item_rates as (
    select * from {{ ref('int_rates_by_group_labelled') }}
    where row_kind != 'domain_mean'
),

class_rates as (
    select
        fiscal_year,
        item_code,
        group_code as size_class,
        rate_pct
    from item_rates
    where group_type = 'size_class'
),

prefecture_rates as (
    select
        fiscal_year,
        item_code,
        group_code as prefecture_code,
        rate_pct
    from item_rates
    where group_type = 'prefecture'
),

final as (
    -- the facts' columns it needs, each descriptive column joined once; the substitution reason
    -- by its key (cfg_substitutions' primary key), shown on substituted cells only
    select
        answers.municipality_code,
        answers.fiscal_year,
        answers.domain,
        domains.domain_name_ja,
        domains.sort_order as domain_sort_order,
        answers.item_code,
        items.item_name_ja,
        items.sort_order as item_sort_order,
        answers.value_type,
        answers.is_in_place,
        answers.value_numeric,
        case
            when answers.value_type = 'flag' and answers.is_in_place then '実施'
            when answers.value_type = 'flag' and not answers.is_in_place then '未実施'
            when answers.value_numeric is not null
                then format('{:.1f}%', answers.value_numeric)
            else '回答なし'
        end as value_label_ja,
        answers.in_domain_mean,
        answers.is_sample,
        answers.is_substituted,
        answers.is_proxy_for_report,
        answers.edition_id,
        case
            when answers.is_sample then 'サンプル（生成）'
            when answers.is_proxy_for_report then '公式（代替指標）'
            when answers.is_answered then '公式'
            else '欠損'
        end
        || case when answers.is_substituted then '・令和4年度版で代替' else '' end as source_label_ja,
        case when answers.is_substituted then substitutions.reason_ja end as substitution_reason_ja,
        class_rates.rate_pct as size_class_rate_pct,
        prefecture_rates.rate_pct as prefecture_rate_pct
    from answers
    inner join items
        on answers.item_code = items.item_code
    inner join domains
        on answers.domain = domains.domain
    inner join municipalities
        on answers.municipality_code = municipalities.municipality_code
    left join class_rates
        on
            answers.fiscal_year = class_rates.fiscal_year
            and answers.item_code = class_rates.item_code
            and municipalities.size_class = class_rates.size_class
    left join prefecture_rates
        on
            answers.fiscal_year = prefecture_rates.fiscal_year
            and answers.item_code = prefecture_rates.item_code
            and municipalities.prefecture_code = prefecture_rates.prefecture_code
    left join substitutions
        on
            answers.municipality_code = substitutions.municipality_code
            and answers.fiscal_year = substitutions.analysis_fiscal_year
            and answers.survey_program = substitutions.survey_program
    where
        items.is_report_item
        and (answers.in_domain_mean or answers.value_type = 'flag')
)

select * from final
