{#- Seeds land in their own schemas (reference, config, published, raw); staging and
    intermediate models in `staging` and `intermediate`; marts (dim_, fct_, rpt_) in main (the
    target schema). The custom schema is used as given, not prefixed with the target schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
