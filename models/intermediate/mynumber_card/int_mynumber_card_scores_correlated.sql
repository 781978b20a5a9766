-- 図19: マイナンバーカードの交付率・保有率と総合偏差値の相関（市区町村・都道府県）。
-- Pearson correlation of the card rate with the overall deviation score, per year, at
-- municipality level (1,741 bodies) and at prefecture level (47).
with

municipal as (
    select * from {{ ref('int_municipality_deviation_scores') }}
),

prefectural as (
    select * from {{ ref('int_prefecture_deviation_scores') }}
),

scores as (
    select
        'municipality' as level,
        municipality_code as body_code,
        fiscal_year,
        domain,
        rate_pct,
        deviation_score,
        input_basis
    from municipal
    union all
    select
        'prefecture' as level,
        prefecture_code as body_code,
        fiscal_year,
        domain,
        rate_pct,
        deviation_score,
        input_basis
    from prefectural
),

pairs as (
    select
        card.level,
        card.fiscal_year,
        card.rate_pct as card_rate_pct,
        overall.deviation_score as overall_deviation_score,
        overall.input_basis as overall_basis,
        card.input_basis as card_basis
    from scores as card
    inner join scores as overall
        on
            card.level = overall.level
            and card.fiscal_year = overall.fiscal_year
            and card.body_code = overall.body_code
    where card.domain = 'mynumber_card' and overall.domain = 'overall_excl_mynumber'
),

correlations as (
    select
        fiscal_year,
        level,
        count(*) filter (where card_rate_pct is not null and overall_deviation_score is not null) as n_pairs,
        {{ exact_corr('overall_deviation_score', 'card_rate_pct') }} as pearson_r,
        {{ combine_input_basis('overall_basis') }} as overall_basis,
        {{ combine_input_basis('card_basis') }} as card_basis
    from pairs
    group by 1, 2
),

final as (
    select
        fiscal_year,
        level,
        n_pairs,
        pearson_r,
        overall_basis,
        card_basis,
        {{ code_label_ja('level', 'correlations.level') }} as level_ja,
        {{ code_label_ja('input_basis', 'correlations.overall_basis') }} as overall_basis_ja,
        {{ code_label_ja('input_basis', 'correlations.card_basis') }} as card_basis_ja
    from correlations
)

select * from final
