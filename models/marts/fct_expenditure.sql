-- Expenditure by unit, fiscal year, budget line (all/basic/project), project, item and basis:
-- the structure (基本/项目), economic classes (301 …), 三公 items and procurement.
{{ fact_mart('expenditure') }}
