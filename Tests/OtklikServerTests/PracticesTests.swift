import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

@Suite("Лучшие практики: обращения, побудившие к практике, и её измеренный эффект")
struct PracticesTests {
    static let base = "/api/v1/municipalities/alpha"

    @Test("Внедрена 20.11, окно 14 дней: до — 4, после — 1 (−75 %); предложенная — обращения за последние 14 дней; ошибки ввода", arguments: TestDB.all)
    func practices(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let head = try await app.signIn("a.head")
            for (i, day) in ["2026-11-08", "2026-11-12", "2026-11-16", "2026-11-19", "2026-11-25", "2026-12-05"].enumerated() {
                _ = try await app.call(.POST, "\(Self.base)/cases", as: .token(f.alpha.token), json: caseJSON("PR-\(i)", text: "Обращение \(i)", receivedAt: "\(day)T12:00:00+07:00"))
                try await CaseRecord.query(on: app.db).filter(\.$externalID == "PR-\(i)").set(\.$categoryID, to: f.alpha.rubrics["water"]).update()
            }
            let future = try await app.call(.POST, "\(Self.base)/practices", as: head, json: #"{"title":"x","description":"y","adopted_on":"2027-01-01"}"#)
            #expect(future.status == .unprocessableEntity && future.body.string.contains("в будущем"))
            let noText = try await app.call(.POST, "\(Self.base)/practices", as: head, json: #"{"title":"x"}"#)
            #expect(noText.status == .unprocessableEntity && noText.json["errors"]?[0]?["field"]?.string == "description")
            let adopted = try await app.call(.POST, "\(Self.base)/practices", as: head, json: """
                {"title":"Шаблоны ответов по отключениям воды","description":"Единые тексты с графиком работ","basis":"распоряжение 39-рг, п. 2.2.8",
                 "category_id":"\(f.alpha.rubrics["zhkh"]!)","adopted_on":"20.11.2026","window_days":14}
                """)
            #expect(adopted.status == .created, "\(adopted.body.string)")
            #expect(adopted.json["motivating_cases"]?.int == 4 && adopted.json["effect"]?.string == "до — 4, после — 1 (-75 %)" && adopted.json["change_percent"]?.int == -75,
                    "\(adopted.body.string)")
            let proposed = try await app.call(.POST, "\(Self.base)/practices", as: head, json: """
                {"title":"Дежурство в выходные","description":"Операторы ПОС в субботу","category_id":"\(f.alpha.rubrics["zhkh"]!)","window_days":14}
                """)
            #expect(proposed.json["motivating_cases"]?.int == 2, "23.11–06.12: 25.11 и 05.12 — \(proposed.body.string)")
            #expect(proposed.json["effect"]?.string == nil, "предложенная — эффекта нет")
            #expect(try await app.call(.POST, "\(Self.base)/practices", as: try await app.signIn("a.analyst"), json: #"{"title":"x","description":"y"}"#).status == .forbidden)
            let page = try await WebVisitor.signIn(app, "a.head").get("/m/alpha/practices").body.string
            #expect(page.contains("Шаблоны ответов по отключениям воды") && page.contains("до — 4, после — 1 (-75 %)") && page.contains("20.11.2026"))
        }
    }
}
