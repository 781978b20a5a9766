-- 再現の成績表（サイトのトップページ用の要約）: one row per group of published values and input
-- basis, for the site's index. Figure-table values are grouped by their measure (measure_ja);
-- text claims, which rpt_reproduction_scorecard labels all alike (本文中の数値), by what their
-- number counts, so every group has a name and its differences one unit (points, bodies,
-- persons, ...). The unit follows the measure's name (the scorecard's naming: *_pct / *_pt are
-- percentages or point differences, n_bodies* and other n_* counts of bodies, *items* counts of
-- items, *_population persons, *_r correlations); names and sets (comparison set / name) have none.
with

scorecard as (
    select * from {{ ref('rpt_reproduction_scorecard') }}
),

-- what one unit of each row's difference is, from the measure's name
measured as (
    select
        *,
        case
            when comparison in ('set', 'name', 'not_computable') then 'text'
            when
                measure in (
                    'deviation_score', 'mynumber_card_deviation_score', 'mean_overall_score',
                    'mean_overall_score_change', 'max_overall_minus_mean_of_five'
                )
                then 'score'
            when measure like '%\_pct' escape '\' or measure like '%\_pt' escape '\' then 'rate'
            when measure like '%\_population' escape '\' then 'persons'
            when measure like '%\_r' escape '\' then 'correlation'
            when measure like '%ratio' then 'ratio'
            when measure like '%prefectures%' then 'prefectures'
            when
                measure in ('all_items_achieved', 'no_item_achieved')
                or measure like 'n\_bodies%' escape '\'
                then 'bodies'
            when measure like '%items%' then 'items'
            when measure like '%procedures%' then 'procedures'
            when measure like 'n\_%' escape '\' then 'bodies'
            else 'text'
        end as unit_kind
    from scorecard
),

labelled as (
    select
        *,
        case unit_kind
            when 'score' then 'ポイント'
            when 'rate' then 'ポイント'
            when 'persons' then '人'
            when 'correlation' then '（相関係数）'
            when 'ratio' then '倍'
            when 'prefectures' then '都道府県'
            when 'items' then '項目'
            when 'procedures' then '手続'
            when 'bodies' then '団体'
        end as unit_ja,
        case
            when row_kind <> 'text_claim' then measure_ja
            when measure = 'not_computable' then '本文の数値：計算できないもの'
            else '本文の数値：' || case unit_kind
                when 'score' then '偏差値'
                when 'rate' then '実施率・その差'
                when 'persons' then '人口の境界'
                when 'correlation' then '相関係数'
                when 'ratio' then '団体数の比'
                when 'prefectures' then '都道府県の数'
                when 'items' then '項目の数'
                when 'procedures' then '手続の数'
                when 'bodies' then '団体数'
                else '名称・名称の組'
            end
        end as group_ja,
        case when row_kind = 'text_claim' then 2 else 1 end as row_kind_order
    from measured
),

final as (
    select
        group_ja,
        input_basis,
        input_basis_ja,
        unit_ja,
        count(*) as n_published,
        count(*) filter (where within_tolerance) as n_within_tolerance,
        max(abs(diff)) as max_abs_diff,
        -- summed in key order: a float sum depends on its order, and the scorecard's row order can
        -- differ between builds (marts are byte-identical build to build)
        avg(abs(diff) order by scorecard_key) as mean_abs_diff,
        min(row_kind_order) as row_kind_order
    from labelled
    group by group_ja, input_basis, input_basis_ja, unit_ja
)

select * from final
order by row_kind_order, group_ja, input_basis
