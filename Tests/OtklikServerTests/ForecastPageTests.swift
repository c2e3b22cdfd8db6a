import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Прогноз на странице: ровный поток даёт ровный прогноз с нулевой ошибкой; короткая история — отказ словами")
struct ForecastPageTests {
    @Test("14 недель по 3 обращения горячей линии → по 3 на каждую из 4 недель, ошибка ±0", arguments: TestDB.all)
    func steady(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T03:00:00Z"))   // Fri; this week starts Mon 16.11
            var items: [String] = []
            for week in 1...14 {
                let monday = at("2026-11-16T10:00:00+07:00").addingTimeInterval(-Double(week) * 7 * 86_400)
                for day in 0..<3 {
                    items.append(caseJSON("F-\(week)-\(day)", channel: "hotline",
                                          receivedAt: TimeText.formatRFC3339(monday.addingTimeInterval(Double(day) * 86_400))))
                }
            }
            let res = try await app.call(.POST, "/api/v1/municipalities/alpha/cases/batch", as: .token(f.alpha.token),
                                         json: #"{"cases":[\#(items.joined(separator: ","))]}"#)
            #expect(res.status == .ok || res.status == .created || res.status == .multiStatus, "\(res.body.string.prefix(300))")
            let page = try await WebVisitor.signIn(app, "a.analyst").get("/m/alpha/forecast").body.string
            #expect(page.contains("История: 14 полных недель"))
            #expect(page.contains("<tr class=\"total\"><td><strong>Всего</strong></td><td>3</td><td><strong>3</strong></td><td><strong>3</strong></td><td><strong>3</strong></td><td><strong>3</strong></td><td>±0,0 в неделю (0 %)</td>"),
                    "\(page.components(separatedBy: "<tr class=\"total\">").last?.prefix(400) ?? "")")
            #expect(page.contains("Горячая линия") && page.contains("неделя с 16.11.2026"))
            #expect(page.contains("<svg") && page.contains("url(#hatch)"), "прогноз на графике заштрихован")
            let csv = try await WebVisitor.signIn(app, "a.analyst").get("/m/alpha/forecast?format=csv").body.string
            #expect(csv.contains("Всего;3;3;3;3;3;±0,0 в неделю (0 %);Холт с затухающим трендом"), "\(csv.prefix(300))")
            // Another municipality with no history: the reason, not a number.
            let empty = try await WebVisitor.signIn(app, "b.admin").get("/m/beta/forecast").body.string
            #expect(empty.contains("мало данных для прогноза: 0 недель истории, нужно не меньше 8"))
        }
    }
}
