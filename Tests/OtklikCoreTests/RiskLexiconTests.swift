@testable import OtklikCore
import Testing

@Suite("Сигналы риска: негатив, брань, угрозы, опасные темы — оценка и её объяснение")
struct RiskLexiconTests {
    @Test("Оценка по словарю и что из неё следует", arguments: [
        // text, score, urgent, risk candidate — computed by the weights: negative 10 (≤30), swearing 20 (≤30),
        // threat 40 (≤60), danger 40 (≤60).
        ("Яма у дома 5, просим заделать", 0, false, false),
        ("Безобразие! Сколько можно ждать, позор администрации", 30, false, false),     // 3 negative → 30
        ("Если не починят, перекроем дорогу", 40, true, true),                           // threat
        ("В подъезде сильный ЗАПАХ ГАЗА", 40, true, true),                               // danger, case-insensitive
        ("Позор! Дети без отопления, замерзаем, устроим митинг", 100, true, true),       // 10 + 60 (2 danger → cap 60… 80) + 40 → 100
        ("Вoдa ржавая, безобразие, надоело, возмутительно, кошмар", 30, false, false),  // 4 negative → cap 30; Latin «o» folded
    ])
    func scores(text: String, score: Int, urgent: Bool, risk: Bool) {
        let a = RiskLexicon.shipped.score(text)
        #expect(a.score == score, "\(text): \(a.hits)")
        #expect(a.raisesPriority == urgent && a.riskCandidate == risk, "\(text)")
    }

    @Test("Начало слова находит все формы; фраза — слова подряд и по порядку")
    func prefixesAndPhrases() {
        let lexicon = RiskLexicon(lists: [.dangerous: ["обрушен", "запах газ"]])
        #expect(lexicon.score("Обрушения балконов боимся").hits[.dangerous] == ["обрушен"])
        #expect(lexicon.score("газ и запах").hits.isEmpty, "порядок слов фразы важен")
        #expect(lexicon.score("").score == 0 && lexicon.score(String(repeating: "слово ", count: 20_000)).score == 0)
        let a = lexicon.score("<p>Запах&nbsp;газа</p>")
        #expect(a.explanation == "Социально опасная тема: запах газ")
    }

    @Test("Список проверяется: слишком короткие начала слов названы")
    func listProblems() {
        #expect(RiskLexicon.problems(["пожар", "запах газ", "не горит"]).isEmpty)
        #expect(RiskLexicon.problems(["ад"]).first?.contains("«ад»") == true)
        #expect(RiskLexicon.problems(Array(repeating: "пожар", count: 501)).first?.contains("не больше 500") == true)
    }
}
