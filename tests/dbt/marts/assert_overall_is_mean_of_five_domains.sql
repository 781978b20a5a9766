-- The overall deviation score is the plain mean of the five scored domains' scores (cfg_domains.
-- in_overall_score), at prefecture and at municipality level, never re-standardised.
with

prefecture_scores as (
    select
        'prefecture' as level,
        prefecture_code as body_code,
        fiscal_year,
        domain,
        deviation_score
    from {{ ref('rpt_fig17_23_prefecture_deviation') }}
),

municipality_scores as (
    select
        'municipality' as level,
        municipality_code as body_code,
        fiscal_year,
        domain,
        deviation_score
    from {{ ref('rpt_municipality_deviation') }}
),

scores as (
    select * from prefecture_scores
    union all
    select * from municipality_scores
),

domains as (
    select * from {{ ref('cfg_domains') }}
    where in_overall_score
),

recomputed as (
    select
        scores.level,
        scores.body_code,
        scores.fiscal_year,
        avg(scores.deviation_score) as mean_of_domains,
        count(scores.deviation_score) as n_domains
    from scores
    inner join domains
        on scores.domain = domains.domain
    group by 1, 2, 3
)

select
    recomputed.*,
    overall.deviation_score as overall_score
from recomputed
inner join scores as overall
    on
        recomputed.level = overall.level
        and recomputed.body_code = overall.body_code
        and recomputed.fiscal_year = overall.fiscal_year
        and overall.domain = 'overall_excl_mynumber'
where
    (
        recomputed.n_domains = (select count(*) from domains)
        and abs(recomputed.mean_of_domains - overall.deviation_score) > 0.000001
    )
    or (recomputed.n_domains < (select count(*) from domains) and overall.deviation_score is not null)
