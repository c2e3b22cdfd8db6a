import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Сигналы риска при поступлении: срочность, кандидат в инфориски, уведомление, словари МО")
struct RiskSignalsTests {
    @Test("Угроза и негатив: срочно, кандидат, запись в истории и уведомление; спокойный текст — ничего", arguments: TestDB.all)
    func intake(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let base = "/api/v1/municipalities/alpha"
            let op = try await app.signIn("a.operator")
            let angry = try await app.call(.POST, "\(base)/cases", as: .token(f.alpha.token),
                                           json: caseJSON("R-1", text: "Безобразие! Если не починят, перекроем дорогу всем двором."))
            // threat «перекро дорог» 40 + negative «безобрази» 10 = 50
            #expect(angry.json["risk_score"]?.int == 50 && angry.json["urgent"]?.bool == true && angry.json["risk_candidate"]?.bool == true,
                    "\(angry.body.string.prefix(600))")
            #expect(angry.json["risk_signals"]?["threat"]?.array.compactMap(\.string) == ["перекро дорог"])
            let card = try await CaseDriver(app: app, slug: "alpha", caseID: angry.json["id"]?.string ?? "").card(op)
            let event = try #require(card["history"]?.array.first { $0["kind"]?.string == "risk_signal" })
            #expect(event["actor"]?.string == "система (сигналы риска)" && event["details"]?["notice"]?.string?.contains("оценка 50 из 100") == true)
            let calm = try await app.call(.POST, "\(base)/cases", as: .token(f.alpha.token), json: caseJSON("R-2", text: "Прошу покосить траву у дома 3."))
            #expect(calm.json["risk_score"]?.int == 0 && calm.json["urgent"]?.bool == false && calm.json["risk_candidate"]?.bool == false)
            let inbox = try await app.call(.GET, "\(base)/notifications", as: try await app.signIn("a.head")).json["items"]?.array ?? []
            #expect(inbox.contains { $0["title"]?.string?.hasPrefix("Кандидат в информационные риски") == true })
            let listed = try await app.call(.GET, "\(base)/cases?risk_candidate=true", as: op).json["items"]?.array ?? []
            #expect(listed.map { $0["id"]?.string ?? "" } == [angry.json["id"]?.string ?? "-"])
            let web = try await WebVisitor.signIn(app, "a.operator")
            #expect(try await web.get("/m/alpha/cases?risk_candidate=true").body.string.contains("инфориск?"))
            #expect(try await web.get("/m/alpha/cases/\(angry.json["id"]?.string ?? "")").body.string.contains("Угрозы и протестные действия: перекро дорог"))
        }
    }

    @Test("Словарь МО: своё слово работает, короткое отвергнуто, устаревшая правка, возврат к списку по умолчанию, роль",
          arguments: TestDB.all)
    func lexicon(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let head = try await app.signIn("a.head")
            let path = "/api/v1/municipalities/alpha/risk-lexicon"
            let short = try await app.call(.PUT, "\(path)/negative", as: head, json: #"{"entries":["ад"],"version":0}"#)
            #expect(short.status == .unprocessableEntity && short.body.string.contains("не короче трёх букв"))
            #expect(try await app.call(.PUT, "\(path)/negative", as: try await app.signIn("a.exec.zhkh"), json: #"{"entries":["хамло"],"version":0}"#).status == .forbidden)
            #expect(try await app.call(.PUT, "\(path)/fear", as: head, json: #"{"entries":["хамло"],"version":0}"#).status == .notFound)
            let saved = try await app.call(.PUT, "\(path)/negative", as: head, json: #"{"entries":["Хамло","отписк"],"version":0}"#)
            #expect(saved.status == .ok && saved.json.array.first { $0["signal"]?.string == "negative" }?["entries"]?.array.count == 2, "\(saved.body.string)")
            #expect(try await app.call(.PUT, "\(path)/negative", as: head, json: #"{"entries":["хамло"],"version":0}"#).status == .conflict)
            let c = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                       json: caseJSON("L-1", text: "На вахте хамло, и опять отписки. Позор!"))
            // «позор» is no longer in the municipality's list: 2 × 10 = 20, not urgent, not a candidate.
            #expect(c.json["risk_score"]?.int == 20 && c.json["urgent"]?.bool == false && c.json["risk_candidate"]?.bool == false, "\(c.body.string.prefix(400))")
            let reset = try await app.call(.PUT, "\(path)/negative", as: head, json: #"{"reset":true,"version":1}"#)
            #expect(reset.json.array.first { $0["signal"]?.string == "negative" }?["shipped"]?.bool == true)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["risk_lexicon.update", "risk_lexicon.reset"]).count() == 2)
            let web = try await WebVisitor.signIn(app, "a.head")
            let page = try await web.get("/m/alpha/admin/risk-lexicon").body.string
            #expect(page.contains("Социально опасная тема") && page.contains("запах газ"))
            let bad = try await web.submit("/m/alpha/admin/risk-lexicon/dangerous", ["entries": "пожар\nад", "version": "0", "intent": "save"],
                                           csrfFrom: "/m/alpha/admin/risk-lexicon")
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("«ад»") && bad.body.string.contains("пожар\nад"))
        }
    }
}
