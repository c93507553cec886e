with source as (
    select * from {{ source('raw', 'tables') }}
    where {{ document_in_build_scope('document_id') }}  -- an incremental build: the units it rebuilds
),

renamed as (
    select
        document_id,
        table_id,
        layout,
        start_line,
        end_line,
        title,
        uom_hint,
        section_path,
        table_kind,
        evaluation,
        nullif(trim(project_name), '') as project_name,
        n_rows,
        n_cols,
        grid_cols,
        caption_uom
    from source
)

select * from renamed
