with source as (
    select * from {{ source('raw', 'load_errors') }}
),

renamed as (
    select load_id, file_path, file_name, sha256, error_kind, reason, recorded_at
    from source
)

select * from renamed
