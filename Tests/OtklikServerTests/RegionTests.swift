import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Сводка по региону для ЦУР: МО рядом, место по баллу, записка по региону; чужой регион и роль МО — отказ")
struct RegionTests {
    @Test("ЦУР видит оба МО края с их показателями; записка DOCX; ЦУР другого края и администратор МО — 403", arguments: TestDB.all)
    func region(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-16T03:00:00Z"))
            let c = try await CaseDriver.register(app, f, channel: "hotline", external: "R-1", receivedAt: "2026-11-16T10:00:00+07:00")
            _ = try await CaseDriver.register(app, f, channel: "hotline", external: "R-2", receivedAt: "2026-11-16T10:00:00+07:00")
            app.clock.set(at("2026-11-16T04:00:00Z"))
            _ = try await c.act("take_in_work", as: try await app.signIn("a.operator"))
            app.clock.set(at("2026-11-20T03:00:00Z"))

            let web = try await WebVisitor.signIn(app, "regional")
            #expect(try await web.get("/").body.string.contains("Сводка по региону"))
            let page = try await web.get("/region?from=2026-11-16&to=2026-11-22")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Округ a") && html.contains("Округ b") && html.contains("16.11.2026 — 22.11.2026"))
            // alpha: 2 cases, one taken in time of two → 50 %; beta: no cases → «нет данных», no place.
            let alphaRow = try #require(html.components(separatedBy: "<tr>").first { $0.contains("Округ a") })
            #expect(alphaRow.contains("<td>1</td>") && alphaRow.contains("<td>2</td>") && alphaRow.contains("<td>50 %</td>"), "\(alphaRow)")
            let betaRow = try #require(html.components(separatedBy: "<tr>").first { $0.contains("Округ b") })
            #expect(betaRow.contains("<td>—</td>") && betaRow.contains("нет данных"))

            let memo = try await web.get("/region/memo.docx?from=2026-11-16&to=2026-11-22")
            #expect(memo.status == .ok)
            let document = String(decoding: try #require(try XLSXPackage(data: Data(buffer: memo.body)).part("word/document.xml")), as: UTF8.self)
            #expect(document.contains("Аналитическая записка по региону") && document.contains("Тестовый край") && document.contains("Округ a"))

            #expect(try await WebVisitor.signIn(app, "regional.other").get("/region").status == .forbidden)
            #expect(try await WebVisitor.signIn(app, "a.admin").get("/region").status == .forbidden)
            let bad = try await web.get("/region?from=2010-01-01&to=2026-01-01").body.string
            #expect(bad.contains("Фильтр не применён") && bad.contains("не более трёх лет"))
        }
    }
}
