import Foundation
@testable import OtklikCore
import Testing

@Suite("Русский текстовый конвейер")
struct TextPipelineTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test("Стеммер Snowball совпадает с эталонной реализацией на каждом слове фикстуры")
    func stemmerMatchesReference() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("russian-stemmer.tsv"), encoding: .utf8)
        var pairs = 0
        var wrong: [String] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            pairs += 1
            let got = RussianStemmer.stem(String(parts[0]))
            if got != parts[1] { wrong.append("\(parts[0]) → \(got), эталон \(parts[1])") }
        }
        #expect(pairs > 10_000, "фикстура слишком мала: \(pairs) пар")
        #expect(wrong.isEmpty, "расхождений \(wrong.count): \(wrong.prefix(20).joined(separator: "; "))")
    }

    @Test("Стеммер: окончания, ё, слова без гласных", arguments: [
        ("обращения", "обращен"), ("дорогами", "дорог"), ("красивейший", "красив"), ("ёлки", "елк"),
        ("улыбнувшись", "улыбнувш"), ("ответственность", "ответствен"), ("вшш", "вшш"), ("я", "я"), ("", ""),
    ])
    func stemmerExamples(word: String, stem: String) {
        #expect(RussianStemmer.stem(word) == stem)
    }

    @Test("HTML из выгрузок: теги, сущности, скрипты; «a < b» остаётся текстом")
    func html() {
        #expect(HTMLText.plain("<p>Нет&nbsp;воды</p><p>уже &laquo;третий&raquo; день&#33;</p>") == "Нет воды\nуже «третий» день!")
        #expect(HTMLText.plain("a < b &amp; c &unknown; &#x41;") == "a < b & c &unknown; A")
        #expect(HTMLText.plain("до<script>alert(1)</script>после<!-- комментарий -->") == "допосле")
    }

    func words(_ text: String) -> [String] { TextPipeline.tokens(text).map(\.text) }

    @Test("Нормализация: регистр, ё, невидимые символы, разложенная «й», совместимые формы")
    func normalisation() {
        #expect(words("ЁЛКА Зелёная") == ["елка", "зеленая"])
        #expect(words("во\u{200B}да и све\u{00AD}т") == ["вода", "и", "свет"])
        #expect(words("линии\u{0306}ныи\u{0306}") == ["линийный"])
        #expect(words("ＡＢＣ ﬁx") == ["abc", "fix"])
    }

    @Test("Латинские буквы-двойники внутри русских слов читаются как кириллица, английские слова не трогаются")
    func lookAlikes() {
        #expect(words("нет вoды в дoмe") == ["нет", "воды", "в", "доме"])
        #expect(words("BOДA") == ["вода"])
        #expect(words("iPhone и COVID") == ["iphone", "и", "covid"])
    }

    @Test("Телефоны, почта и ссылки маскируются; суммы, даты и номера домов — нет")
    func masks() {
        let t = TextPipeline.tokens("Звоните +7 (912) 345-67-89 или 8 912 345 67 89, 89123456789, 9123456789, 23-45-67; "
                                    + "почта zhitel.demo@example.ru, сайт https://example.ru/a?b=1. Сумма 1 000 000 000 руб, дом 15, 21.11.2026")
        let kinds = t.map(\.kind)
        #expect(kinds.filter { $0 == .phone }.count == 5)
        #expect(kinds.filter { $0 == .email }.count == 1)
        #expect(kinds.filter { $0 == .url }.count == 1)
        #expect(!t.contains { $0.text.contains("912") || $0.text.contains("zhitel") || $0.text.contains("example") })
        #expect(t.filter { $0.kind == .number }.map(\.text) == ["1", "000", "000", "000", "15", "21", "11", "2026"])
    }

    @Test("Термы: стоп-слова убраны, отрицания сохранены, числа отброшены")
    func terms() {
        #expect(TextPipeline.terms("Уже третий день НЕТ воды и не горят фонари в доме 5") ==
                ["трет", "ден", "нет", "вод", "не", "гор", "фонар", "дом"])
        #expect(TextPipeline.terms("") == [])
        #expect(TextPipeline.terms("   \n ") == [])
        #expect(TextPipeline.terms("Яма") == ["ям"])
    }

    @Test("Текст в 100 000 символов и мусорные строки обрабатываются без падения")
    func hugeAndOddTexts() {
        let long = String(repeating: "Яма на дороге у дома 5, <b>примите меры</b>! ", count: 2_300)
        #expect(long.count >= 100_000)
        let t = TextPipeline.tokens(long)
        #expect(t.count > 10_000)
        #expect(TextPipeline.tokens(String(repeating: "-", count: 50_000) + "1").count == 1)
        #expect(TextPipeline.tokens(String(repeating: "1 ", count: 40_000)).allSatisfy { $0.kind == .number })
        #expect(TextPipeline.tokens("<<<<&&&&;;;;").isEmpty)
    }
}
