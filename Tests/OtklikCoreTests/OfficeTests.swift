import Foundation
@testable import OtklikCore
import Testing

@Suite("Документы: PNG без библиотек, части DOCX, записка по правилам")
struct OfficeTests {
    @Test("PNG: подпись, CRC известного блока, несжатый deflate с Adler-32")
    func png() {
        #expect(PNGEncoder.crc32(Array("IEND".utf8)) == 0xAE42_6082, "CRC блока IEND из спецификации PNG")
        let bytes = PNGEncoder.encode(width: 2, height: 1, rgb: [255, 0, 0, 0, 0, 255])
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(bytes.suffix(12)) == [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82])
        let chart = RasterBarChart.png([.init(value: 10, comparison: 5), .init(value: 0)])
        #expect(chart.width == 900 && chart.height == 80 && chart.bytes.count > chart.width * chart.height * 3)
    }

    @Test("DOCX: текст экранирован, таблица и рисунок на месте, обязательные части пакета")
    func docx() {
        let w = DOCXWriter(title: "Т", author: "Отклик", blocks: [
            .heading("1. <Итоги> & выводы"), .table(header: ["А", "Б"], rows: [["1", "2"]]),
            .picture(png: PNGEncoder.encode(width: 1, height: 1, rgb: [0, 0, 0]), width: 1, height: 1, description: "рисунок"),
        ])
        let parts = Dictionary(uniqueKeysWithValues: w.parts().map { ($0.path, String(decoding: $0.bytes, as: UTF8.self)) })
        #expect(Set(parts.keys).isSuperset(of: ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
                                                "word/_rels/document.xml.rels", "word/media/image1.png"]))
        let doc = parts["word/document.xml"] ?? ""
        #expect(doc.contains("1. &lt;Итоги&gt; &amp; выводы") && doc.contains("<w:tbl>") && doc.contains(#"r:embed="rIdImg1""#))
        #expect(parts["word/_rels/document.xml.rels"]?.contains("media/image1.png") == true)
    }

    @Test("записка: рекомендации только по сработавшим правилам, с основанием")
    func memoRules() {
        var good = KPIAggregates(); good.volume = 10; good.rated = 10; good.rated45 = 9; good.clocks[.takeInWork] = .init(met: 10)
        good.resolved = 8; good.explained = 2
        let quiet = WeeklyMemo.Input(municipality: "МО", periodText: "неделя", previousText: "прошлая", generatedText: "сейчас",
                                     figures: KPISheet.figures(good), topics: [], organisations: [], workload: [:])
        #expect(WeeklyMemo.recommendations(quiet) == ["Отклонений, требующих управленческих решений, за период не выявлено."])
        var bad = good; bad.rated45 = 3
        var input = quiet
        input.figures = KPISheet.figures(bad)
        input.topics = [.init(name: "Ямы на дороге", count: 12, previous: 4), .init(name: "Освещение", count: 4, previous: 1)]
        input.growth = [.init(kind: "Тема", name: "Ямы на дороге", count: 12, explanation: "12 обращений при ожидаемых 4,0",
                              concentration: "чаще всего территория «Центр» — 9 из 12", caseNumbers: [41, 40])]
        let advice = WeeklyMemo.recommendations(input)
        #expect(advice.count == 2, "\(advice)")
        #expect(advice[0].contains("30 % при цели 60 %") && advice[0].contains("основание"))
        #expect(advice[1].contains("Тема «Ямы на дороге»: 12 обращений") && !advice.joined().contains("Освещение"), "рост только у найденных факторов")
        let sections = WeeklyMemo.sections(input)
        #expect(sections.map(\.title).last == "10. Рекомендации")
        #expect(sections[2].bullets == ["Тема «Ямы на дороге»: 12 обращений при ожидаемых 4,0; чаще всего территория «Центр» — 9 из 12; обращения № 41, 40."])
        input.growth = nil
        #expect(WeeklyMemo.sections(input)[2].paragraphs == ["Для периодов длиннее квартала рост не оценивается."])
    }

    @Test("CSV: кавычки, переводы строк, формулы жителей не исполняются", arguments: [
        ("просто текст", "просто текст"),
        ("a;b", "\"a;b\""),
        ("сказал \"нет\"", "\"сказал \"\"нет\"\"\""),
        ("две\nстроки", "\"две\nстроки\""),
        ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
        ("-5", "'-5"),
        ("1,5 %", "1,5 %"),
        ("", ""),
    ])
    func csvField(raw: String, expected: String) {
        #expect(CSVWriter.field(raw) == expected)
    }

    @Test("CSV-документ: BOM, точка с запятой, CRLF")
    func csvDocument() {
        let bytes = CSVWriter.document(header: ["№", "Текст"], rows: [["1", "Яма"]])
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == "№;Текст\r\n1;Яма\r\n")
    }
}
