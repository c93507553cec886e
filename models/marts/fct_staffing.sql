-- The unit's own posts and staff by fiscal year, item and post type.
{{ fact_mart('staffing') }}
