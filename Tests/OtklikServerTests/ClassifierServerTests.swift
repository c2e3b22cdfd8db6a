import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import SQLKit
import Testing
import Vapor

/// Fictional labelled messages of the classifier's fixture (Tests/OtklikCoreTests/Fixtures): three of its
/// topics stand for the test municipality's rubrics.
enum LabelledMessages {
    static func load(_ name: String) throws -> [(text: String, topic: String)] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("OtklikCoreTests/Fixtures/\(name)")
        let table = try CSVTable(bytes: Array(Data(contentsOf: url)))
        let text = try table.column("текст"), topic = try table.column("категория")
        return table.rows.map { ($0.fields[text], $0.fields[topic]) }
    }

    /// Topic of the fixture → rubric code of the test municipality.
    static let rubricOf = ["Отопление": "zhkh", "Водоснабжение": "no-water", "Дороги": "roads"]
}

@Suite("Классификатор МО: обучение на закрытых обращениях, подсказки, автоприменение, настройки")
struct ClassifierServerTests {
    /// 40 closed cases of each of three topics in alpha; returns the unseen test texts by rubric code.
    static func closedHistory(_ app: Application, _ f: Fixture) async throws -> [String: [String]] {
        let train = try LabelledMessages.load("messages-train.csv")
        var items: [String] = []
        var perTopic: [String: Int] = [:]
        for (i, m) in train.enumerated() {
            guard let code = LabelledMessages.rubricOf[m.topic], perTopic[code, default: 0] < 40 else { continue }
            perTopic[code, default: 0] += 1
            items.append(caseJSON("H-\(i)", text: m.text, receivedAt: "2026-10-01T09:00:00+07:00", extra: #""category":"\#(code)""#))
        }
        let res = try await app.call(.POST, "/api/v1/municipalities/alpha/cases/batch", as: .token(f.alpha.token),
                                     json: #"{"cases":[\#(items.joined(separator: ","))]}"#)
        #expect(res.json["created"]?.int == 120, "\(res.body.string.prefix(300))")
        try await (app.db as! any SQLDatabase).update("cases").set("status", to: "closed").set("result", to: "resolved")
            .where("tenant_id", .equal, f.alpha.id).run()
        var unseen: [String: [String]] = [:]
        for m in try LabelledMessages.load("messages-test.csv") {
            if let code = LabelledMessages.rubricOf[m.topic] { unseen[code, default: []].append(m.text) }
        }
        return unseen
    }

    @Test("Обучение по запросу, подсказки на карточке и в очереди, автоприменение выше порога событием «система»",
          arguments: TestDB.all)
    func trainSuggestApply(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-16T03:00:00Z"))
            let unseen = try await Self.closedHistory(app, f)
            let head = try await app.signIn("a.head"), op = try await app.signIn("a.operator")
            let base = "/api/v1/municipalities/alpha"

            // Nothing trained yet: no suggestions, the overview says so.
            let first = try await CaseDriver.register(app, f, channel: "pos", external: "N-0", receivedAt: "2026-11-16T10:00:00+07:00")
            #expect(try await app.call(.GET, "\(base)/cases/\(first.caseID)/suggestions", as: op).json.array.isEmpty)
            #expect(try await app.call(.GET, "\(base)/text-models", as: op).json["models"]?.array.isEmpty == true)

            // Only the МЦУ head, coordinator or administrator train; the executor is refused.
            let exec = try await app.signIn("a.exec.zhkh")
            #expect(try await app.call(.POST, "\(base)/text-models/train", as: exec, json: #"{"wait":true}"#).status == .forbidden)
            #expect(try await app.call(.POST, "\(base)/text-models/train", as: head, json: #"{"targets":["rubric"]}"#).status == .unprocessableEntity)
            let trained = try await app.call(.POST, "\(base)/text-models/train", as: head, json: #"{"wait":true}"#)
            #expect(trained.status == .ok, "\(trained.body.string)")
            let outcomes = trained.json["outcomes"]?.array ?? []
            func outcome(_ t: String) -> JSONValue? { outcomes.first { $0["target"]?.string == t } }
            #expect(outcome("category")?["trained"]?.bool == true && outcome("category")?["examples"]?.int == 120)
            #expect(outcome("organisation")?["trained"]?.bool == true, "три организации: ЖКХ, Водоканал, дороги")
            // Every closed case of alpha with a block is in «ЖКХ» (roads have none): one class, nothing to learn.
            #expect(outcome("block")?["trained"]?.bool == false && outcome("block")?["problem"]?.string?.contains("одному значению «Жилищно-коммунальное хозяйство»") == true,
                    "\(outcome("block") ?? .null)")
            let overview = try await app.call(.GET, "\(base)/text-models", as: op).json
            #expect(overview["models"]?.array.map { $0["target"]?.string ?? "" } == ["category", "organisation"])
            #expect(overview["models"]?[0]?["classes"]?.int == 3)
            #expect(overview["settings"]?["last_error"]?.string?.contains("Тематический блок") == true)
            #expect(overview["settings"]?["training_under_way"]?.bool == false)

            // Suggestions for an unseen phrasing of «нет воды»: the rubric and its organisation come first.
            app.clock.set(at("2026-11-16T04:00:00Z"))
            let offRes = try await app.call(.PUT, "\(base)/text-models/settings", as: head, json: #"{"auto_apply":false,"version":0}"#)
            #expect(offRes.status == .ok, "\(offRes.body.string)")
            let water = try await app.call(.POST, "\(base)/cases", as: .token(f.alpha.token),
                                           json: caseJSON("W-1", text: unseen["no-water"]![0], receivedAt: "2026-11-16T11:00:00+07:00"))
            let waterID = water.json["id"]?.string ?? ""
            #expect((water.json["category_id"] ?? .null) == .null, "автоприменение выключено")
            let groups = try await app.call(.GET, "\(base)/cases/\(waterID)/suggestions", as: op).json.array
            let category = try #require(groups.first { $0["target"]?.string == "category" })
            let top = category["suggestions"]?.array ?? []
            #expect(top.count == 3 && top[0]["id"]?.string == f.alpha.rubrics["no-water"]!.uuidString, "\(top)")
            let confidences = top.compactMap { $0["confidence"]?.double }
            #expect(confidences == confidences.sorted(by: >) && abs(confidences.reduce(0, +) - 1) < 0.02, "три из трёх классов: сумма ≈ 1")
            #expect(try await app.call(.GET, "\(base)/cases/\(waterID)/suggestions", as: exec).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/municipalities/beta/cases/\(waterID)/suggestions",
                                       as: try await app.signIn("b.operator")).status == .notFound)

            // The card shows them with «применить»; applying one is the classify action of the operator.
            let web = try await WebVisitor.signIn(app, "a.operator")
            let card = try await web.get("/m/alpha/cases/\(waterID)").body.string
            #expect(card.contains("Подсказки классификатора") && card.contains("Нет воды — "), "\(card.prefix(0))")
            let queue = try await web.get("/m/alpha/cases?status=new").body.string
            #expect(queue.contains("class=\"hint\"") && queue.contains("Нет воды? "), "подсказка в очереди")
            let version = try await CaseDriver(app: app, slug: "alpha", caseID: waterID).card(op)["version"]?.int ?? 0
            let applied = try await web.submit("/m/alpha/cases/\(waterID)/classify",
                                               ["category_id": f.alpha.rubrics["no-water"]!.uuidString, "version": String(version)],
                                               csrfFrom: "/m/alpha/cases/\(waterID)")
            #expect(applied.status == .seeOther)
            #expect(try await CaseDriver(app: app, slug: "alpha", caseID: waterID).card(op)["category_id"]?.string == f.alpha.rubrics["no-water"]!.uuidString)

            // Auto-apply at 50 %: a new case gets the rubric with its defaults and a history entry by the system.
            let on = try await app.call(.PUT, "\(base)/text-models/settings", as: head, json: #"{"auto_apply":true,"threshold":0.5,"version":1}"#)
            #expect(on.status == .ok && on.json["settings"]?["threshold"]?.double == 0.5, "\(on.body.string)")
            let auto = try await app.call(.POST, "\(base)/cases", as: .token(f.alpha.token),
                                          json: caseJSON("W-2", text: unseen["no-water"]![1], receivedAt: "2026-11-16T11:05:00+07:00"))
            #expect(auto.json["category_id"]?.string == f.alpha.rubrics["no-water"]!.uuidString, "\(auto.body.string.prefix(400))")
            #expect(auto.json["organisation_id"]?.string == f.alpha.orgs["water"]!.uuidString, "организация — по умолчанию рубрики")
            let autoCard = try await CaseDriver(app: app, slug: "alpha", caseID: auto.json["id"]?.string ?? "").card(op)
            let event = try #require(autoCard["history"]?.array.first { $0["kind"]?.string == "classified" })
            #expect(event["actor"]?.string == "система (классификатор)")
            #expect(event["details"]?["notice"]?.string?.contains("порог 50 %") == true, "\(event)")
            #expect(event["details"]?["category"]?.string == "Нет воды")
            // A category given by the source is never overwritten.
            let given = try await app.call(.POST, "\(base)/cases", as: .token(f.alpha.token),
                                           json: caseJSON("W-3", text: unseen["no-water"]![2], receivedAt: "2026-11-16T11:07:00+07:00",
                                                          extra: #""category":"roads""#))
            #expect(given.json["category_id"]?.string == f.alpha.rubrics["roads"]!.uuidString)
            // At 99 % a text with nothing to go by stays for the operator.
            _ = try await app.call(.PUT, "\(base)/text-models/settings", as: head, json: #"{"threshold":0.99,"version":2}"#)
            let vague = try await app.call(.POST, "\(base)/cases", as: .token(f.alpha.token),
                                           json: caseJSON("W-4", text: "Прошу разобраться и ответить.", receivedAt: "2026-11-16T11:10:00+07:00"))
            #expect((vague.json["category_id"] ?? .null) == .null, "\(vague.body.string.prefix(300))")

            // The administration page shows the models, the per-class figures and the settings form.
            let page = try await WebVisitor.signIn(app, "a.head").get("/m/alpha/admin/classifier").body.string
            #expect(page.contains("Классификатор обращений") && page.contains("Ответственная организация"))
            #expect(page.contains("проверки на отложенной части не было"), "120 примеров: без калибровки, и страница это говорит")
            #expect(page.contains("id=\"train-now\"") && page.contains("value=\"99\""))
            #expect(page.contains("Тематический блок") && page.contains("id=\"training-error\""), "что не обучилось и почему")
        }
    }

    @Test("Настройки: неверный порог, отрицательный период, устаревшая правка, чужая роль — понятный отказ, ничего не записано",
          arguments: TestDB.all)
    func settingsRefusals(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            let head = try await app.signIn("a.head")
            let path = "/api/v1/municipalities/alpha/text-models/settings"
            let high = try await app.call(.PUT, path, as: head, json: #"{"threshold":1.5,"version":0}"#)
            #expect(high.status == .unprocessableEntity && high.body.string.contains("threshold"), "\(high.body.string)")
            let days = try await app.call(.PUT, path, as: head, json: #"{"retrain_days":-1,"version":0}"#)
            #expect(days.status == .unprocessableEntity && days.body.string.contains("не переобучать"))
            #expect(try await app.call(.PUT, path, as: try await app.signIn("a.operator"), json: #"{"threshold":0.7,"version":0}"#).status == .forbidden)
            #expect(try await app.call(.PUT, path, as: head, json: #"{"threshold":0.7,"version":0}"#).status == .ok)
            let stale = try await app.call(.PUT, path, as: head, json: #"{"threshold":0.8,"version":0}"#)
            #expect(stale.status == .conflict && stale.body.string.contains("обновите страницу"))
            let now = try await app.call(.GET, "/api/v1/municipalities/alpha/text-models", as: head).json["settings"]
            #expect(now?["threshold"]?.double == 0.7 && now?["version"]?.int == 1)
            // The page refuses a percentage outside 50–99 with the reason next to the field.
            let web = try await WebVisitor.signIn(app, "a.head")
            let refused = try await web.submit("/m/alpha/admin/classifier/settings", ["threshold": "120", "retrain_days": "7", "version": "1"],
                                               csrfFrom: "/m/alpha/admin/classifier")
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("от 50 до 99"))
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "text_settings.update").count()
            #expect(audit == 1)
        }
    }

    @Test("Обучение в фоне, одно за раз; по расписанию — когда модели старше периода; одна метка — понятная причина",
          arguments: TestDB.all)
    func backgroundAndSchedule(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-16T03:00:00Z"))
            _ = try await Self.closedHistory(app, f)
            let head = try await app.signIn("a.head")
            let path = "/api/v1/municipalities/alpha/text-models/train"
            // Another training holds the claim: refused in Russian, nothing started.
            #expect(try await TextSettings.claimTraining(f.alpha.id, by: "кто-то ещё", now: app.clock.now, on: app.db))
            let busy = try await app.call(.POST, path, as: head, json: #"{"wait":true}"#)
            #expect(busy.status == .conflict && busy.body.string.contains("уже обучается"))
            try await TextSettings.releaseTraining(f.alpha.id, error: nil, on: app.db)

            let started = try await app.call(.POST, path, as: head, json: "{}")
            #expect(started.status == .accepted && started.json["finished"]?.bool == false, "\(started.body.string)")
            await app.textTrainings.wait()
            let models = try await TextModelRecord.query(on: app.db).filter(\.$tenantID == f.alpha.id).all()
            #expect(models.map(\.target).sorted() == ["category", "organisation"] && models.allSatisfy { $0.trigger == "manual" })
            #expect(try await TextSettings.load(tenantID: f.alpha.id, on: app.db).0.trainingStartedAt == nil)

            // The scheduled pass: not due after 3 days, due after 8 (period 7 days).
            try await TextTraining.trainIfDue(app.db, tenantID: f.alpha.id, now: at("2026-11-19T03:00:00Z"), logger: app.logger)
            #expect(try await TextModelRecord.query(on: app.db).filter(\.$trigger == "schedule").count() == 0)
            try await TextTraining.trainIfDue(app.db, tenantID: f.alpha.id, now: at("2026-11-24T03:00:00Z"), logger: app.logger)
            let retrained = try await TextModelRecord.query(on: app.db).filter(\.$tenantID == f.alpha.id).filter(\.$target == "category").first()
            #expect(retrained?.trigger == "schedule" && retrained?.trainedAt == at("2026-11-24T03:00:00Z"))
            #expect(try await TextModelRecord.query(on: app.db).filter(\.$tenantID == f.alpha.id).count() == 2, "заменены, не накоплены")

            // beta: every closed case is about roads — one class; nothing stored, the reason kept for the page.
            var items: [String] = []
            for i in 0..<25 { items.append(caseJSON("R-\(i)", text: "Яма на дороге номер \(i), прошу заделать", receivedAt: "2026-10-01T09:00:00+07:00",
                                            extra: #""category":"roads""#)) }
            _ = try await app.call(.POST, "/api/v1/municipalities/beta/cases/batch", as: .token(f.beta.token),
                                   json: #"{"cases":[\#(items.joined(separator: ","))]}"#)
            try await (app.db as! any SQLDatabase).update("cases").set("status", to: "closed").where("tenant_id", .equal, f.beta.id).run()
            let one = try await app.call(.POST, "/api/v1/municipalities/beta/text-models/train", as: try await app.signIn("b.head"),
                                         json: #"{"wait":true,"targets":["category"]}"#)
            #expect(one.status == .ok && one.json["outcomes"]?[0]?["problem"]?.string?.contains("все 25 закрытых обращений относятся к одному значению «Дороги»") == true, "\(one.body.string)")
            #expect(try await TextModelRecord.query(on: app.db).filter(\.$tenantID == f.beta.id).count() == 0)
        }
    }
}
