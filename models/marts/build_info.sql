-- ビルド情報: one row saying when and from what the warehouse was built, so a dashboard can show
-- freshness. built_at changes on every build: it lives only here, and reproducibility hashes of
-- the marts leave this table out. git_commit comes from JDX_GIT_COMMIT (the Makefile sets it).
with

facts as (
    select * from {{ ref('fct_survey_answers') }}
),

answer_counts as (
    select
        count(*) filter (where is_answered) as n_answered_cells,
        count(*) filter (where is_answered and is_sample) as n_sample_cells
    from facts
),

final as (
    select
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as built_at_utc,
        cast(
            nullif('{{ env_var("JDX_GIT_COMMIT", "") }}', '') as varchar
        ) as git_commit,
        '{{ project_name }}' as project_name,
        cast('{{ dbt_version }}' as varchar) as dbt_version,
        cast(version() as varchar) as duckdb_version,
        answer_counts.n_answered_cells,
        answer_counts.n_sample_cells,
        cast(
            round(
                {{ rate_pct_of_counts('answer_counts.n_sample_cells', 'answer_counts.n_answered_cells') }}, 1
            ) as double
        ) as sample_share_pct
    from answer_counts
)

select * from final
