with source as (
    select * from {{ source('raw', 'table_cells') }}
    where {{ document_in_build_scope('document_id') }}  -- an incremental build: the units it rebuilds
),

renamed as (
    select
        document_id,
        table_id,
        row_idx,
        col_idx,
        line_no as source_line,
        text as cell_text,
        is_header,
        is_numeric,
        row_header,
        col_header,
        col_role,
        parent_row_label,
        -- the grid (loaders/grid.py): row kind, grid column, the header in force, its role and unit
        row_kind,
        is_total_row,
        grid_col,
        grid_header,
        grid_role,
        grid_uom,
        is_value
    from source
)

select * from renamed
