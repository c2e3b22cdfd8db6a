import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Жизненный цикл: права, неверные действия, конкуренция, регламент")
struct LifecycleRulesTests {
    @Test("Недопустимый переход, чужая роль, срок сверх регламента, чужое МО — понятный отказ, ничего не записано", arguments: TestDB.all)
    func refusals(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T03:00:00Z"))
            let c = try await CaseDriver.register(app, f, channel: "pos", external: "POS-1")
            let op = try await app.signIn("a.operator"), analyst = try await app.signIn("a.analyst")
            let before = try await c.card(op)

            // Publishing a case nobody answered: 409 naming the status.
            let illegal = try await c.act("publish", as: op, expect: .conflict)
            #expect(illegal["detail"]?.string?.contains("«Новое»") == true, "\(illegal)")
            #expect(illegal["current"]?["status"]?.string == "new", "409 несёт текущее состояние")
            // An analyst may not take cases in work.
            let forbidden = try await c.act("take_in_work", as: analyst, expect: .forbidden)
            #expect(forbidden["detail"]?.string?.contains("Ответственный за ПОС") == true)
            // The ПОС deadline of this case is 8 working days (2 Dec 17:00 local); later is refused.
            let late = try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)","deadline":"2026-12-03T10:00:00Z""#,
                                       expect: .unprocessableEntity)
            #expect(late["errors"]?[0]?["field"]?.string == "deadline")
            let past = try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)","deadline":"2026-11-19T10:00:00Z""#,
                                       expect: .unprocessableEntity)
            #expect(past["errors"]?[0]?["reason"]?.string == "срок уже прошёл")
            // An organisation of another municipality is not found here.
            try await c.act("assign", as: op, #""organisation_id":"\#(f.beta.orgs["zhkh"]!.uuidString)""#, expect: .unprocessableEntity)
            // Unknown action, missing version.
            let unknown = try await app.call(.POST, "\(c.base)/actions/teleport", as: op, json: #"{"version":1}"#)
            #expect(unknown.status == .notFound)
            let noVersion = try await app.call(.POST, "\(c.base)/actions/take_in_work", as: op, json: #"{}"#)
            #expect(noVersion.status == .unprocessableEntity)
            // Beta's operator cannot act on alpha's case, through either municipality's address.
            let betaOp = try await app.signIn("b.operator")
            try await c.act("take_in_work", as: betaOp, version: 1, expect: .forbidden)
            let viaBeta = try await app.call(.POST, "/api/v1/municipalities/beta/cases/\(c.caseID)/actions/take_in_work", as: betaOp, json: #"{"version":1}"#)
            #expect(viaBeta.status == .notFound)

            let after = try await c.card(op)
            #expect(after["version"] == before["version"] && after["status"] == before["status"])
            #expect(after["history"]?.array.count == 1, "ни одно отклонённое действие не попало в историю")
        }
    }

    @Test("Руководитель блока согласует ответы только своего блока", arguments: TestDB.all)
    func blockLeadScope(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T03:00:00Z"))
            let op = try await app.signIn("a.operator"), lead = try await app.signIn("a.blocklead")
            let roadsExec = try await app.signIn("a.exec.roads"), zhkhExec = try await app.signIn("a.exec.zhkh")
            // «ЖКХ» belongs to the housing block the fixture's lead leads; «Дороги» has no block.
            let housing = try await CaseDriver.register(app, f, channel: "hotline", external: "B-1", extra: #""category":"zhkh""#)
            let roads = try await CaseDriver.register(app, f, channel: "hotline", external: "B-2", extra: #""category":"roads""#)
            for (c, org, exec) in [(housing, "zhkh", zhkhExec), (roads, "roads", roadsExec)] {
                try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs[org]!.uuidString)""#)
                try await c.act("submit_answer", as: exec, #""text":"Ответ""#)
            }
            #expect(try await housing.card(lead).allowedActions.contains("approve"))
            #expect(try await !roads.card(lead).allowedActions.contains("approve"))
            try await roads.act("approve", as: lead, expect: .forbidden)
            let card = try await housing.act("approve", as: lead)
            #expect(card["status"]?.string == "approved")
        }
    }

    @Test("Два оператора одновременно: один выигрывает, второй получает 409 с текущим состоянием", arguments: TestDB.all)
    func concurrentActions(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T03:00:00Z"))
            let c = try await CaseDriver.register(app, f, channel: "pos", external: "POS-2")
            let op = try await app.signIn("a.operator"), head = try await app.signIn("a.head")
            let version = try await c.card(op)["version"]?.int ?? 0
            let org = f.alpha.orgs["zhkh"]!.uuidString, roads = f.alpha.orgs["roads"]!.uuidString
            async let first = app.call(.POST, "\(c.base)/actions/assign", as: op, json: #"{"version":\#(version),"organisation_id":"\#(org)"}"#)
            async let second = app.call(.POST, "\(c.base)/actions/assign", as: head, json: #"{"version":\#(version),"organisation_id":"\#(roads)"}"#)
            let results = try await [first, second]
            let statuses = results.map(\.status.code).sorted()
            #expect(statuses == [200, 409], "\(results.map(\.body.string))")
            guard let loser = results.first(where: { $0.status == .conflict }),
                  let winner = results.first(where: { $0.status == .ok }) else { return }
            #expect(loser.json["current"]?["organisation_id"] == winner.json["organisation_id"])
            #expect(loser.json["current"]?["version"]?.int == version + 1)
            let card = try await c.card(op)
            #expect(card["history"]?.array.filter { $0["kind"]?.string == "assign" }.count == 1)
            #expect(card["clocks"]?.array.filter { $0["kind"]?.string == "executor" }.count == 1)
        }
    }

    @Test("59-ФЗ: перенос срока один раз, не более 30 дней, с уведомлением; повторный запрос — 409", arguments: TestDB.all)
    func extension59FZ(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T03:00:00Z"))
            let c = try await CaseDriver.register(app, f, channel: "email", external: "FZ-1", extra: #""legal_regime":"appeal_59fz""#)
            let op = try await app.signIn("a.operator"), exec = try await app.signIn("a.exec.zhkh")
            var card = try await c.card(op)
            // 30 calendar days from Fri 20 Nov: Sun 20 Dec is off → Mon 21 Dec 17:00 local.
            #expect(card.clock("final_answer")?["due_at"]?.string == "2026-12-21T10:00:00Z")
            #expect(card.clock("forward")?["due_at"]?.string == "2026-11-27T10:00:00Z")
            try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)""#)
            let tooLong = try await c.act("request_extension", as: exec, #""days":45,"reason":"Нужна экспертиза""#, expect: .unprocessableEntity)
            #expect(tooLong["errors"]?[0]?["reason"]?.string == "перенос возможен не более чем на 30 дней")
            try await c.act("request_extension", as: exec, #""days":30,"reason":"Нужна экспертиза""#)
            try await c.act("request_extension", as: exec, #""days":10,"reason":"Ещё раз""#, expect: .conflict)
            card = try await c.act("approve_extension", as: op)
            // From Mon 21 Dec + 30 days = Wed 20 Jan 2027, a working day → 17:00 local.
            #expect(card.clock("final_answer")?["due_at"]?.string == "2027-01-20T10:00:00Z")
            #expect(card.clock("final_answer")?["original_due_at"]?.string == "2026-12-21T10:00:00Z")
            #expect(card["extensions_used"]?.int == 1)
            let approval = card["history"]?.array.last { $0["kind"]?.string == "approve_extension" }
            let notice = approval?["details"]?["notice"]?.string ?? ""
            #expect(notice.contains("20.01.2027"), "уведомление заявителя: \(String(describing: approval))")
            let again = try await c.act("request_extension", as: exec, #""days":5,"reason":"Снова""#, expect: .conflict)
            #expect(again["detail"]?.string?.contains("только один раз") == true)
        }
    }

    @Test("Изменение регламента записано в аудит и не меняет сроки существующих обращений", arguments: TestDB.all)
    func regulationChange(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T03:00:00Z"))
            let admin = try await app.signIn("a.admin"), op = try await app.signIn("a.operator")
            let old = try await CaseDriver.register(app, f, channel: "hotline", external: "H-1")
            let base = "/api/v1/municipalities/alpha/regulation"
            let overview = try await app.call(.GET, base, as: op)
            #expect(overview.status == .ok)
            #expect(overview.json["profiles"]?.array.count == 13)
            let refused = try await app.call(.PUT, "\(base)/channels/hotline", as: op, json: #"{"final_answer":"working_days:3"}"#)
            #expect(refused.status == .forbidden)
            let bad = try await app.call(.PUT, "\(base)/channels/hotline", as: admin, json: #"{"final_answer":"3 дня","colour":"red"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.json["errors"]?.array.count == 2, "\(bad.body.string)")
            let ok = try await app.call(.PUT, "\(base)/channels/hotline", as: admin, json: #"{"final_answer":"working_days:3","first_response":"working_hours:120"}"#)
            #expect(ok.status == .ok, "\(ok.body.string)")
            #expect(ok.json["final_answer"]?["title"]?.string == "3 рабочих дня")

            let new = try await CaseDriver.register(app, f, channel: "hotline", external: "H-2")
            #expect(try await old.card(op).clock("final_answer")?["due_at"]?.string == "2026-12-02T10:00:00Z", "прежний срок не пересчитан")
            #expect(try await new.card(op).clock("final_answer")?["due_at"]?.string == "2026-11-25T10:00:00Z")
            #expect(try await new.card(op).clock("first_response")?["due_at"]?.string == "2026-11-20T04:15:00Z")

            // An override for urgent cases of the «ЖКХ» category and below.
            let o = try await app.call(.POST, "\(base)/overrides", as: admin,
                                       json: #"{"category_id":"\#(f.alpha.rubrics["zhkh"]!.uuidString)","final_answer":"working_hours:180"}"#)
            #expect(o.status == .created, "\(o.body.string)")
            let water = try await CaseDriver.register(app, f, channel: "hotline", external: "H-3", extra: #""category":"no-water""#)
            #expect(try await water.card(op).clock("final_answer")?["due_at"]?.string == "2026-11-20T05:15:00Z", "3 рабочих часа от 09:15")

            // And one for urgent cases of any channel: a case marked urgent at the source gets it from receipt.
            let u = try await app.call(.POST, "\(base)/overrides", as: admin, json: #"{"urgent":true,"final_answer":"working_hours:60"}"#)
            #expect(u.status == .created, "\(u.body.string)")
            let urgent = try await CaseDriver.register(app, f, channel: "hotline", external: "H-4", extra: #""urgent":true"#)
            let urgentCard = try await urgent.card(op)
            #expect(urgentCard["urgent"]?.bool == true)
            #expect(urgentCard.clock("final_answer")?["due_at"]?.string == "2026-11-20T03:15:00Z", "1 рабочий час от 09:15")
            let badFlag = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                             json: caseJSON("H-5", channel: "hotline", extra: #""urgent":"может быть""#))
            #expect(badFlag.status == .unprocessableEntity)

            let audit = try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["regulation.channel.update", "regulation.override.create"]).all()
            #expect(audit.count == 3)
            #expect(audit.first { $0.action == "regulation.channel.update" }?.afterJSON?.contains("working_days:3") == true)
        }
    }

    @Test("Классификация меняется действием: событие в истории, чужие справочники отклоняются, закрытое не меняется", arguments: TestDB.all)
    func classify(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let c = try await CaseDriver.register(app, f, channel: "pos", external: "CL-1")
            let op = try await app.signIn("a.operator"), exec = try await app.signIn("a.exec.zhkh")
            var card = try await c.act("classify", as: op, #""category_id":"\#(f.alpha.rubrics["roads"]!.uuidString)","territory_id":"\#(f.alpha.territories["micro"]!.uuidString)""#)
            #expect(card["category_id"]?.string == f.alpha.rubrics["roads"]!.uuidString)
            #expect(card["location"]?["territory_id"]?.string == f.alpha.territories["micro"]!.uuidString)
            let event = card["history"]?.array.last
            #expect(event?["kind"]?.string == "classify")
            #expect(event?["details"]?["category"]?.string == "Дороги" && event?["details"]?["territory"]?.string == "Микрорайон Первый")

            let foreign = try await c.act("classify", as: op, #""category_id":"\#(f.beta.rubrics["roads"]!.uuidString)""#, expect: .unprocessableEntity)
            #expect(foreign["errors"]?[0]?["field"]?.string == "category_id")
            try await c.act("classify", as: op, "", expect: .unprocessableEntity)
            card = try await c.act("classify", as: op, #""territory_id":null"#)
            #expect(card["location"]?["territory_id"] == nil || card["location"]?["territory_id"] == .null)
            try await c.act("classify", as: exec, #""territory_id":null"#, version: 3, expect: .notFound)   // not routed to ЖКХ: invisible

            try await c.act("close", as: op, #""result":"rejected""#)
            try await c.act("classify", as: op, #""territory_id":null"#, expect: .conflict)
        }
    }
}
