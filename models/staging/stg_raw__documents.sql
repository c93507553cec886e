with source as (
    select * from {{ source('raw', 'documents') }}
),

renamed as (
    select
        -- ids
        document_id,
        load_id,
        sha256,
        -- file
        file_name,
        file_path,
        format,
        encoding,
        size_bytes,
        n_lines,
        traditional_converted,
        -- content identity
        replace(trim(unit_name), ' ', '') as unit_name,
        unit_name_source,
        report_year,
        report_year_source,
        document_kind,
        title,
        evaluated_project,
        parent_department,
        parser_version,
        loaded_at
    from source
)

select * from renamed
