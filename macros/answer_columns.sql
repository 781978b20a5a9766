{#- The raw answer shape (scripts/jdx/answers.py writes it): column name -> SQL type. -#}
{% macro answer_columns() %}
    {{ return({
        'seed_row': 'integer',
        'edition_id': 'varchar',
        'source_file': 'varchar',
        'source_row': 'integer',
        'source_column': 'integer',
        'municipality_code': 'varchar',
        'municipality_name': 'varchar',
        'question_group': 'varchar',
        'question_id': 'varchar',
        'raw_value': 'varchar',
    }) }}
{% endmacro %}


{#- The answer files matching vars.answer_files (read with read_csv, every value as text), then
    every relation in vars.answer_relations + extra_answer_relations, unioned in the answer
    shape; each row is tagged with its file or relation name and a raw_answer_id. A file or
    relation whose columns differ from the shape stops the build, naming it and the columns. -#}
{% macro union_answer_relations() %}
    {%- set expected = answer_columns() -%}
    {%- set files = [] -%}
    {%- if execute -%}
        {%- for pattern in var('answer_files', []) -%}
            {%- for row in run_query("select file from glob('" ~ pattern ~ "') order by file").rows -%}
                {%- do files.append(row[0]) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- for file in files -%}
            {%- set described = run_query("describe select * from read_csv('" ~ file ~ "', header = true, all_varchar = true)") -%}
            {%- set actual = described.columns[0].values() | map('lower') | list -%}
            {%- set unknown = actual | reject('in', expected.keys() | list) | list -%}
            {%- set missing = expected.keys() | reject('in', actual) | list -%}
            {%- if unknown or missing -%}
                {{ exceptions.raise_compiler_error(
                    "answers file '" ~ file ~ "' does not have the raw answer shape: unknown columns "
                    ~ unknown ~ ", missing columns " ~ missing
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set names = var('answer_relations', []) + var('extra_answer_relations', []) -%}
    {%- for name in names -%}
        {%- set relation = ref(name) -%}
        {%- if execute -%}
            {%- set actual = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
            {%- set unknown = actual | reject('in', expected.keys() | list) | list -%}
            {%- set missing = expected.keys() | reject('in', actual) | list -%}
            {%- if actual and (unknown or missing) -%}
                {{ exceptions.raise_compiler_error(
                    "answer relation '" ~ name ~ "' does not have the raw answer shape: unknown columns "
                    ~ unknown ~ ", missing columns " ~ missing
                ) }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if execute and files | length == 0 and names | length == 0 -%}
        {{ exceptions.raise_compiler_error("no answer files match vars.answer_files " ~ var('answer_files', []) ~ " and no answer relations") }}
    {%- endif %}
    {%- if files %}
    select
        regexp_extract(filename, '([^/]+)\.csv$', 1) as source_relation,
        regexp_extract(filename, '([^/]+)\.csv$', 1) || ':' || seed_row as raw_answer_id,
        {%- for column, data_type in expected.items() %}
        cast({{ column }} as {{ data_type }}) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from read_csv(
        [{%- for file in files %}'{{ file }}'{{ ", " if not loop.last }}{% endfor -%}],
        header = true, all_varchar = true, filename = true, union_by_name = true
    )
    {%- if names %}
    union all
    {%- endif %}
    {%- endif %}
    {%- for name in names %}
    select
        '{{ name }}' as source_relation,
        '{{ name }}:' || cast(seed_row as varchar) as raw_answer_id,
        {%- for column, data_type in expected.items() %}
        cast({{ column }} as {{ data_type }}) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref(name) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}
