"""Unit tests of the language work: normalisation, numbers, segmentation, mentions, identity."""

from __future__ import annotations

from loaders.identify import identify
from loaders.reader import read_statements
from loaders.normalize import normalize_line, normalize_lines
from loaders.numbers import chinese_to_int, find_numbers, parse_number
from loaders.segment import heading_level, segment


def mentions_of(text: str):
    lines, _ = normalize_lines(text.split("\n"))
    seg = segment(lines)
    return [m for m in read_statements(lines, seg, identify(lines)).mentions if m.number_kind == "value"]


def test_normalize_full_width_artefacts_and_spaces():
    assert normalize_line("在职人员 57 人，经费１２３．４５万元") == "在职人员57人,经费123.45万元"
    assert normalize_line("[bookmark: _GoBack]4.梳理业务") == "4.梳理业务"
    assert normalize_line("萬(wàn)元") == "萬元"
    assert normalize_line("\t　10") == "\t 10".rstrip() or normalize_line("\t　10") == "\t10"


def test_traditional_script_is_simplified():
    lines, converted = normalize_lines(["重慶市梁平區就業和人才中心2025年部門預算情況說明，財政撥款收入總計為三百萬元"] * 3)
    assert converted and "财政拨款收入" in lines[0]


def test_parse_number_precision():
    assert parse_number("1,234.56") == (1234.56, 2)
    assert parse_number("-3.94") == (-3.94, 2)
    assert parse_number("1.3015") == (1.3015, 4)
    assert chinese_to_int("三十二") == 32 and chinese_to_int("一百零五") == 105


def test_find_numbers_units_dates_and_ranges():
    tokens = find_numbers("2020年1-12月,各项社保基金征缴69939万元,完成预算的113.27%,湘财绩(2021)1号")
    kinds = [(t.text, t.kind, t.uom) for t in tokens]
    assert ("69939万元", "value", "万元") in kinds
    assert ("113.27%", "value", "%") in kinds
    assert all(k != "value" for text, k, _ in kinds if text in ("2020", "1", "12", "2021"))


def test_find_numbers_ordinals_and_document_numbers():
    # seeds/vocab_reader.csv: ordinal_after_pattern, docno_open_pattern / docno_close_pattern
    kinds = {t.text: t.kind for t in find_numbers("3、支出128.5万元;8.在职12人;依据〔2022〕7号文件,共150、")}
    assert kinds == {"3": "ordinal", "128.5万元": "value", "8": "ordinal", "12人": "value", "2022": "docno",
                     "7": "date", "150": "value"}  # 7号: date_after_pattern; 150、: not under 100, a figure


def test_heading_levels():
    assert heading_level("一、单位基本情况") == 1
    assert heading_level("(二)基本支出情况") == 2
    assert heading_level("1.部门在职人员情况") == 3
    assert heading_level("1.53亿元") is None
    assert heading_level("附件2") == 0


def test_cell_per_line_table_rows_and_continuations():
    text = "附件1\n基础数据表\n\t\n\t财政供养人员情况\n\t编制数\n\n\t\n\t10\n\t3、省级专项资金\n(一个专项一行)\n\n说明"
    lines, _ = normalize_lines(text.split("\n"))
    seg = segment(lines)
    assert len(seg.tables) == 1
    rows = [[c.text for c in r.cells] for r in seg.tables[0].rows]
    assert rows == [["", "财政供养人员情况", "编制数"], ["", "10", "3、省级专项资金(一个专项一行)"]]


def test_prose_mentions_label_basis_year_and_nesting():
    ms = mentions_of("2023年省财政批复的基本支出全年预算1452.17万元(全为年初预算),本年实际支出1445.78万元,结余6.39万元。")
    by_value = {m.value: m for m in ms}
    assert by_value[1452.17].item_text == "基本支出" and by_value[1452.17].basis_text == "全年预算"
    assert by_value[1445.78].item_text == "基本支出" and by_value[1445.78].item_inherited
    assert by_value[1445.78].basis_text == "实际"


def test_qizhong_children_and_changes():
    ms = mentions_of("2021年中心支出总额276.42万元,比去年增加4.33万元,增长1.59%。其中:\n"
                     "商品和服务支出22.21万元,比去年减少1.99万元,下降8.23%,其中:公务接待费1.02万元,下降30.31%。")
    by_value = {m.value: m for m in ms}
    assert by_value[4.33].mention_role == "change" and by_value[4.33].change_direction == "increase"
    assert by_value[1.99].change_direction == "decrease"
    assert by_value[1.02].parent_mention_id == by_value[22.21].mention_id
    assert by_value[276.42].year_value == 2021


def test_scheme_status_and_parenthesised_breakdown():
    ms = mentions_of("我县共有参保人员755250人,其中:企业职工基本养老保险有参保单位890家,参保人数72315人"
                     "(在职职工50715人,离退休人数21600人);机关事业单位养老保险参保人数28611人。")
    by_value = {m.value: m for m in ms}
    assert by_value[72315].scheme_text == "企业职工基本养老保险"
    assert by_value[50715].parent_mention_id == by_value[72315].mention_id
    assert by_value[21600].status_text == "retired"
    assert by_value[28611].scheme_text == "机关事业单位养老保险"
    assert by_value[72315].parent_mention_id == by_value[755250].mention_id


def test_unit_split_across_a_wrapped_line_is_joined():
    ms = mentions_of("2023度收支结余19.29亿元,期末滚存结余1794.32亿\n\n元。")
    assert any(m.value == 1794.32 and m.uom == "亿元" for m in ms)


def test_item_words_leave_scheme_scope_year_and_basis_as_context():
    by_value = {m.value: m for m in mentions_of("企业单位基本养老保险基金省级统筹预算收入为1453.17亿元。")}
    m = by_value[1453.17]
    assert (m.item_text, m.scheme_text, m.basis_text, m.scope_text) == ("收入", "企业单位基本养老保险", "预算", "省级统筹")
    by_value = {m.value: m for m in mentions_of("2021年中心支出总额276.42万元,上年结转10万元。")}
    assert by_value[276.42].item_text == "支出总额" and by_value[276.42].year_value == 2021
    assert by_value[10].item_text == "上年结转" and by_value[10].year_value == 2021  # 上年 names the item, not 2020


def test_identity_from_content_not_file_name():
    ident = identify(["安化县社会保险服务中心", "", "        2020年度部门整体支出绩效评价报告",
                      "我中心系安化县人力资源和社会保障局下属全额拨款事业单位。"])
    assert ident.unit_name == "安化县社会保险服务中心"
    assert ident.report_year == 2020
    assert ident.parent_department == "安化县人力资源和社会保障局"


def test_identity_from_a_title_in_traditional_script_with_a_publisher_field():
    lines, _ = normalize_lines(["發布機構 梁平區人力社保局", "標題 重慶市梁平區就業和人才中心2025年部門預算情況說明",
                                "一、單位基本情況", "(二)單位構成 我中心內設9個機構科室。"])
    ident = identify(lines)
    assert ident.unit_name == "重庆市梁平区就业和人才中心"
    assert ident.report_year == 2025 and ident.document_kind == "budget"


def test_identity_drops_words_glued_before_the_region():
    ident = identify(["部门绩效自评结果公开汇总表", "1 翟东小区拆迁工作经费长安区医疗保障局 2 2 0 100",
                      "长安区医疗保障局2023年度整体支出绩效自评报告"])
    assert ident.unit_name == "长安区医疗保障局"


def test_identity_keeps_a_place_name_that_starts_with_he():
    ident = identify(["2019年度和阳市医疗保障事务中心整体支出绩效自评报告", "我中心现有编制10个。"])
    assert ident.unit_name == "和阳市医疗保障事务中心"
