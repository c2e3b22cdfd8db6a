import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

@Suite("Дорожные карты: эффект шагов на рассчитанном вручную примере")
struct RoadmapsTests {
    static let base = "/api/v1/municipalities/alpha"

    @Test("Тема «ЖКХ» с подтемами: 6 обращений за 14 дней до шага, 2 после — −67 %; другая тема и старые обращения не считаются; ошибки ввода", arguments: TestDB.all)
    func effect(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let head = try await app.signIn("a.head")
            // Hand-computed fixture: step done 20.11; window 14 days: before = 06.11–19.11, after = 20.11–03.12.
            let days: [(String, String)] = [("2026-11-07", "no-water"), ("2026-11-10", "water"), ("2026-11-12", "zhkh"), ("2026-11-15", "no-water"),
                                            ("2026-11-18", "no-water"), ("2026-11-19", "zhkh"),           // 6 before
                                            ("2026-11-22", "no-water"), ("2026-12-01", "zhkh"),           // 2 after
                                            ("2026-10-01", "zhkh"),                                       // outside both windows
                                            ("2026-11-15", "roads"), ("2026-11-25", "roads")]             // another topic
            for (i, (day, rubric)) in days.enumerated() {
                let c = try await app.call(.POST, "\(Self.base)/cases", as: .token(f.alpha.token),
                                           json: caseJSON("RM-\(i)", text: "Обращение \(i)", receivedAt: "\(day)T12:00:00+07:00"))
                #expect(c.status == .created, "\(c.body.string)")
                try await CaseRecord.query(on: app.db).filter(\.$externalID == "RM-\(i)").set(\.$categoryID, to: f.alpha.rubrics[rubric]).update()
            }
            let bad = try await app.call(.POST, "\(Self.base)/roadmaps", as: head, json: #"{"title":"x","target_kind":"district","target_id":"1"}"#)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("category (тема), territory"))
            let foreign = try await app.call(.POST, "\(Self.base)/roadmaps", as: head, json: #"{"title":"x","target_kind":"category","target_id":"\#(f.beta.rubrics["zhkh"]!)"}"#)
            #expect(foreign.status == .unprocessableEntity && foreign.json["errors"]?[0]?["field"]?.string == "target_id")
            let made = try await app.call(.POST, "\(Self.base)/roadmaps", as: head, json: """
                {"title":"Перебои с водой","goal":"Вдвое меньше обращений","target_kind":"category","target_id":"\(f.alpha.rubrics["zhkh"]!)","window_days":14}
                """)
            #expect(made.status == .created, "\(made.body.string)")
            let id = made.json["id"]?.string ?? ""
            _ = try await app.call(.POST, "\(Self.base)/roadmaps/\(id)/steps", as: head, json: #"{"title":"Заменить задвижки на водоводе","organisation_id":"\#(f.alpha.orgs["water"]!)","due_on":"20.11.2026"}"#)
            _ = try await app.call(.POST, "\(Self.base)/roadmaps/\(id)/steps", as: head, json: #"{"title":"Резервная насосная","due_on":"2027-03-01"}"#)
            let step = try await app.call(.GET, "\(Self.base)/roadmaps/\(id)", as: head).json["steps"]?[0]?["id"]?.string ?? ""
            let future = try await app.call(.POST, "\(Self.base)/roadmaps/\(id)/steps/done", as: head, json: #"{"step_id":"\#(step)","done_on":"2026-12-31"}"#)
            #expect(future.status == .unprocessableEntity && future.body.string.contains("в будущем"))
            let done = try await app.call(.POST, "\(Self.base)/roadmaps/\(id)/steps/done", as: head, json: #"{"step_id":"\#(step)","done_on":"20.11.2026"}"#)
            let first = done.json["steps"]?[0]
            #expect(first?["before"]?.int == 6 && first?["after"]?.int == 2 && first?["change_percent"]?.int == -67, "\(done.body.string.prefix(600))")
            #expect(first?["effect"]?.string == "до — 6, после — 2 (-67 %)")
            #expect(done.json["steps"]?[1]?["effect"]?.string == "шаг не выполнен")
            let week = done.json["weeks"]?.array.first { $0["week"]?.string == "2026-11-16" }
            #expect(week?["count"]?.int == 3, "неделя 16–22.11: 18.11, 19.11, 22.11")
            #expect(try await app.call(.POST, "\(Self.base)/roadmaps", as: try await app.signIn("a.analyst"), json: #"{"title":"x"}"#).status == .forbidden)
            let memo = try await app.call(.GET, "\(Self.base)/analytics/memo.docx?from=2026-11-30&to=2026-12-06", as: head)
            let memoText = String(decoding: try #require(try XLSXPackage(data: Data(buffer: memo.body)).part("word/document.xml")), as: UTF8.self)
            #expect(memoText.contains("9. Дорожные карты") && memoText.contains("Заменить задвижки на водоводе — до — 6, после — 2 (-67 %)"))
            let web = try await WebVisitor.signIn(app, "a.head")
            let page = try await web.get("/m/alpha/roadmaps/\(id)").body.string
            #expect(page.contains("до — 6, после — 2 (-67 %)") && page.contains("<svg") && page.contains("тема «ЖКХ»"))
        }
    }
}
