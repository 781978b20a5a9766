{#- Final filter for a validation model. `issues_cte` has columns issue_kind and message. If it
    has any row, the query fails through DuckDB's error() with a count per kind and the first
    `shown_per_kind` messages of each kind (so one broken row is not hidden behind the problems
    it causes downstream); `dbt build` then stops with the seed, row and value in its output. -#}
{% macro raise_on_issues(issues_cte, label, shown_per_kind=5) %}
    (
        select
            case
                when count(*) = 0 then true
                else error(
                    '{{ label }}: ' || count(*) || ' problem(s) in the raw answers' || chr(10)
                    || string_agg(message, chr(10) order by issue_kind, message)
                    filter (where kind_rank <= {{ shown_per_kind }})
                )
            end
        from (
            select
                issue_kind,
                case
                    when kind_rank = {{ shown_per_kind }} and kind_count > {{ shown_per_kind }}
                        then message || chr(10) || '  … and ' || (kind_count - {{ shown_per_kind }})
                        || ' more ' || issue_kind || ' problem(s)'
                    else message
                end as message,
                kind_rank
            from (
                select
                    issue_kind,
                    issue_kind || ': ' || message as message,
                    row_number() over (partition by issue_kind order by message) as kind_rank,
                    count(*) over (partition by issue_kind) as kind_count
                from {{ issues_cte }}
            ) as ranked_issues
        ) as labelled_issues
    )
{% endmacro %}
