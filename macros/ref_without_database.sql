{#- Every ref() and source() renders as "schema"."name", without the database (catalog) name.
    DuckDB binds a view's query when it is read, and a view written with
    "jichitai_dx"."config"."cfg_x" fails once the file is copied to another name or attached
    under another alias. Unqualified by catalog, a view resolves in its own catalog, so the
    published file works under any name (tests/python/warehouse/test_catalog.py). -#}
{% macro ref() -%}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if relation is not string and relation.include is defined -%}
        {%- do return(relation.include(database=false)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{% macro source() -%}
    {%- set relation = builtins.source(*varargs, **kwargs) -%}
    {%- if relation is not string and relation.include is defined -%}
        {%- do return(relation.include(database=false)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}
