import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Рейтинг организаций: составляющие, итоговый балл, веса МО — на рассчитанном вручную примере")
struct RatingTests {
    @Test("ЖКХ 75 и Дороги 30 при стандартных весах; веса с нулевой суммой отвергнуты; только своевременность — 50 и 0; нагрузка",
          arguments: TestDB.all)
    func organisations(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-16T03:00:00Z"))   // Mon 10:00 (+07)
            let op = try await app.signIn("a.operator")
            func routed(_ external: String, org: String, deadline: String) async throws -> CaseDriver {
                let c = try await CaseDriver.register(app, f, channel: "hotline", external: external, receivedAt: "2026-11-16T10:00:00+07:00")
                app.clock.set(at("2026-11-16T04:00:00Z"))
                _ = try await c.act("take_in_work", as: op)
                _ = try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs[org]!.uuidString)","deadline":"\#(deadline)""#)
                app.clock.set(at("2026-11-16T03:00:00Z"))
                return c
            }
            // ЖКХ: A1 answered after 3 h of a 49 h term (met, fast); A2 never answered (term ended Tue).
            let a1 = try await routed("A1", org: "zhkh", deadline: "2026-11-18T05:00:00Z")
            _ = try await routed("A2", org: "zhkh", deadline: "2026-11-17T05:00:00Z")
            // Дороги: B1 answered Wed after a term that ended Tue (missed, slow).
            let b1 = try await routed("B1", org: "roads", deadline: "2026-11-17T05:00:00Z")
            app.clock.set(at("2026-11-16T07:00:00Z"))
            _ = try await a1.act("submit_answer", as: try await app.signIn("a.exec.zhkh"), #""text":"Сделано.","result":"resolved""#)
            app.clock.set(at("2026-11-18T03:00:00Z"))
            _ = try await b1.act("submit_answer", as: try await app.signIn("a.exec.roads"), #""text":"Разъяснено.","result":"explained""#)
            for (c, rating, result, returns) in [(a1, 5, "resolved", 0), (b1, 3, "explained", 1)] {
                let r = try #require(try await CaseRecord.find(UUID(uuidString: c.caseID), on: app.db))
                r.status = "closed"; r.result = result; r.feedbackRating = rating; r.returnCount = returns; r.nextDueAt = nil
                try await r.update(on: app.db)
            }

            app.clock.set(at("2026-11-20T03:00:00Z"))
            let head = try await app.signIn("a.head")
            let week = "from=2026-11-16&to=2026-11-22"
            var res = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/ratings?\(week)", as: head)
            #expect(res.status == .ok, "\(res.body.string)")
            var rows = res.json["rows"]?.array ?? []
            #expect(rows.map { $0["name"]?.string ?? "" } == ["Управление ЖКХ", "Дорожное управление"] || rows.count == 2, "\(rows.map { $0["name"]?.string ?? "" })")
            let zhkh = try #require(rows.first { $0["id"]?.string == f.alpha.orgs["zhkh"]!.uuidString })
            let roads = try #require(rows.first { $0["id"]?.string == f.alpha.orgs["roads"]!.uuidString })
            func score(_ row: JSONValue, _ key: String) -> Double? { row["components"]?.array.first { $0["key"]?.string == key }?["score"]?.double }
            // ЖКХ: своевременность 1/2, скорость 1/1, полнота 1/2, качество (1 + 1)/2, удовлетворённость (1 + 1)/2
            #expect(score(zhkh, "timeliness") == 0.5 && score(zhkh, "speed") == 1 && score(zhkh, "completeness") == 0.5)
            #expect(score(zhkh, "quality") == 1 && score(zhkh, "satisfaction") == 1)
            #expect(zhkh["composite"]?.double == 75, "(30·0,5 + 15·1 + 20·0,5 + 15·1 + 20·1) ÷ 100 × 100 = 75")
            // Дороги: 0, 0, 1/1, (0 + 0)/2, (0 + 1)/2 → (20·1 + 20·0,5) ÷ 100 = 30
            #expect(score(roads, "timeliness") == 0 && score(roads, "speed") == 0 && score(roads, "completeness") == 1)
            #expect(score(roads, "quality") == 0 && score(roads, "satisfaction") == 0.5)
            #expect(roads["composite"]?.double == 30)
            #expect(zhkh["rank"]?.int == 1 && roads["rank"]?.int == 2 && zhkh["movement"]?.string == "новый")
            #expect(zhkh["open_now"]?.int == 1 && zhkh["overdue_now"]?.int == 1, "A2 открыто и просрочено")
            #expect(res.json["formula"]?.string?.contains("Σ (вес × оценка") == true)

            // The page shows the same table and, to the МЦУ head, the weights form; an executor gets no form.
            let web = try await WebVisitor.signIn(app, "a.head")
            let page = try await web.get("/m/alpha/ratings?\(week)").body.string
            #expect(page.contains("<strong>75,0</strong>") && page.contains("<strong>30,0</strong>") && page.contains("новый"))
            #expect(page.contains("1 из 2") && page.contains("id=\"weights-form\""), "составляющие с числами, форма весов")
            let refused = try await web.submit("/m/alpha/ratings/weights", ["timeliness": "0", "speed": "0", "completeness": "0", "quality": "0",
                                                                             "satisfaction": "0", "version": "0"], csrfFrom: "/m/alpha/ratings")
            #expect(refused.status == .seeOther)
            #expect(try await web.get("/m/alpha/ratings").body.string.contains("сумма весов должна быть больше нуля"))
            let exported = try await web.get("/m/alpha/ratings/export?format=csv&\(week)").body.string
            #expect(exported.contains("Место;Движение;Название;Поступило;Итоговый балл;Своевременность") && exported.contains(";75;"), "\(exported.prefix(400))")
            let execPage = try await WebVisitor.signIn(app, "a.exec.zhkh").get("/m/alpha/ratings").body.string
            #expect(!execPage.contains("weights-form"))

            // Weights: a zero sum and a negative weight are refused; nothing is stored.
            let zero = try await app.call(.PUT, "/api/v1/municipalities/alpha/analytics/rating-weights", as: head,
                                          json: #"{"timeliness":0,"speed":0,"completeness":0,"quality":0,"satisfaction":0,"version":0}"#)
            #expect(zero.status == .unprocessableEntity && zero.body.string.contains("сумма весов должна быть больше нуля"))
            let negative = try await app.call(.PUT, "/api/v1/municipalities/alpha/analytics/rating-weights", as: head,
                                              json: #"{"speed":-5,"version":0}"#)
            #expect(negative.status == .unprocessableEntity && negative.body.string.contains("speed"))
            let exec = try await app.signIn("a.exec.zhkh")
            #expect(try await app.call(.PUT, "/api/v1/municipalities/alpha/analytics/rating-weights", as: exec,
                                       json: #"{"timeliness":1,"version":0}"#).status == .forbidden)
            let saved = try await app.call(.PUT, "/api/v1/municipalities/alpha/analytics/rating-weights", as: head,
                                           json: #"{"timeliness":10,"speed":0,"completeness":0,"quality":0,"satisfaction":0,"version":0}"#)
            #expect(saved.status == .ok && saved.json["version"]?.int == 1, "\(saved.body.string)")
            #expect(try await app.call(.PUT, "/api/v1/municipalities/alpha/analytics/rating-weights", as: head,
                                       json: #"{"timeliness":20,"version":0}"#).status == .conflict, "устаревшая правка")
            res = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/ratings?\(week)", as: head)
            rows = res.json["rows"]?.array ?? []
            #expect(rows.first { $0["id"]?.string == f.alpha.orgs["zhkh"]!.uuidString }?["composite"]?.double == 50)
            #expect(rows.first { $0["id"]?.string == f.alpha.orgs["roads"]!.uuidString }?["composite"]?.double == 0)

            // Executors and blocks use the same arithmetic; a bad level is named.
            let executors = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/ratings?\(week)&level=executor", as: head)
            #expect(executors.status == .ok)
            #expect(try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/ratings?level=отдел", as: head).status == .unprocessableEntity)
        }
    }
}
