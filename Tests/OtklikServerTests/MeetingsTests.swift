import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

@Suite("Заседания МЦУ: повестка, решения, протокол в DOCX, поручения под контролем с эскалацией")
struct MeetingsTests {
    static let base = "/api/v1/municipalities/alpha"

    /// A curator, the МЦУ head (the fixture's «a.head» holds that role) and a member.
    static func composition(_ app: Application, as head: Caller) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for (key, body) in [("curator", #"{"full_name":"Лебедева И. В.","position":"управляющий делами","role":"curator","from_on":"2026-01-01"}"#),
                            ("head", #"{"full_name":"Васильев В. Н.","position":"заведующий отделом","role":"head","from_on":"2026-01-01"}"#),
                            ("member", #"{"full_name":"Андреев А. А.","position":"начальник УЖКХ","role":"block_lead","from_on":"2026-01-01"}"#)] {
            let r = try await app.call(.POST, "\(base)/centre-members", as: head, json: body)
            #expect(r.status == .created, "\(r.body.string)")
            ids[key] = r.json["id"]?.string
        }
        return ids
    }

    @Test("Заседание → протокол → поручения → отчёт → снятие с контроля; неверные решения не записываются", arguments: TestDB.all)
    func meetingToExecution(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-12-07T03:00:00Z"))   // Monday 10:00 in Novokuznetsk
            let head = try await app.signIn("a.head")
            let members = try await Self.composition(app, as: head)
            let made = try await app.call(.POST, "\(Self.base)/meetings", as: head, json: #"{"starts_at":"2026-12-10T10:00:00+07:00","form":"in_person","place":"зал заседаний"}"#)
            #expect(made.status == .created, "\(made.body.string)")
            let id = made.json["meeting"]?["id"]?.string ?? ""
            #expect(made.json["meeting"]?["number"]?.int == 1 && made.json["chair"]?.string == "Лебедева И. В." && made.json["participants"]?.array.count == 3)
            let m = "\(Self.base)/meetings/\(id)"
            #expect(try await app.call(.POST, "\(m)/hold", as: head).status == .conflict, "без повестки не проводится")
            let item = try await app.call(.POST, "\(m)/items", as: head, json: #"{"title":"О росте обращений по отсутствию воды в микрорайоне Первый","speaker":"Андреев А. А.","links":["№12","риск 1"]}"#)
            let itemID = item.json["items"]?[0]?["id"]?.string ?? ""
            // The curator is away: the МЦУ head chairs; an invited expert.
            let people = try await app.call(.PUT, "\(m)/participants", as: head, json: """
                {"absent":["\(members["curator"]!)"],"invited":["Петров П. П. — директор МУП «Водоканал»"]}
                """)
            #expect(people.json["chair"]?.string == "Васильев В. Н.", "\(people.body.string.prefix(300))")

            // Bad decisions: no executor, a deadline before the meeting, a day off, another municipality's organisation.
            let noExecutor = try await app.call(.POST, "\(m)/decisions", as: head, json: #"{"item_id":"\#(itemID)","text":"Восстановить водоснабжение.","due_on":"2026-12-15"}"#)
            #expect(noExecutor.status == .unprocessableEntity && noExecutor.body.string.contains("у решения должен быть исполнитель"))
            let early = try await app.call(.POST, "\(m)/decisions", as: head, json: #"{"item_id":"\#(itemID)","text":"x","organisation_id":"\#(f.alpha.orgs["water"]!)","due_on":"2026-12-09"}"#)
            #expect(early.status == .unprocessableEntity && early.body.string.contains("раньше даты заседания 10.12.2026"))
            let holiday = try await app.call(.POST, "\(m)/decisions", as: head, json: #"{"item_id":"\#(itemID)","text":"x","organisation_id":"\#(f.alpha.orgs["water"]!)","due_on":"2026-12-13"}"#)
            #expect(holiday.status == .unprocessableEntity && holiday.body.string.contains("нерабочий день") && holiday.body.string.contains("11.12.2026 и 14.12.2026"))
            let foreign = try await app.call(.POST, "\(m)/decisions", as: head, json: #"{"item_id":"\#(itemID)","text":"x","organisation_id":"\#(f.beta.orgs["water"]!)","due_on":"2026-12-15"}"#)
            #expect(foreign.status == .unprocessableEntity && foreign.json["errors"]?[0]?["field"]?.string == "organisation_id")
            #expect(try await MeetingDecisionRecord.query(on: app.db).count() == 0)
            let ok = try await app.call(.POST, "\(m)/decisions", as: head, json: """
                {"item_id":"\(itemID)","text":"Восстановить водоснабжение микрорайона и сообщить жителям график.","organisation_id":"\(f.alpha.orgs["water"]!)",
                 "co_executors":["\(f.alpha.orgs["zhkh"]!)"],"due_on":"15.12.2026"}
                """)
            #expect(ok.status == .ok, "\(ok.body.string)")
            #expect(try await app.call(.POST, "\(m)/sign", as: head).status == .conflict, "подписывают проведённое")
            #expect(try await app.call(.POST, "\(m)/hold", as: head).json["meeting"]?["status"]?.string == "held")
            let signed = try await app.call(.POST, "\(m)/sign", as: head)
            #expect(signed.json["meeting"]?["status"]?.string == "signed" && signed.json["assignments"]?.array.compactMap(\.int) == [1], "\(signed.body.string.prefix(300))")
            #expect(try await app.call(.POST, "\(m)/items", as: head, json: #"{"title":"ещё"}"#).status == .conflict, "подписанный протокол не меняется")

            // The protocol, read back.
            let doc = try await app.call(.GET, "\(m)/protocol.docx", as: head)
            #expect(doc.headers.first(name: .contentDisposition)?.contains("protokol-mcu-1-2026-12-10.docx") == true)
            let text = String(decoding: try #require(try XLSXPackage(data: Data(buffer: doc.body)).part("word/document.xml")), as: UTF8.self)
            for part in ["ПРОТОКОЛ № 1", "10.12.2026, 10:00, зал заседаний", "Председательствовал: Васильев В. Н. — руководитель МЦУ",
                         "Андреев А. А. — начальник УЖКХ", "Петров П. П. — директор МУП «Водоканал»", "ПОВЕСТКА ДНЯ",
                         "СЛУШАЛИ: Андреев А. А.", "1.1. Восстановить водоснабжение микрорайона и сообщить жителям график. Ответственный: Водоканал a; соисполнители: Управление ЖКХ a. Срок: 15.12.2026."] {
                #expect(text.contains(part), "нет «\(part)»")
            }
            #expect(!text.contains("Лебедева И. В. — управляющий делами"), "отсутствовавший куратор не в списке присутствовавших")

            // The assignment: the water utility's people see it and report; the control officer accepts.
            let list = try await app.call(.GET, "\(Self.base)/assignments", as: head).json["items"]?.array ?? []
            let a = try #require(list.first)
            #expect(a["due_at"]?.string == "2026-12-15T10:00:00Z" && a["source_title"]?.string == "протокол заседания МЦУ" && a["meeting"]?["name"]?.string == "Протокол № 1 от 10.12.2026")
            let aid = a["id"]?.string ?? ""
            let exec = try await app.signIn("a.exec.zhkh")   // the water utility is under ЖКХ
            #expect(try await app.call(.GET, "\(Self.base)/assignments/\(aid)", as: try await app.signIn("a.exec.roads")).status == .notFound)
            #expect(try await app.call(.POST, "\(Self.base)/assignments/\(aid)/actions/accept", as: exec, json: #"{"version":1}"#).status == .forbidden)
            let empty = try await app.call(.POST, "\(Self.base)/assignments/\(aid)/actions/report", as: exec, json: #"{"version":1}"#)
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("опишите, что сделано"))
            let reported = try await app.call(.POST, "\(Self.base)/assignments/\(aid)/actions/report", as: exec, json: #"{"version":1,"text":"Водовод отремонтирован 12.12, график опубликован."}"#)
            #expect(reported.json["status"]?.string == "reported")
            let accepted = try await app.call(.POST, "\(Self.base)/assignments/\(aid)/actions/accept", as: head, json: #"{"version":2}"#)
            #expect(accepted.json["status"]?.string == "done" && accepted.json["allowed_actions"]?.array.isEmpty == true)
            #expect(accepted.json["events"]?.array.compactMap { $0["kind"]?.string } == ["created", "report", "accept"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "meeting").count() >= 6)
        }
    }

    @Test("Заочное заседание: итоги голосования обязательны, голосов не больше участников, не набравшее большинства не становится поручением", arguments: TestDB.all)
    func correspondence(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let head = try await app.signIn("a.head")
            _ = try await Self.composition(app, as: head)
            let made = try await app.call(.POST, "\(Self.base)/meetings", as: head, json: #"{"starts_at":"2026-12-08T10:00:00+07:00","form":"correspondence"}"#)
            let m = "\(Self.base)/meetings/\(made.json["meeting"]?["id"]?.string ?? "")"
            let item = try await app.call(.POST, "\(m)/items", as: head, json: #"{"title":"О графике уборки снега"}"#)
            let itemID = item.json["items"]?[0]?["id"]?.string ?? ""
            for text in ["Утвердить график уборки.", "Закупить вторую снегоуборочную машину."] {
                _ = try await app.call(.POST, "\(m)/decisions", as: head, json: #"{"item_id":"\#(itemID)","text":"\#(text)","organisation_id":"\#(f.alpha.orgs["roads"]!)","due_on":"2026-12-21"}"#)
            }
            _ = try await app.call(.POST, "\(m)/hold", as: head)
            let noVotes = try await app.call(.POST, "\(m)/sign", as: head)
            #expect(noVotes.status == .conflict && noVotes.body.string.contains("не внесены итоги голосования"))
            let detail = try await app.call(.GET, m, as: head).json
            let decisions = detail["items"]?[0]?["decisions"]?.array ?? []
            let tooMany = try await app.call(.POST, "\(m)/votes", as: head, json: #"{"decision_id":"\#(decisions[0]["id"]?.string ?? "")","yes":3,"no":1,"abstain":0}"#)
            #expect(tooMany.status == .unprocessableEntity && tooMany.body.string.contains("больше, чем участников с правом голоса (3)"))
            _ = try await app.call(.POST, "\(m)/votes", as: head, json: #"{"decision_id":"\#(decisions[0]["id"]?.string ?? "")","yes":2,"no":1,"abstain":0}"#)
            _ = try await app.call(.POST, "\(m)/votes", as: head, json: #"{"decision_id":"\#(decisions[1]["id"]?.string ?? "")","yes":1,"no":1,"abstain":1}"#)
            let signed = try await app.call(.POST, "\(m)/sign", as: head)
            #expect(signed.json["assignments"]?.array.count == 1, "\(signed.body.string.prefix(400))")
            let text = String(decoding: try #require(try XLSXPackage(data: Data(buffer: try await app.call(.GET, "\(m)/protocol.docx", as: head).body)).part("word/document.xml")), as: UTF8.self)
            #expect(text.contains("заочной форме") && text.contains("Голосовали: за — 2, против — 1, воздержались — 0.") && text.contains("Не принято: Закупить вторую снегоуборочную машину."))
        }
    }

    @Test("Просроченное поручение: напоминание в день срока, просрочка, эскалация руководителю и куратору; продление с причиной", arguments: TestDB.all)
    func overdueEscalation(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let head = try await app.signIn("a.head")
            let hash = try await app.password.async.hash(Fixture.password)
            let curator = User(tenantID: f.alpha.id, login: "a.curator", fullName: "Кураторов К. К.", passwordHash: hash, mustChangePassword: false)
            try await curator.create(on: app.db)
            try await RoleAssignment(userID: curator.id!, tenantID: f.alpha.id, role: Role.curator.rawValue).create(on: app.db)
            let bad = try await app.call(.POST, "\(Self.base)/assignments", as: head, json: #"{"text":"x","organisation_id":"\#(f.alpha.orgs["roads"]!)","due_on":"2026-12-01","source":"memo"}"#)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("уже прошёл"))
            let made = try await app.call(.POST, "\(Self.base)/assignments", as: head, json: """
                {"text":"Разобрать обращения о ямах на ул. Лесной и доложить.","organisation_id":"\(f.alpha.orgs["roads"]!)","due_on":"08.12.2026","source":"memo"}
                """)
            #expect(made.status == .created, "\(made.body.string)")
            let id = made.json["id"]?.string ?? ""
            let monitor = AssignmentMonitor(db: app.db)
            #expect(try await monitor.tick(now: at("2026-12-07T09:00:00Z")) == .init())
            #expect(try await monitor.tick(now: at("2026-12-08T01:00:00Z")) == .init(reminders: 1), "утром в день срока")
            #expect(try await monitor.tick(now: at("2026-12-08T10:00:00Z")) == .init(overdue: 1))
            app.clock.set(at("2026-12-08T10:00:00Z"))
            let week = try await app.call(.GET, "\(Self.base)/assignments?filter=overdue", as: head)
            #expect(week.json["items"]?.array.count == 1 && week.json["items"]?[0]?["overdue"]?.bool == true)
            #expect(try await monitor.tick(now: at("2026-12-09T10:00:00Z")) == .init(escalations: 1), "через рабочий день — руководителю МЦУ")
            #expect(try await monitor.tick(now: at("2026-12-10T10:00:00Z")) == .init(escalations: 1), "ещё через день — куратору")
            let inbox = try await app.call(.GET, "\(Self.base)/notifications", as: try await app.signIn("a.curator")).json["items"]?.array ?? []
            #expect(inbox.contains { $0["title"]?.string?.contains("эскалация — куратор МЦУ") == true })
            app.clock.set(at("2026-12-10T11:00:00Z"))
            let noReason = try await app.call(.POST, "\(Self.base)/assignments/\(id)/actions/extend", as: head, json: #"{"version":1,"due_on":"2026-12-18"}"#)
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("укажите причину продления"))
            let extended = try await app.call(.POST, "\(Self.base)/assignments/\(id)/actions/extend", as: head, json: #"{"version":1,"due_on":"2026-12-18","reason":"Ждём подрядчика"}"#)
            #expect(extended.json["due_on"]?.string == "2026-12-18" && extended.json["overdue"]?.bool == false && extended.json["extensions"]?.int == 1)
            #expect(try await monitor.tick(now: at("2026-12-11T10:00:00Z")) == .init(), "после продления эскалации нет")
            // The memo's control list and the dashboard.
            let memo = try await app.call(.GET, "\(Self.base)/analytics/memo.docx?from=2026-12-07&to=2026-12-13", as: head)
            let memoText = String(decoding: try #require(try XLSXPackage(data: Data(buffer: memo.body)).part("word/document.xml")), as: UTF8.self)
            #expect(memoText.contains("8. Поручения на контроле") && memoText.contains("Разобрать обращения о ямах на ул. Лесной") && memoText.contains("18.12.2026"))
            let dashboard = try await WebVisitor.signIn(app, "a.head").get("/m/alpha/dashboard").body.string
            #expect(dashboard.contains("id=\"control-list\"") && dashboard.contains("Поручения на контроле"))
        }
    }

    @Test("Страницы: заседание формами — повестка, участники, решение (ошибка сохраняет текст), протокол, поручение с отчётом", arguments: TestDB.all)
    func pages(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let members = try await Self.composition(app, as: try await app.signIn("a.head"))
            let c = try await app.call(.POST, "\(Self.base)/cases", as: .token(f.alpha.token), json: caseJSON("MT-1"))
            let web = try await WebVisitor.signIn(app, "a.head")
            let bad = try await web.submit("/m/alpha/meetings", ["starts_at": "завтра", "form": "in_person"], csrfFrom: "/m/alpha/meetings")
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("10.12.2026 10:00"))
            let made = try await web.submit("/m/alpha/meetings", ["starts_at": "10.12.2026 10:00", "form": "in_person", "place": "зал"], csrfFrom: "/m/alpha/meetings")
            let page = made.headers.first(name: .location) ?? ""
            #expect(made.status == .seeOther && page.hasPrefix("/m/alpha/meetings/"))
            _ = try await web.submit(page + "/items", ["title": "О вывозе мусора в праздники", "speaker": "Андреев А. А.",
                                                        "links": "№\(c.json["number"]?.int ?? 0), риск 1, рейтинг организаций"], csrfFrom: page)
            _ = try await web.submit(page + "/participants", ["member": members["curator"]!, "present": members["head"]!, "invited": "Петров П. П. — подрядчик"], csrfFrom: page)
            var html = try await web.get(page).body.string
            #expect(html.contains("id=\"meeting-chair\">Васильев В. Н.") && html.contains("О вывозе мусора в праздники"))
            #expect(html.contains("href=\"/m/alpha/cases/\(c.json["id"]?.string ?? "-")\">№") && html.contains("href=\"/m/alpha/ratings\">рейтинг организаций"))
            #expect(html.contains("<span class=\"tag\">риск 1</span>"), "риска №1 нет — остаётся текстом")
            let itemID = try #require(try await MeetingItemRecord.query(on: app.db).first()?.id?.uuidString)
            let long = "Согласовать с региональным оператором график вывоза ТКО на 31 декабря — 8 января и опубликовать его."
            let holiday = try await web.submit(page + "/decisions", ["item_id": itemID, "text": long, "organisation_id": f.alpha.orgs["zhkh"]!.uuidString, "due_on": "01.01.2027"], csrfFrom: page)
            #expect(holiday.status == .unprocessableEntity && holiday.body.string.contains("нерабочий день") && holiday.body.string.contains(long))
            _ = try await web.submit(page + "/decisions", ["item_id": itemID, "text": long, "organisation_id": f.alpha.orgs["zhkh"]!.uuidString, "due_on": "29.12.2026"], csrfFrom: page)
            _ = try await web.submit(page + "/hold", [:], csrfFrom: page)
            let signed = try await web.submit(page + "/sign", [:], csrfFrom: page)
            #expect(signed.status == .seeOther)
            html = try await web.get(page).body.string
            #expect(html.contains("Протокол подписан") && html.contains("№ 1"))
            let docx = try await web.get(page + "/protocol.docx")
            let text = String(decoding: try #require(try XLSXPackage(data: Data(buffer: docx.body)).part("word/document.xml")), as: UTF8.self)
            #expect(text.contains("Петров П. П. — подрядчик") && text.contains("Срок: 29.12.2026."))

            let list = try await web.get("/m/alpha/assignments?filter=open").body.string
            #expect(list.contains("Согласовать с региональным оператором") && list.contains("Протокол № 1 от 10.12.2026"))
            let aid = try #require(try await AssignmentRecord.query(on: app.db).first()?.id?.uuidString)
            let orgHead = try await WebVisitor.signIn(app, "a.orghead.zhkh")
            let card = "/m/alpha/assignments/\(aid)"
            #expect(try await orgHead.get(card).body.string.contains("id=\"f-report\""))
            _ = try await orgHead.submit(card + "/report", ["version": "1", "text": "График согласован и опубликован 20.12."], csrfFrom: card)
            let accepted = try await web.submit(card + "/accept", ["version": "2"], csrfFrom: card)
            #expect(accepted.status == .seeOther)
            let done = try await web.get(card).body.string
            #expect(done.contains("исполнено, снято с контроля") && done.contains("Отчёт принят, снято с контроля") && done.contains("График согласован"))
        }
    }
}
