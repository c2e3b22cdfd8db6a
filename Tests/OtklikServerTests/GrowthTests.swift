import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

/// Eight quiet weeks of «Дороги» (2 a week in «Центр»), then a week of 9 — 7 of them in «Микрорайон Первый»,
/// where nothing came before. Then the same dates last year turn out to have had the same surge.
@Suite("Факторы роста: рост к собственной базе, обращения всплеска, учёт тех же недель прошлого года")
struct GrowthTests {
    static let week = "from=2026-11-16T00:00:00%2B07:00&to=2026-11-23T00:00:00%2B07:00"

    /// Registers `count` hotline cases on `day` and files them under a topic and a territory.
    static func cases(_ app: Application, _ f: Fixture, _ prefix: String, day: String, count: Int, rubric: String, territory: String) async throws {
        for i in 0..<count {
            _ = try await CaseDriver.register(app, f, channel: "hotline", external: "\(prefix)-\(i)", receivedAt: "\(day)T1\(i % 10):00:00+07:00")
        }
        try await CaseRecord.query(on: app.db).filter(\.$externalID ~~ "\(prefix)-")
            .set(\.$categoryID, to: f.alpha.rubrics[rubric]).set(\.$territoryID, to: f.alpha.territories[territory]).update()
    }

    @Test("неделя всплеска: тема и территория названы с объяснением и обращениями; год назад было то же — тема не тревога",
          arguments: TestDB.all)
    func spike(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T03:00:00Z"))
            let weeks = ["2026-09-21", "2026-09-28", "2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09"]
            for (i, day) in weeks.enumerated() {
                try await Self.cases(app, f, "B\(i)", day: day, count: 2, rubric: "roads", territory: "centre")
                try await Self.cases(app, f, "Z\(i)", day: day, count: 1, rubric: "zhkh", territory: "centre")
            }
            try await Self.cases(app, f, "S", day: "2026-11-17", count: 7, rubric: "roads", territory: "micro")
            try await Self.cases(app, f, "T", day: "2026-11-18", count: 2, rubric: "roads", territory: "centre")
            try await Self.cases(app, f, "U", day: "2026-11-18", count: 2, rubric: "zhkh", territory: "centre")

            let analyst = try await app.signIn("a.analyst")
            let res = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/growth?\(Self.week)", as: analyst)
            #expect(res.status == .ok, "\(res.body.string)")
            let factors = res.json["factors"]?.array ?? []
            // Territory «Микрорайон Первый»: 7 against nothing — (7 − 0) ÷ √1 = 7 σ.
            // Topic «Дороги»: 9 against a mean of 2 (variance 0 → floor 2): (9 − 2) ÷ √2 = 4,95 σ, 4,5 times.
            // «ЖКХ» 2 against 1 and «Центр» 4 against 3 stay quiet.
            #expect(factors.map { "\($0["dimension"]?.string ?? "") \($0["name"]?.string ?? "")" } == ["territory Микрорайон Первый", "category Дороги"],
                    "\(res.body.string)")
            let roads = try #require(factors.last)
            #expect(roads["current"]?.int == 9 && roads["expected"]?.double == 2 && roads["ratio"]?.double == 4.5 && roads["score"]?.double == 4.95)
            #expect(roads["seasonal"]?.double == nil, "истории за прошлый год нет")
            #expect(roads["explanation"]?.string == "9 обращений при ожидаемых 2,0: в среднем 2,0 за 8 предыдущих периодов той же длины (истории за прошлый год нет — без учёта сезонности); рост в 4,5 раза, отклонение 4,9 σ")
            #expect(roads["concentration"]?.string == "чаще всего территория «Микрорайон Первый» — 7 из 9")
            #expect(roads["sample_numbers"]?.array.count == 5)
            #expect(factors.first?["explanation"]?.string?.contains("раньше таких обращений не было") == true)
            // The cases of the spike: the list opens exactly the 9.
            let list = try await app.call(.GET, "/api/v1/municipalities/alpha/cases?\(roads["cases_query"]?.string ?? "")&limit=50", as: analyst)
            #expect(Set(list.json["items"]?.array.compactMap { $0["external_id"]?.string } ?? []) == Set((0..<7).map { "S-\($0)" } + ["T-0", "T-1"]))

            // The dashboard lists them with links to the cases; the memo's section 3 states them.
            let web = try await WebVisitor.signIn(app, "a.analyst")
            let html = try await web.get("/m/alpha/dashboard?from=2026-11-16&to=2026-11-22").body.string
            #expect(html.contains("Аномальный рост") && html.contains("<strong>Тема: Дороги</strong>") && html.contains("все 9 →"))
            let memo = try await web.get("/m/alpha/memo?from=2026-11-16&to=2026-11-22").body.string
            #expect(memo.contains("3. Факторы роста обращений") && memo.contains("Территория «Микрорайон Первый»: 7 обращений при ожидаемых 0,0"))
            #expect(memo.contains("выше обычного"), "рекомендация по росту")
            // A period longer than a quarter is not judged, and says so.
            let long = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/growth?from=2026-01-01&to=2026-11-22", as: analyst)
            #expect(long.json["judged"]?.bool == false && long.json["factors"]?.array.isEmpty == true)
            #expect(try await web.get("/m/alpha/dashboard?from=2026-01-01&to=2026-11-22").body.string.contains("Для периодов длиннее квартала рост не оценивается"))

            // The same surge a year ago (9 after eight weeks of 2): roads were seasonal — (9 + 1) ÷ (2 + 1) → factor 3,
            // 6 expected, (9 − 6) ÷ √6 = 1,2 σ: no longer abnormal. The microdistrict had nothing last year: still flagged.
            let lastYear = ["2025-09-22", "2025-09-29", "2025-10-06", "2025-10-13", "2025-10-20", "2025-10-27", "2025-11-03", "2025-11-10"]
            for (i, day) in lastYear.enumerated() { try await Self.cases(app, f, "L\(i)", day: day, count: 2, rubric: "roads", territory: "centre") }
            try await Self.cases(app, f, "LS", day: "2025-11-18", count: 9, rubric: "roads", territory: "centre")
            let seasonal = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/growth?\(Self.week)", as: analyst)
            #expect(seasonal.json["factors"]?.array.map { $0["name"]?.string ?? "" } == ["Микрорайон Первый"], "\(seasonal.body.string)")
            #expect(seasonal.json["factors"]?.array.first?["seasonal"]?.double == 1, "(0 + 1) ÷ (0 + 1)")
        }
    }
}
