-- Social-insurance fund figures by unit, fiscal year, scheme, item and basis, with the area covered.
{{ fact_mart('fund') }}
