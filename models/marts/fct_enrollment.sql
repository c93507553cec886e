-- Insurance coverage: persons (and employers) by unit, fiscal year, scheme, measure and status.
{{ fact_mart('enrollment') }}
