import Foundation
@testable import OtklikCore
import Testing

@Suite("Чтение XLSX: общие и встроенные строки, даты-числа, пустые строки, объединённые ячейки")
struct XLSXReaderTests {
    static let shared = Array("""
    <?xml version="1.0" encoding="UTF-8"?>
    <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
    <si><t>Номер</t></si>
    <si><r><rPr><b/></rPr><t>Дата </t></r><r><t xml:space="preserve">поступления</t></r><rPh><t>ふりがな</t></rPh></si>
    <si><t>Текст &amp; &lt;разметка&gt; &#1105;&#x451;</t></si>
    </sst>
    """.utf8)

    static let styles = Array("""
    <styleSheet><numFmts count="1"><numFmt numFmtId="165" formatCode="[$-419]dd\\.mm\\.yyyy;@"/></numFmts>
    <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
    <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="165"/><xf numFmtId="4"/></cellXfs></styleSheet>
    """.utf8)

    static let sheet = Array("""
    <worksheet><sheetData>
    <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>Ещё</t></is></c></row>
    <row r="2"/>
    <row r="3"><c r="A3"><v>1234567890</v></c><c r="B3" s="1"><v>46028.395833333336</v></c><c r="C3" t="s"><v>2</v></c></row>
    <row r="5"><c r="A5" t="str"><f>A3&amp;""</f><v>77</v></c><c r="B5" s="2"><v>46029</v></c><c r="C5" t="b"><v>1</v></c><c r="E5" s="3"><v>4.0</v></c></row>
    <row r="6"><c r="A6" t="s"><v>99</v></c></row>
    </sheetData><mergeCells count="1"><mergeCell ref="A1:A2"/></mergeCells></worksheet>
    """.utf8)

    @Test("строки листа по ссылкам ячеек, с пропусками, датами и типами")
    func rows() throws {
        let strings = try XLSXWorkbookParts.sharedStrings(Self.shared)
        #expect(strings == ["Номер", "Дата поступления", "Текст & <разметка> ёё"])
        let dates = try XLSXWorkbookParts.dateStyles(Self.styles)
        #expect(dates == [false, true, true, false])
        var reader = XLSXSheetReader(sheet: Self.sheet, sharedStrings: strings, dateStyles: dates, date1904: false)
        var rows: [XLSXSheetReader.Row] = []
        while let r = try reader.next() { rows.append(r) }
        #expect(rows.map(\.number) == [1, 3, 5], "пустые строки пропущены, неверный индекс строки — пустая ячейка")
        #expect(rows[0].cells == ["Номер", "Дата поступления", "", "Ещё"])
        #expect(rows[1].cells == ["1234567890", "06.01.2026 09:30:00", "Текст & <разметка> ёё"])
        #expect(rows[2].cells == ["77", "07.01.2026", "Да", "", "4"])
        #expect(try XLSXSheetReader.mergedRanges(sheet: Self.sheet) == [.init(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 0)])
    }

    @Test("даты Excel: эпоха 1900 и 1904, округление секунд", arguments: [
        (45_658.0, false, "01.01.2025"), (46_028.5, false, "06.01.2026 12:00:00"), (1.0, false, "01.01.1900"),
        (61.0, false, "01.03.1900"), (0.0, true, "01.01.1904"), (45_658.99999999, false, "02.01.2025"),
    ])
    func serialDates(serial: Double, date1904: Bool, text: String) {
        #expect(ExcelSerialDate.text(serial: serial, date1904: date1904) == text)
    }

    @Test("формат ячейки — дата или число", arguments: [
        ("dd.mm.yyyy", true), ("[$-419]d mmmm yyyy;@", true), ("h:mm", true), ("0.00", false), ("#,##0 \"дн.\"", false),
        ("General", false), ("[Red]0", false), ("\"Дата\"", false),
    ])
    func dateFormats(code: String, isDate: Bool) {
        #expect(XLSXWorkbookParts.isDateFormat(code) == isDate)
    }

    @Test("книга: листы по связям, система дат 1904")
    func workbook() throws {
        let wb = Array(#"<workbook xmlns:r="x"><workbookPr date1904="1"/><sheets><sheet name="Выгрузка" sheetId="1" r:id="rId7"/></sheets></workbook>"#.utf8)
        let rels = Array(#"<Relationships><Relationship Id="rId7" Target="/xl/worksheets/data.xml"/></Relationships>"#.utf8)
        let (sheets, date1904) = try XLSXWorkbookParts.sheets(workbook: wb, relationships: rels)
        #expect(sheets == [.init(name: "Выгрузка", path: "xl/worksheets/data.xml")] && date1904)
    }

    @Test("свой писатель читается своим читателем (отчёт о загрузке; строки в ячейках и в общей таблице)", arguments: [false, true])
    func writerRoundTrip(shared: Bool) throws {
        let writer = XLSXWriter(sheets: [.init(name: "Отчёт: строки/итог", header: ["Строка", "Текст"], rows: [
            [.number(2), .text("a < b & \"c\"\nвторая строка")], [.number(3), .empty], [.date(ExcelSerialDate.serial(year: 2026, month: 1, day: 6, seconds: 9 * 3600))],
            [.text("a < b & \"c\"\nвторая строка")],
        ])], sharedStrings: shared)
        let parts = Dictionary(uniqueKeysWithValues: writer.parts().map { ($0.path, $0.bytes) })
        let (sheets, _) = try XLSXWorkbookParts.sheets(workbook: parts["xl/workbook.xml"]!, relationships: parts["xl/_rels/workbook.xml.rels"])
        #expect(sheets.first?.name == "Отчёт_ строки_итог")
        let table = try parts["xl/sharedStrings.xml"].map(XLSXWorkbookParts.sharedStrings) ?? []
        #expect(table.count == (shared ? 1 : 0), "повторяющийся текст хранится один раз (заголовок — в ячейках)")
        var reader = XLSXSheetReader(sheet: parts[sheets[0].path]!, sharedStrings: table,
                                     dateStyles: try XLSXWorkbookParts.dateStyles(parts["xl/styles.xml"]!), date1904: false)
        var rows: [[String]] = []
        while let r = try reader.next() { rows.append(r.cells) }
        #expect(rows == [["Строка", "Текст"], ["2", "a < b & \"c\"\nвторая строка"], ["3"], ["06.01.2026 09:00:00"], ["a < b & \"c\"\nвторая строка"]])
    }

    @Test("испорченный XML — ошибка, а не падение; DTD не раскрывается")
    func malformed() throws {
        var bad = XLSXSheetReader(sheet: Array("<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1".utf8), sharedStrings: [], dateStyles: [], date1904: false)
        #expect(throws: XMLScanner.MalformedXML.self) { _ = try bad.next() }
        let bomb = Array(#"<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><sst><si><t>&b;</t></si></sst>"#.utf8)
        #expect(try XLSXWorkbookParts.sharedStrings(bomb) == ["&b;"])
    }
}

@Suite("Профили загрузки: заголовки по названию, значения источника")
struct ImportProfileTests {
    @Test("строка заголовка под титулом, столбцы в любом порядке, «-» — пусто, 59-ФЗ и статус")
    func posRow() throws {
        let rows = [["Выгрузка за неделю"], ["Статус", "ФЗ", "Дата поступления", " номер ", "Факт", "Категория", "Лишний"],
                    ["Ответ направлен", "59-ФЗ", "06.01.2026 10:00", "42", "Нет воды", "ЖКХ", "x"]]
        let profile = ImportProfile.pos
        let h = HeaderLayout.headerRowIndex(rows, profile: profile)
        #expect(h == 1)
        let layout = HeaderLayout(headers: rows[1], profile: profile)
        #expect(layout.missing.isEmpty && layout.unused == ["Лишний"])
        var mappings = ImportMappings()
        mappings.categories["жкх / нет воды"] = "RUBRIC"
        let m = ProfileRowMapper(profile: profile, layout: layout, mappings: mappings, timeZone: TimeZone(identifier: "Asia/Novokuznetsk")!)
            .map(line: 3, cells: rows[2])
        #expect(m.record["external_id"] == .string("42"))
        #expect(m.record["category"] == .string("RUBRIC"))
        #expect(m.record["legal_regime"] == .string("appeal_59fz"))
        if case .string(let t)? = m.record["text"] { #expect(t.contains("отсутствует")) } else { Issue.record("нет текста") }
        #expect(m.state.mappedStatus == .published && m.state.status == "Ответ направлен")
        let empty = HeaderLayout(headers: ["Номер"], profile: profile)
        #expect(empty.missing == [.receivedAt])
    }

    @Test("профиль без номера и даты не сохраняется", arguments: [ImportProfile.generic])
    func validation(profile: ImportProfile) {
        var p = profile
        p.columns = ["text": ["Текст"], "category": ["Текст"]]
        let reasons = p.validationIssues().map(\.reason)
        #expect(reasons.contains { $0.contains("номером") } && reasons.contains { $0.contains("датой") } && reasons.contains { $0.contains("уже назначен") })
    }
}
