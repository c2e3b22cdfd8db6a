import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

/// Messages about one problem: clustered at intake by text, place and time; corrected, merged and
/// answered as one by people; earlier answers offered to whoever writes a new one.
@Suite("Похожие обращения: группы при поступлении, связь, объединение, ответ всем, похожие ответы")
struct ClusterTests {
    static let pothole = "Огромная яма на дороге у дома 12 по улице Лесной, машины бьют колёса, просим срочно заделать"
    static let retold = "Огромная яма на дороге у дома 12 по улице Лесной, машины бьют колёса! Заделайте уже"
    static let base = "/api/v1/municipalities/alpha"

    struct Posted { var id: String; var number: Int; var json: JSONValue }

    /// Registers one case of the roads category; `place` is extra JSON for its location.
    static func post(_ app: Application, _ f: Fixture, _ ext: String, _ text: String, received: String,
                     place: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Posted {
        var extra = #""category":"roads""#
        if let place { extra += #","location":{\#(place)}"# }
        let res = try await app.call(.POST, "\(base)/cases", as: .token(f.alpha.token),
                                     json: caseJSON(ext, text: text, receivedAt: received, extra: extra))
        #expect(res.status == .created, "\(res.body.string.prefix(400))", sourceLocation: sourceLocation)
        return Posted(id: res.json["id"]?.string ?? "", number: res.json["number"]?.int ?? 0, json: res.json)
    }

    static func main1Card(_ app: Application, _ id: String, _ op: Caller) async throws -> JSONValue {
        try await CaseDriver(app: app, slug: "alpha", caseID: id).card(op)
    }

    static func history(_ app: Application, _ caseID: String, as caller: Caller) async throws -> [JSONValue] {
        try await CaseDriver(app: app, slug: "alpha", caseID: caseID).card(caller)["history"]?.array ?? []
    }

    @Test("При поступлении: тот же адрес или 300 м и 14 дней — одна группа; далеко, давно или в другом МО — нет", arguments: TestDB.all)
    func intake(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T05:00:00Z"))   // Friday 12:00 local
            let op = try await app.signIn("a.operator")
            let first = try await Self.post(app, f, "D-1", Self.pothole, received: "2026-11-18T10:00:00+07:00",
                                            place: #""latitude":52.9000,"longitude":87.9000"#)
            #expect(first.json["cluster_id"]?.string == nil, "первое сообщение — ещё не группа")
            // 170 m away, the next day, told in other words: the same pit.
            let near = try await Self.post(app, f, "D-2", Self.retold, received: "2026-11-19T08:00:00+07:00",
                                           place: #""latitude":52.9015,"longitude":87.9005"#)
            #expect(near.json["cluster_id"]?.string == first.id, "\(near.json["cluster_id"] ?? .null)")
            let event = try #require(try await Self.history(app, near.id, as: op).first { $0["kind"]?.string == "similar_found" })
            #expect(event["actor"]?.string == "система (поиск похожих)" && event["details"]?["similar_to"]?.string == String(first.number))
            #expect(event["details"]?["notice"]?.string?.hasPrefix("Похоже на обращение №\(first.number): ") == true, "\(event)")
            let firstCard = try await CaseDriver(app: app, slug: "alpha", caseID: first.id).card(op)
            #expect(firstCard["cluster_id"]?.string == first.id, "старшее обращение стало основным")
            // 3 km away: another pit; 19 days earlier: outside the window; another municipality: never.
            let far = try await Self.post(app, f, "D-3", Self.pothole, received: "2026-11-19T09:00:00+07:00",
                                          place: #""latitude":52.9300,"longitude":87.9000"#)
            let old = try await Self.post(app, f, "D-4", Self.pothole, received: "2026-11-01T09:00:00+07:00",
                                          place: #""latitude":52.9000,"longitude":87.9000"#)
            #expect(far.json["cluster_id"]?.string == nil && old.json["cluster_id"]?.string == nil, "\(far.json["cluster_id"] ?? .null) \(old.json["cluster_id"] ?? .null)")
            let beta = try await app.call(.POST, "/api/v1/municipalities/beta/cases", as: .token(f.beta.token),
                                          json: caseJSON("D-5", text: Self.pothole, receivedAt: "2026-11-19T10:00:00+07:00",
                                                         extra: #""location":{"latitude":52.9,"longitude":87.9}"#))
            #expect(beta.status == .created && beta.json["cluster_id"]?.string == nil)
            // One batch: two messages about the same address find each other.
            let batch = try await app.call(.POST, "\(Self.base)/cases/batch", as: .token(f.alpha.token), json: """
                {"cases":[\(caseJSON("B-1", text: "Не вывозят мусор с контейнерной площадки у дома 3 по улице Садовой уже неделю", receivedAt: "2026-11-19T11:00:00+07:00", extra: #""location":{"address":"ул. Садовая, д. 3"}"#)),
                          \(caseJSON("B-2", text: "Мусор с контейнерной площадки у дома 3 на Садовой не вывозят неделю, всё переполнено", receivedAt: "2026-11-19T12:00:00+07:00", extra: #""location":{"address":"улица Садовая 3"}"#))]}
                """)
            let ids = batch.json["results"]?.array.compactMap { $0["id"]?.string } ?? []
            #expect(ids.count == 2, "\(batch.body.string)")
            let second = try await CaseDriver(app: app, slug: "alpha", caseID: ids.last ?? "").card(op)
            #expect(second["cluster_id"]?.string == ids.first, "\(second["cluster_id"] ?? .null)")

            let list = try await app.call(.GET, "\(Self.base)/clusters", as: op).json["items"]?.array ?? []
            #expect(list.count == 2 && Set(list.compactMap { $0["size"]?.int }) == [2], "\(list)")
            let pit = try #require(list.first { $0["id"]?.string == first.id })
            #expect(pit["main_number"]?.int == first.number && pit["open"]?.int == 2)
            let detail = try await app.call(.GET, "\(Self.base)/clusters/\(first.id)", as: op).json
            #expect(detail["cases"]?.array.compactMap { $0["number"]?.int } == [first.number, near.number] && detail["size"]?.int == 2)
            // An executor of another organisation sees neither the pit's cases nor its cluster.
            let zhkh = try await app.signIn("a.exec.zhkh")
            #expect(try await app.call(.GET, "\(Self.base)/clusters/\(first.id)", as: zhkh).status == .notFound)
            let roads = try await app.signIn("a.exec.roads")
            #expect(try await app.call(.GET, "\(Self.base)/clusters", as: roads).json["items"]?.array.count == 1, "только группа своих обращений")
            #expect(try await app.call(.GET, "/api/v1/municipalities/beta/clusters", as: op).status == .forbidden)

            let web = try await WebVisitor.signIn(app, "a.operator")
            let queue = try await web.get("/m/alpha/cases").body.string
            #expect(queue.contains("группа из 2"))
            let page = try await web.get("/m/alpha/clusters/\(first.id)").body.string
            #expect(page.contains("Одна проблема — 2 обращ.") && page.contains("№\(near.number)") && page.contains("Ответить всем в группе"))
            let card = try await web.get("/m/alpha/cases/\(near.id)").body.string
            #expect(card.contains("Входит в группу из 2 обращ.; основное — ") && card.contains("Похоже на обращение №\(first.number)"))
        }
    }

    @Test("Связать, исключить, основное, ответ всем, объединить как дубликаты и передача ответа; права", arguments: TestDB.all)
    func actions(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T05:00:00Z"))
            let op = try await app.signIn("a.operator"), head = try await app.signIn("a.head"), exec = try await app.signIn("a.exec.roads")
            let a = try await Self.post(app, f, "A-1", Self.pothole, received: "2026-11-18T10:00:00+07:00", place: #""latitude":52.9,"longitude":87.9"#)
            let b = try await Self.post(app, f, "A-2", Self.retold, received: "2026-11-19T10:00:00+07:00", place: #""latitude":52.9005,"longitude":87.9"#)
            let c = try await Self.post(app, f, "A-3", "Разбит асфальт во дворе дома 12 по Лесной, лужи по колено", received: "2026-11-19T11:00:00+07:00")
            #expect(b.json["cluster_id"]?.string == a.id && c.json["cluster_id"]?.string == nil)

            // Link by number: c joins a's cluster.
            let linkPath = "\(Self.base)/cases/\(c.id)/cluster"
            #expect(try await app.call(.POST, linkPath, as: exec, json: #"{"with":\#(a.number)}"#).status == .forbidden)
            let bad = try await app.call(.POST, linkPath, as: op, json: #"{"with":"яма"}"#)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("укажите номер обращения"))
            #expect(try await app.call(.POST, linkPath, as: op, json: #"{"with":\#(c.number)}"#).status == .unprocessableEntity)
            let linked = try await app.call(.POST, linkPath, as: op, json: #"{"with":"№\#(a.number)"}"#)
            #expect(linked.status == .ok && linked.json["size"]?.int == 3, "\(linked.body.string.prefix(300))")
            #expect(try await app.call(.POST, linkPath, as: op, json: #"{"with":\#(b.number)}"#).status == .conflict, "уже в одной группе")
            #expect(try await Self.history(app, c.id, as: op).contains { $0["kind"]?.string == "cluster_changed" })

            // c becomes the main case: the cluster takes its id; then c leaves and a heads it again.
            let main = try await app.call(.POST, "\(Self.base)/clusters/\(a.id)/main", as: op, json: #"{"case_id":"\#(c.id)"}"#)
            #expect(main.status == .ok && main.json["id"]?.string == c.id && main.json["cases"]?.array.first?["id"]?.string == c.id)
            #expect(try await app.call(.GET, "\(Self.base)/clusters/\(a.id)", as: op).status == .notFound)
            let out = try await app.call(.DELETE, "\(Self.base)/cases/\(c.id)/cluster", as: op)
            #expect(out.status == .ok && out.json["cluster_id"]?.string == nil)
            let back = try await app.call(.GET, "\(Self.base)/clusters/\(a.id)", as: op).json
            #expect(back["size"]?.int == 2 && back["main_case_id"]?.string == a.id, "наследует самое раннее обращение")
            #expect(try await app.call(.DELETE, "\(Self.base)/cases/\(c.id)/cluster", as: op).status == .conflict)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "case.cluster").count() >= 7)

            // Answer all: refused until the main case's answer is published.
            let early = try await app.call(.POST, "\(Self.base)/clusters/\(a.id)/answer-all", as: op)
            #expect(early.status == .conflict && early.body.string.contains("ещё нет опубликованного ответа"), "\(early.body.string)")
            let bCard = try await CaseDriver(app: app, slug: "alpha", caseID: b.id).card(op)
            #expect(bCard.allowedActions.contains("publish_cluster_answer"), "член группы может получить ответ основного")
            #expect(!(try await Self.main1Card(app, a.id, op)).allowedActions.contains("publish_cluster_answer"), "основное — нет")
            let main1 = CaseDriver(app: app, slug: "alpha", caseID: a.id)
            let execID = try await User.query(on: app.db).filter(\.$login == "a.exec.roads").first()!.id!
            try await main1.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["roads"]!.uuidString)","executor_id":"\#(execID.uuidString)""#)
            try await main1.act("submit_answer", as: exec, #""text":"Яма у дома 12 по ул. Лесной заделана 20.11.","result":"resolved""#)
            try await main1.act("approve", as: head)
            try await main1.act("publish", as: op)
            // b wrote an answer of its own meanwhile: it gives way to the cluster's.
            let member = CaseDriver(app: app, slug: "alpha", caseID: b.id)
            try await member.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["roads"]!.uuidString)","executor_id":"\#(execID.uuidString)""#)
            try await member.act("submit_answer", as: exec, #""text":"Черновик.","result":"resolved""#)
            let all = try await app.call(.POST, "\(Self.base)/clusters/\(a.id)/answer-all", as: exec)
            #expect(all.status == .forbidden, "исполнитель не публикует")
            let done = try await app.call(.POST, "\(Self.base)/clusters/\(a.id)/answer-all", as: op)
            #expect(done.status == .ok && done.json["done"]?.array.compactMap(\.int) == [b.number], "\(done.body.string)")
            let answered = try await member.card(op)
            let answers = answered["answers"]?.array ?? []
            #expect(answers.last?["state"]?.string == "published" && answers.last?["text"]?.string == "Яма у дома 12 по ул. Лесной заделана 20.11.")
            #expect(answers.first?["state"]?.string == "returned" && answers.first?["review_comment"]?.string?.contains("№\(a.number)") == true)
            #expect(answered.clock("final_answer")?["outcome"]?.string == "met" && answered["status"]?.string != "assigned", "\(answered["status"] ?? .null)")
            #expect(try await Self.history(app, b.id, as: op).contains { $0["kind"]?.string == "publish_cluster_answer" })
            // Nothing left to answer: a second run reports b as skipped, not an error.
            let again = try await app.call(.POST, "\(Self.base)/clusters/\(a.id)/answer-all", as: op)
            #expect(again.json["done"]?.array.isEmpty == true && again.json["skipped"]?.array.count == 1, "\(again.body.string)")

            // Merge: d and e about a pit on Садовая; e becomes d's duplicate, and d's answer reaches e's author.
            let d = try await Self.post(app, f, "M-1", "Провал асфальта на проезжей части у дома 7 по улице Садовой, опасно",
                                        received: "2026-11-19T13:00:00+07:00", place: #""address":"ул. Садовая, 7""#)
            let e = try await Self.post(app, f, "M-2", "У дома 7 по улице Садовой провал асфальта на проезжей части, очень опасно",
                                        received: "2026-11-19T14:00:00+07:00", place: #""address":"улица Садовая 7""#)
            #expect(e.json["cluster_id"]?.string == d.id, "\(e.json["cluster_id"] ?? .null)")
            #expect(try await app.call(.POST, "\(Self.base)/clusters/\(d.id)/merge", as: exec).status == .forbidden)
            let merged = try await app.call(.POST, "\(Self.base)/clusters/\(d.id)/merge", as: op)
            #expect(merged.status == .ok && merged.json["done"]?.array.compactMap(\.int) == [e.number], "\(merged.body.string)")
            let eCard = try await CaseDriver(app: app, slug: "alpha", caseID: e.id).card(op)
            #expect(eCard["status"]?.string == "closed" && eCard["duplicate_of_id"]?.string == d.id)
            let dDriver = CaseDriver(app: app, slug: "alpha", caseID: d.id)
            try await dDriver.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["roads"]!.uuidString)","executor_id":"\#(execID.uuidString)""#)
            try await dDriver.act("submit_answer", as: exec, #""text":"Провал на Садовой, 7 засыпан и заасфальтирован.","result":"resolved""#)
            try await dDriver.act("approve", as: head)
            let published = try await dDriver.act("publish", as: op)
            #expect(published["history"]?.array.last?["details"]?["notice"]?.string == "Ответ передан и по 1 обращениям, объединённым с этим как дубликаты.")
            let shared = try await CaseDriver(app: app, slug: "alpha", caseID: e.id).card(op)
            #expect(shared["answers"]?.array.last?["text"]?.string == "Провал на Садовой, 7 засыпан и заасфальтирован."
                    && shared["answers"]?.array.last?["state"]?.string == "published")
            #expect(shared["history"]?.array.last?["kind"]?.string == "answer_shared")

            // The web forms: link by number from the card, answer all from the cluster page.
            let web = try await WebVisitor.signIn(app, "a.operator")
            let linkedWeb = try await web.submit("/m/alpha/cases/\(c.id)/cluster", ["with": "999999"], csrfFrom: "/m/alpha/cases/\(c.id)")
            #expect(linkedWeb.status == .seeOther)
            #expect(try await web.get("/m/alpha/cases/\(c.id)").body.string.contains("«999999» не найдено в этом муниципальном образовании"))
            _ = try await web.submit("/m/alpha/cases/\(c.id)/cluster", ["with": String(d.number)], csrfFrom: "/m/alpha/cases/\(c.id)")
            let cPage = try await web.get("/m/alpha/cases/\(c.id)").body.string
            #expect(cPage.contains("Обращение включено в группу обращения №\(d.number).") && cPage.contains("Входит в группу из 3 обращ."), "\(cPage.prefix(0))")
            _ = try await web.submit("/m/alpha/clusters/\(d.id)/answer-all", [:], csrfFrom: "/m/alpha/clusters/\(d.id)")
            let clusterPage = try await web.get("/m/alpha/clusters/\(d.id)").body.string
            #expect(clusterPage.contains("Ответ основного обращения опубликован по обращениям: №\(c.number)."), "\(clusterPage.prefix(0))")
        }
    }

    @Test("Похожие ответы прошлого: близкий текст той же категории с опубликованным ответом; чужое — нет", arguments: TestDB.all)
    func similarAnswers(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T05:00:00Z"))
            let op = try await app.signIn("a.operator"), head = try await app.signIn("a.head")
            let exec = try await app.signIn("a.exec.roads")
            let execID = try await User.query(on: app.db).filter(\.$login == "a.exec.roads").first()!.id!
            let old = try await Self.post(app, f, "S-1", Self.pothole, received: "2026-11-02T10:00:00+07:00", place: #""address":"ул. Лесная, 12""#)
            let driver = CaseDriver(app: app, slug: "alpha", caseID: old.id)
            try await driver.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["roads"]!.uuidString)","executor_id":"\#(execID.uuidString)""#)
            try await driver.act("submit_answer", as: exec, #""text":"Ямочный ремонт по ул. Лесной выполнен.","result":"resolved""#)
            try await driver.act("approve", as: head)
            try await driver.act("publish", as: op)
            let fresh = try await Self.post(app, f, "S-2", "На улице Лесной у дома 14 огромная яма на дороге, колёса бьют, заделайте",
                                            received: "2026-11-20T10:00:00+07:00", place: #""address":"ул. Лесная, 14""#)
            let items = try await app.call(.GET, "\(Self.base)/cases/\(fresh.id)/similar-answers", as: op).json["items"]?.array ?? []
            #expect(items.first?["number"]?.int == old.number && items.first?["answer"]?.string == "Ямочный ремонт по ул. Лесной выполнен.", "\(items)")
            let other = try await Self.post(app, f, "S-3", "Не горят фонари на остановке у рынка", received: "2026-11-20T10:00:00+07:00")
            #expect(try await app.call(.GET, "\(Self.base)/cases/\(other.id)/similar-answers", as: op).json["items"]?.array.isEmpty == true)
            #expect(try await app.call(.GET, "\(Self.base)/cases/\(fresh.id)/similar-answers", as: try await app.signIn("a.exec.zhkh")).status == .notFound)
            let web = try await WebVisitor.signIn(app, "a.operator")
            let card = try await web.get("/m/alpha/cases/\(fresh.id)").body.string
            #expect(card.contains("Похожие обращения с ответами") && card.contains("Ответ по похожему №\(old.number)")
                    && card.contains("Ямочный ремонт по ул. Лесной выполнен."))
        }
    }
}
