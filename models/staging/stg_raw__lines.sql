with source as (
    select * from {{ source('raw', 'lines') }}
    where {{ document_in_build_scope('document_id') }}  -- an incremental build: the units it rebuilds
),

renamed as (
    select
        document_id,
        line_no as source_line,
        original_text,
        text as normalised_text,
        line_kind,
        section_path,
        table_id
    from source
)

select * from renamed
