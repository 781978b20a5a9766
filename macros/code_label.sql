{#- Japanese label of a code from the seed cfg_code_labels (code_type, code -> label_ja), for
    the final CTE of a mart: `{{ code_label_ja('input_basis', 'final_rows.input_basis') }}`.
    A code without a label gives null, which the not_null tests on the *_ja columns catch. -#}
{% macro code_label_ja(code_type, code_expression) -%}
    (
        select code_labels.label_ja
        from {{ ref('cfg_code_labels') }} as code_labels
        where code_labels.code_type = '{{ code_type }}' and code_labels.code = {{ code_expression }}
    )
{%- endmacro %}
