import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Автоправила: по порядку при поступлении, «остановить», история, счётчики, проверка на прошлых, отказы")
struct AutoRulesTests {
    @Test("Ямы → дороги, ночью — срочно исполнителю, метка всем остальным; источник не перезаписывается",
          arguments: TestDB.all)
    func rulesAtIntake(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-16T03:00:00Z"))   // Mon 10:00 (+07)
            let head = try await app.signIn("a.head"), op = try await app.signIn("a.operator")
            let base = "/api/v1/municipalities/alpha"
            let execRoads = try #require(try await User.query(on: app.db).filter(\.$login == "a.exec.roads").first()?.id)
            let roads = f.alpha.rubrics["roads"]!.uuidString

            let r1 = try await app.call(.POST, "\(base)/auto-rules", as: head, json: #"""
                {"name":"Ямы → дороги","conditions":{"channels":["pos","hotline"],"words":["яма","выбоина"]},
                 "actions":{"category_id":"\#(roads)","tags":["дороги"],"notify_roles":["mcu_head"]}}
                """#)
            #expect(r1.status == .created, "\(r1.body.string)")
            #expect(r1.json["when"]?.array.compactMap(\.string) == ["канал: ПОС или Горячая линия", "в тексте: «яма» или «выбоина»"]
                    || r1.json["when"]?.array.count == 2, "\(r1.json["when"] ?? .null)")
            #expect(r1.json["then"]?.array.compactMap(\.string).contains("категория «Дороги»") == true)
            let r2 = try await app.call(.POST, "\(base)/auto-rules", as: head, json: #"""
                {"name":"Ночью — срочно","stop":true,"conditions":{"time_from":"22:00","time_to":"06:00"},
                 "actions":{"urgent":true,"executor_id":"\#(execRoads.uuidString)"}}
                """#)
            #expect(r2.status == .created, "\(r2.body.string)")
            let r3 = try await app.call(.POST, "\(base)/auto-rules", as: head, json: #"{"name":"Метка","actions":{"tags":["разобрано правилами"]}}"#)
            #expect(r3.status == .created && r3.json["position"]?.int == 3)

            // (a) Daytime ПОС about a pit: rule 1 (category + its organisation), rule 3 (tag); rule 2 not.
            let a = try await app.call(.POST, "\(base)/cases", as: .token(f.alpha.token),
                                       json: caseJSON("A-1", text: "Огромная ЯМА у дома 5, машины бьют колёса", receivedAt: "2026-11-16T10:00:00+07:00"))
            #expect(a.json["category_id"]?.string == roads && a.json["organisation_id"]?.string == f.alpha.orgs["roads"]!.uuidString, "\(a.body.string.prefix(500))")
            #expect(a.json["tags"]?.array.compactMap(\.string) == ["дороги", "разобрано правилами"])
            let aCard = try await CaseDriver(app: app, slug: "alpha", caseID: a.json["id"]?.string ?? "").card(op)
            let events = aCard["history"]?.array.filter { $0["kind"]?.string == "auto_rule" } ?? []
            #expect(events.count == 2 && events.allSatisfy { $0["actor"]?.string == "система (автоправило)" })
            #expect(events.first?["details"]?["rule"]?.string == "Ямы → дороги" && events.first?["details"]?["category"]?.string == "Дороги")

            // (b) A hotline call at 23:30 about potholes: rules 1 and 2, and rule 2 stops rule 3.
            app.clock.set(at("2026-11-16T16:31:00Z"))
            let b = try await app.call(.POST, "\(base)/cases", as: .token(f.alpha.token),
                                       json: caseJSON("B-1", channel: "hotline", text: "Сплошные выбоины на въезде", receivedAt: "2026-11-16T23:30:00+07:00"))
            #expect(b.json["category_id"]?.string == roads && b.json["urgent"]?.bool == true, "\(b.body.string.prefix(500))")
            #expect(b.json["executor_id"]?.string == execRoads.uuidString)
            #expect(b.json["tags"]?.array.compactMap(\.string) == ["дороги"], "после «остановить» правило 3 не применялось")

            // (c) The source's category stays; the rule still adds its tag and says so in the history.
            let c = try await app.call(.POST, "\(base)/cases", as: .token(f.alpha.token),
                                       json: caseJSON("C-1", text: "Яма и нет воды", receivedAt: "2026-11-16T23:31:00+07:00", extra: #""category":"no-water""#))
            #expect(c.json["category_id"]?.string == f.alpha.rubrics["no-water"]!.uuidString)
            // (d) A hotline message about something else matches no word: only the tag rule (daytime).
            app.clock.set(at("2026-11-17T03:00:00Z"))
            let d = try await app.call(.POST, "\(base)/cases", as: .token(f.alpha.token),
                                       json: caseJSON("D-1", channel: "hotline", text: "Не горят фонари", receivedAt: "2026-11-17T10:00:00+07:00"))
            #expect((d.json["category_id"] ?? .null) == .null && d.json["tags"]?.array.compactMap(\.string) == ["разобрано правилами"])

            // Counters and the notification the first rule asked for.
            let list = try await app.call(.GET, "\(base)/auto-rules", as: op).json.array
            #expect(list.map { $0["matched_count"]?.int ?? -1 } == [3, 2, 2], "\(list.map { $0["matched_count"] ?? .null })")
            let inbox = try await app.call(.GET, "\(base)/notifications", as: head).json["items"]?.array ?? []
            #expect(inbox.filter { $0["title"]?.string?.hasPrefix("Автоправило «Ямы → дороги»") == true }.count == 3)

            // Dry run of the saved rule: the three past cases, nothing written.
            let dry = try await app.call(.POST, "\(base)/auto-rules/\(r1.json["id"]?.string ?? "")/dry-run", as: head, json: #"{"days":7}"#)
            #expect(dry.status == .ok && dry.json["matched"]?.int == 3 && dry.json["checked"]?.int == 4, "\(dry.body.string.prefix(400))")
            #expect(dry.json["would_change"]?.int == 0, "у всех трёх всё, что правило задаёт, уже задано")
            // A draft rule, never saved: how many would have matched.
            let draft = try await app.call(.POST, "\(base)/auto-rules/dry-run", as: head,
                                           json: #"{"name":"Проба","conditions":{"pattern":"фонар[иь]"},"actions":{"urgent":true}}"#)
            #expect(draft.json["matched"]?.int == 1 && draft.json["would_change"]?.int == 1 && draft.json["matches"]?[0]?["would_change"]?[0]?.string == "срочность")
            #expect(try await AutoRuleRecord.query(on: app.db).count() == 3)

            // Order: the tag rule moves up; the audit has every write.
            let moved = try await app.call(.POST, "\(base)/auto-rules/\(r3.json["id"]?.string ?? "")/move", as: head, json: #"{"direction":"up"}"#)
            #expect(moved.json.array.map { $0["name"]?.string ?? "" } == ["Ямы → дороги", "Метка", "Ночью — срочно"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["auto_rule.create", "auto_rule.move"]).count() == 4)

            // Deleting a rule keeps the history it wrote.
            #expect(try await app.call(.DELETE, "\(base)/auto-rules/\(r3.json["id"]?.string ?? "")", as: head).status == .noContent)
            #expect(try await CaseDriver(app: app, slug: "alpha", caseID: a.json["id"]?.string ?? "").card(op)["history"]?.array
                .filter { $0["kind"]?.string == "auto_rule" }.count == 2)
        }
    }

    @Test("Отказы: выражение, канал, время, пустые действия, чужие справочники, исполнитель не той организации, устаревшая правка, роль",
          arguments: TestDB.all)
    func refusals(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let head = try await app.signIn("a.head")
            let path = "/api/v1/municipalities/alpha/auto-rules"
            let execZhkh = try #require(try await User.query(on: app.db).filter(\.$login == "a.exec.zhkh").first()?.id)
            let cases: [(String, String, String)] = [
                (#"{"name":"x","conditions":{"pattern":"(яма"},"actions":{"urgent":true}}"#, "conditions.pattern", "не разбирается"),
                (#"{"name":"x","conditions":{"channels":["fax"]},"actions":{"urgent":true}}"#, "conditions.channels", "неизвестный канал «fax»"),
                (#"{"name":"x","conditions":{"time_from":"25:00"},"actions":{"urgent":true}}"#, "conditions.time_from", "ЧЧ:ММ"),
                (#"{"name":"x","conditions":{"words":["и","на"]},"actions":{"urgent":true}}"#, "conditions.words", "только служебные слова"),
                (#"{"name":"x","conditions":{"words":["яма"]}}"#, "actions", "хотя бы одно действие"),
                (#"{"conditions":{},"actions":{"urgent":true}}"#, "name", "обязательное"),
                (#"{"name":"x","actions":{"category_id":"\#(f.beta.rubrics["roads"]!.uuidString)"}}"#, "actions.category_id", "не найдена"),
                (#"{"name":"x","actions":{"organisation_id":"\#(f.alpha.orgs["roads"]!.uuidString)","executor_id":"\#(execZhkh.uuidString)"}}"#,
                 "actions.executor_id", "не в выбранной организации"),
                (#"{"name":"x","actions":{"notify_roles":["platform_admin"]}}"#, "actions.notify_roles", "неизвестная роль"),
            ]
            for (body, field, message) in cases {
                let res = try await app.call(.POST, path, as: head, json: body)
                #expect(res.status == .unprocessableEntity && res.body.string.contains(field) && res.body.string.contains(message),
                        "\(body): \(res.body.string)")
            }
            #expect(try await AutoRuleRecord.query(on: app.db).count() == 0, "ничего не записано")
            #expect(try await app.call(.POST, path, as: try await app.signIn("a.operator"), json: #"{"name":"x","actions":{"urgent":true}}"#).status == .forbidden)
            #expect(try await app.call(.GET, path, as: try await app.signIn("a.exec.zhkh")).status == .forbidden)
            let made = try await app.call(.POST, path, as: head, json: #"{"name":"Срочно","actions":{"urgent":true}}"#)
            let id = made.json["id"]?.string ?? ""
            #expect(try await app.call(.PUT, "\(path)/\(id)", as: head, json: #"{"name":"Срочно!","version":1,"actions":{"urgent":true}}"#).status == .ok)
            let stale = try await app.call(.PUT, "\(path)/\(id)", as: head, json: #"{"name":"Снова","version":1,"actions":{"urgent":true}}"#)
            #expect(stale.status == .conflict && stale.body.string.contains("обновите страницу"))
            #expect(try await app.call(.PUT, "/api/v1/municipalities/beta/auto-rules/\(id)", as: try await app.signIn("b.head"),
                                       json: #"{"name":"Чужое","version":2,"actions":{"urgent":true}}"#).status == .notFound)
            #expect(try await app.call(.POST, "\(path)/\(id)/dry-run", as: head, json: #"{"days":0}"#).status == .unprocessableEntity)
        }
    }

    @Test("Страница «Автоправила»: новое правило из формы, ошибка рядом с полем, проверка на прошлых, порядок", arguments: TestDB.all)
    func page(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-16T03:00:00Z"))
            _ = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                   json: caseJSON("P-1", text: "Не горят фонари <b>во дворе</b>", receivedAt: "2026-11-16T09:00:00+07:00"))
            let web = try await WebVisitor.signIn(app, "a.head")
            let page = "/m/alpha/admin/rules"
            let empty = try await web.get(page).body.string
            #expect(empty.contains("Правил пока нет"), "\(empty.suffix(1500))")
            var fields = ["name": "Свет", "enabled": "true", "words": "фонарь\nосвещение", "channels": "pos",
                          "organisation_id": f.alpha.orgs["zhkh"]!.uuidString, "pattern": "(", "intent": "save", "days": "30"]
            let bad = try await web.submit(page, fields, csrfFrom: page)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("не разбирается"))
            #expect(bad.body.string.contains("фонарь\nосвещение"), "введённое сохранено")
            fields["pattern"] = ""
            fields["intent"] = "dry-run"
            let dry = try await web.submit(page, fields, csrfFrom: page)
            #expect(dry.status == .ok && dry.body.string.contains("подошло бы 1, изменило бы 1. Ничего не записано."), "\(dry.body.string.count)")
            #expect(dry.body.string.contains("Не горят фонари во дворе") && !dry.body.string.contains("<b>во дворе"), "текст без разметки")
            fields["intent"] = "save"
            let saved = try await web.submit(page, fields, csrfFrom: page)
            #expect(saved.status == .seeOther)
            let shown = try await web.get(page).body.string
            #expect(shown.contains("1. Свет") && shown.contains("в тексте: «фонарь» или «освещение»") && shown.contains("организация «Управление ЖКХ a»"))
            #expect(!(try await WebVisitor.signIn(app, "a.analyst").get(page).body.string.contains("Новое правило")), "аналитик только смотрит")
        }
    }
}
