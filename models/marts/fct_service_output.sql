-- What a unit delivered (glossary domain service_output: 城镇新增就业, 失业人员再就业 …) and its count of
-- projects, by fiscal year, measure and basis (actual, or target: 年度指标值), parts kept apart.
{{ fact_mart('service_output') }}
