-- Unit income by fiscal year, item (income_*, carryover_*) and basis.
{{ fact_mart('income') }}
