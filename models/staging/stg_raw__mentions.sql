with source as (
    select * from {{ source('raw', 'mentions') }}
    where {{ document_in_build_scope('document_id') }}  -- an incremental build: the units it rebuilds
),

renamed as (
    select
        -- ids
        document_id,
        mention_id,
        document_id || ':' || mention_id as mention_key,
        parent_mention_id,
        related_mention_id,
        -- where
        source_kind,
        line_no as source_line,
        section_path,
        table_id,
        table_kind,
        row_idx,
        col_idx,
        -- the figure as printed
        value_text,
        value,
        decimals,
        uom,
        number_kind,
        -- its words
        label,
        nullif(item_text, '') as item_text,
        nullif(label_core, '') as label_core,
        part_text,
        sub_unit_text,
        project_text,
        fund_source,
        subject_source,
        dimension_text,
        indicator_text,
        item_inherited,
        scheme_text,
        scheme_source,
        scope_text,
        status_text,
        qualifier,
        year_value,
        year_relation,
        basis_text,
        mention_role,
        change_direction,
        ratio_base_text,
        in_parentheses,
        context_hint,
        row_header,
        col_header,
        col_role,
        parent_row_label,
        clause,
        sentence
    from source
)

select * from renamed
