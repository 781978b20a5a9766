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


{#- Every relation named in vars answer_relations + extra_answer_relations, unioned in the answer
    shape, each row tagged with its relation and a traceable raw_answer_id. A relation whose
    columns differ from the shape stops the build, naming the relation and the columns. -#}
{% macro union_answer_relations() %}
    {%- set names = var('answer_relations', []) + var('extra_answer_relations', []) -%}
    {%- if names | length == 0 -%}
        {{ exceptions.raise_compiler_error("vars.answer_relations is empty: no survey answers to build from") }}
    {%- endif -%}
    {%- set expected = answer_columns() -%}
    {%- for name in names %}
        {%- set relation = ref(name) -%}
        {%- if execute -%}
            {%- set actual = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
            {%- set unknown = actual | reject('in', expected.keys() | list) | list -%}
            {%- set missing = expected.keys() | reject('in', actual) | list -%}
            {#- no columns: the relation is not built yet (e.g. sqlfluff compiling); the query itself will say so -#}
            {%- if actual and (unknown or missing) -%}
                {{ exceptions.raise_compiler_error(
                    "answer relation '" ~ name ~ "' does not have the raw answer shape: unknown columns "
                    ~ unknown ~ ", missing columns " ~ missing
                ) }}
            {%- endif -%}
        {%- endif %}
    select
        '{{ name }}' as source_relation,
        '{{ name }}:' || cast(seed_row as varchar) as raw_answer_id,
        {%- for column, data_type in expected.items() %}
        cast({{ column }} as {{ data_type }}) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}
