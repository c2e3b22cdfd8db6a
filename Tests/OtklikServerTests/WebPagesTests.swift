import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

/// The web workspace: who may open which page, forms that keep what was typed, escaping of citizen text.
@Suite("Веб-интерфейс: вход, доступ к страницам, формы")
struct WebPagesTests {
    @Test("Без входа страницы ведут на вход и возвращают обратно; вход по форме с CSRF", arguments: TestDB.all)
    func signIn(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            let anon = WebVisitor(app: app)
            let closed = try await anon.get("/m/alpha/inbox")
            #expect(closed.status == .seeOther)
            #expect(closed.location?.hasPrefix("/login?next=") == true, "\(closed.location ?? "")")

            // A form without the session's token is refused before anything is checked.
            let forged = try await anon.submit("/login", ["login": "a.operator", "password": Fixture.password], csrf: "чужой")
            #expect(forged.status == .forbidden)
            #expect(forged.body.string.contains("Форма устарела"))

            let op = try await WebVisitor.signIn(app, "a.operator")
            let home = try await op.get("/")
            #expect(home.location == "/m/alpha/inbox", "один муниципалитет — сразу во входящие")
            let inbox = try await op.get("/m/alpha/inbox")
            #expect(inbox.status == .ok)
            #expect(inbox.body.string.contains("<h1>Входящие</h1>"))
            #expect(inbox.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true)

            let wrong = try await WebVisitor(app: app).submit("/login", ["login": "a.operator", "password": "не тот"], csrfFrom: "/login")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.string.contains("Неверный логин или пароль"))
            #expect(wrong.body.string.contains(#"value="a.operator""#), "логин остаётся в форме")

            let out = try await op.submit("/logout", [:], csrfFrom: "/m/alpha/inbox")
            #expect(out.location == "/login")
            #expect(try await op.get("/m/alpha/inbox").status == .seeOther, "после выхода страницы снова закрыты")
        }
    }

    @Test("Пять неудачных попыток блокируют вход и через форму; временный пароль нужно сменить", arguments: TestDB.all)
    func lockoutAndPassword(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            for _ in 0..<5 {
                _ = try await WebVisitor(app: app).submit("/login", ["login": "a.analyst", "password": "неверно"], csrfFrom: "/login")
            }
            let locked = try await WebVisitor(app: app).submit("/login", ["login": "a.analyst", "password": Fixture.password], csrfFrom: "/login")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.string.contains("Вход временно заблокирован"))

            let user = try await User.query(on: app.db).filter(\.$login == "a.editor").first()!
            user.mustChangePassword = true
            try await user.save(on: app.db)
            let editor = try await WebVisitor.signIn(app, "a.editor")
            #expect(try await editor.get("/m/alpha/inbox").location == "/password", "сначала сменить временный пароль")
            let short = try await editor.submit("/password", ["current_password": Fixture.password, "new_password": "коротко"], csrfFrom: "/password")
            #expect(short.status == .unprocessableEntity)
            #expect(short.body.string.contains("не короче 10 символов"))
            let ok = try await editor.submit("/password", ["current_password": Fixture.password, "new_password": "новый-пароль-2026"], csrfFrom: "/password")
            #expect(ok.location == "/")
            #expect(try await editor.get("/m/alpha/inbox").status == .ok)
        }
    }

    @Test("Исполнитель видит только свою организацию; чужой муниципалитет закрыт; аналитик не видит заявителя", arguments: TestDB.all)
    func access(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let created = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                             json: caseJSON("W-1", text: "Нет воды <script>alert(1)</script>",
                                                            extra: #""category":"no-water","author":{"name":"Пробный Житель","phone":"+7 900 000-00-01"}"#))
            #expect(created.status == .created, "\(created.body.string)")
            let water = CaseDriver(app: app, slug: "alpha", caseID: created.json["id"]?.string ?? "")
            let op = try await app.signIn("a.operator")
            try await water.act("take_in_work", as: op)
            try await water.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["water"]!.uuidString)""#)

            let roads = try await WebVisitor.signIn(app, "a.exec.roads")
            let hidden = try await roads.get("/m/alpha/cases/\(water.caseID)")
            #expect(hidden.status == .notFound)
            #expect(hidden.body.string.contains("Не найдено"))
            #expect(!(try await roads.get("/m/alpha/cases").body.string.contains(water.caseID)))
            let foreign = try await roads.get("/m/beta/inbox")
            #expect(foreign.status == .forbidden)

            // The head of ЖКХ sees the water utility's case (a subdivision) and the author.
            let zhkh = try await WebVisitor.signIn(app, "a.exec.zhkh")
            let card = try await zhkh.get("/m/alpha/cases/\(water.caseID)")
            #expect(card.status == .ok)
            let html = card.body.string
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "текст жителя экранирован")
            #expect(!html.contains("<script>alert(1)"))
            #expect(html.contains("act-submit_answer") && !html.contains("act-approve\""), "только разрешённые действия")
            #expect(html.contains("Пробный Житель") && html.contains("+7 900 000-00-01"), "исполнитель видит заявителя")

            let analyst = try await WebVisitor.signIn(app, "a.analyst")
            let seen = try await analyst.get("/m/alpha/cases/\(water.caseID)").body.string
            #expect(seen.contains("Данные заявителя скрыты") && !seen.contains("Пробный Житель"))
            #expect(!seen.contains("id=\"act-"), "аналитику действия не показываются")
            #expect(!(try await analyst.get("/m/alpha/cases").body.string.contains(">Входящие<")), "у аналитика нет входящих")
        }
    }

    @Test("Ошибка формы показывается у поля, введённое сохраняется; устаревшая форма — 409 с текущим состоянием", arguments: TestDB.all)
    func formErrors(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T02:30:00Z"))
            let c = try await CaseDriver.register(app, f, channel: "pos", external: "F-1")
            let op = try await WebVisitor.signIn(app, "a.operator")
            let cardPath = "/m/alpha/cases/\(c.caseID)"
            let page = try await op.get(cardPath).body.string
            let token = WebVisitor.csrf(in: page)

            let late = try await op.submit(cardPath + "/assign", ["version": "1", "organisation_id": f.alpha.orgs["zhkh"]!.uuidString,
                                                                 "deadline": "2027-03-01T10:00", "comment": "срочно посмотрите"], csrf: token)
            #expect(late.status == .unprocessableEntity)
            let html = late.body.string
            #expect(html.contains("field-error") && html.contains("позже, чем позволяет регламент"), "\(html.prefix(200))")
            #expect(html.contains(#"value="2027-03-01T10:00""#) && html.contains("срочно посмотрите"), "введённое сохранено")

            let garbage = try await op.submit(cardPath + "/assign", ["version": "1", "organisation_id": f.alpha.orgs["zhkh"]!.uuidString,
                                                                    "deadline": "завтра"], csrf: token)
            #expect(garbage.status == .unprocessableEntity)
            #expect(garbage.body.string.contains("укажите дату и время"))

            let taken = try await op.submit(cardPath + "/take_in_work", ["version": "1"], csrf: token)
            #expect(taken.location == cardPath)
            let stale = try await op.submit(cardPath + "/take_in_work", ["version": "1", "comment": "второй раз"], csrf: token)
            #expect(stale.status == .conflict)
            #expect(stale.body.string.contains("изменил другой пользователь"))
            #expect(stale.body.string.contains("В работе"), "показано текущее состояние")
            let events = try await CaseEvent.query(on: app.db).filter(\.$caseID == UUID(uuidString: c.caseID)!).count()
            #expect(events == 2, "отказ ничего не записал: поступило + взято в работу")
        }
    }

    @Test("Очередь: входящие по сроку, фильтры, массовое взятие в работу и назначение, сохранённый вид", arguments: TestDB.all)
    func queue(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T02:30:00Z"))
            var ids: [String] = []
            for i in 1...3 {
                ids.append(try await CaseDriver.register(app, f, channel: "pos", external: "Q-\(i)",
                                                         receivedAt: "2026-11-20T09:0\(i):00+07:00").caseID)
            }
            let urgent = try await CaseDriver.register(app, f, channel: "pos", external: "Q-U", extra: #""urgent":true"#)
            let op = try await WebVisitor.signIn(app, "a.operator")
            let inbox = try await op.get("/m/alpha/inbox").body.string
            // Nearest deadline first: the earliest received comes first.
            let order = ids.map { inbox.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && order[0]! < order[1]! && order[1]! < order[2]!)
            let onlyUrgent = try await op.get("/m/alpha/inbox?urgent=true").body.string
            // Looked for as card links: the same texts form a cluster whose link carries the main case's id.
            #expect(onlyUrgent.contains("/cases/" + urgent.caseID) && !onlyUrgent.contains("/cases/" + ids[0]))
            let bad = try await op.get("/m/alpha/cases?from=вчера").body.string
            #expect(bad.contains("Фильтр не применён"))

            let versions = ids.prefix(2).map { "\($0):1" }
            let fields = ["action": "take_in_work", "back": "/m/alpha/inbox"]
            var res = try await op.submit("/m/alpha/cases/bulk", fields.merging(["case": versions[0]]) { $1 }, csrfFrom: "/m/alpha/inbox")
            #expect(res.location == "/m/alpha/inbox")
            // Two values under one name, as checkboxes send them.
            let token = WebVisitor.csrf(in: try await op.get("/m/alpha/inbox").body.string)!
            var h = op.headers
            h.contentType = .urlEncodedForm
            let body = "_csrf=\(WebVisitor.encode(token))&action=assign&back=%2Fm%2Falpha%2Finbox&organisation_id=\(f.alpha.orgs["roads"]!.uuidString)"
                + "&case=\(ids[0]):2&case=\(ids[1]):7"
            res = try await app.call(.POST, "/m/alpha/cases/bulk", headers: h, body: body)
            #expect(res.location == "/m/alpha/inbox")
            let after = try await op.get("/m/alpha/inbox").body.string
            #expect(after.contains("Назначено: 1 обращение") && after.contains("Не выполнено"), "одно назначено, у второго устаревшая версия")
            let assigned = try await CaseRecord.find(UUID(uuidString: ids[0])!, on: app.db)!
            #expect(assigned.status == "assigned" && assigned.organisationID == f.alpha.orgs["roads"])

            res = try await op.submit("/m/alpha/views", ["name": "Срочные", "query": "inbox?urgent=true"], csrfFrom: "/m/alpha/inbox")
            #expect(res.location == "/m/alpha/inbox?urgent=true")
            #expect(try await op.get("/m/alpha/inbox").body.string.contains(">Срочные</a>"))
        }
    }

    @Test("Шаблоны ответов: администратор создаёт, неизвестная подстановка — ошибка у поля, в карточке шаблон заполнен; журнал аудита", arguments: TestDB.all)
    func templatesAndAudit(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let op = try await WebVisitor.signIn(app, "a.operator")
            #expect(try await op.get("/m/alpha/admin/templates").status == .forbidden, "шаблоны правит администратор")
            #expect(!(try await op.get("/m/alpha/inbox").body.string.contains("Администрирование")))

            let admin = try await WebVisitor.signIn(app, "a.admin")
            #expect(try await admin.get("/m/alpha/admin").body.string.contains("Шаблоны ответов"))
            let bad = try await admin.submit("/m/alpha/admin/templates", ["title": "Готово", "body": "Уважаемый {{ФИО}}!"],
                                             csrfFrom: "/m/alpha/admin/templates")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("неизвестные подстановки: {{фио}}") && bad.body.string.contains("Уважаемый {{ФИО}}!"))
            let ok = try await admin.submit("/m/alpha/admin/templates",
                                            ["title": "Готово", "body": "Уважаемый(ая) {{имя}}! По адресу {{адрес}} работы выполнены. №{{номер}}"],
                                            csrfFrom: "/m/alpha/admin/templates")
            #expect(ok.location == "/m/alpha/admin/templates")
            let api = try await app.call(.GET, "/api/v1/municipalities/alpha/answer-templates", as: .token(f.alpha.token))
            #expect(api.json.array.count == 1 && api.json[0]?["title"]?.string == "Готово")

            let created = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                             json: caseJSON("T-1", extra: #""category":"no-water","author":{"name":"Иван Петрович"},"location":{"address":"ул. Лесная, 5"}"#))
            let c = CaseDriver(app: app, slug: "alpha", caseID: created.json["id"]?.string ?? "")
            let opAPI = try await app.signIn("a.operator")
            try await c.act("assign", as: opAPI, #""organisation_id":"\#(f.alpha.orgs["water"]!.uuidString)""#)
            let exec = try await WebVisitor.signIn(app, "a.exec.zhkh")
            let card = try await exec.get("/m/alpha/cases/\(c.caseID)").body.string
            #expect(card.contains("Уважаемый(ая) Иван Петрович! По адресу ул. Лесная, 5 работы выполнены. №1"), "подстановки заполнены")

            let audit = try await admin.get("/m/alpha/admin/audit?q=answer_template").body.string
            #expect(audit.contains("answer_template.create"))
            #expect(try await op.get("/m/alpha/admin/audit").status == .forbidden)
        }
    }

    @Test("Новое обращение по звонку: регистрируется формой со сроками регламента; ошибки у полей; не всем ролям", arguments: TestDB.all)
    func register(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let op = try await WebVisitor.signIn(app, "a.operator")
            let path = "/m/alpha/cases/new"
            #expect(try await op.get("/m/alpha/inbox").body.string.contains(">Новое обращение<"))
            let bad = try await op.submit(path, ["channel": "hotline", "received_at": "вчера", "text": "Не вывозят мусор"], csrfFrom: path)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("укажите дату и время") && bad.body.string.contains("Не вывозят мусор"))
            let noText = try await op.submit(path, ["channel": "hotline", "author_email": "не почта"], csrfFrom: path)
            #expect(noText.status == .unprocessableEntity)
            #expect(noText.body.string.contains("field-error"))
            let ok = try await op.submit(path, ["channel": "hotline", "text": "Не вывозят мусор третий день",
                                                "category": f.alpha.rubrics["zhkh"]!.uuidString, "author_name": "Звонкова Мария",
                                                "author_phone": "+7 900 000-00-02", "address": "ул. Лесная, 3", "urgent": "true"], csrfFrom: path)
            #expect(ok.status == .seeOther)
            let record = try await CaseRecord.query(on: app.db).filter(\.$channel == "hotline").first()
            #expect(record?.authorName == "Звонкова Мария" && record?.urgent == true && record?.organisationID == f.alpha.orgs["zhkh"])
            #expect(ok.location == "/m/alpha/cases/\(record?.id?.uuidString ?? "")")
            #expect(try await CaseClock.query(on: app.db).filter(\.$caseID == record!.id!).count() > 0, "сроки регламента начаты")
            let exec = try await WebVisitor.signIn(app, "a.exec.zhkh")
            #expect(try await exec.get(path).status == .forbidden)
        }
    }

    @Test("Уведомления: назначение видно исполнителю со счётчиком, «прочитано» его убирает; чужие уведомления недоступны", arguments: TestDB.all)
    func notifications(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let c = try await CaseDriver.register(app, f, channel: "pos", external: "N-1")
            let opAPI = try await app.signIn("a.operator")
            let execID = try await User.query(on: app.db).filter(\.$login == "a.exec.zhkh").first()!.id!
            try await c.act("assign", as: opAPI, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)","executor_id":"\#(execID.uuidString)""#)
            let exec = try await WebVisitor.signIn(app, "a.exec.zhkh")
            let inbox = try await exec.get("/m/alpha/inbox").body.string
            #expect(inbox.contains(#"aria-label="непрочитанных: 1""#), "счётчик в меню")
            let page = try await exec.get("/m/alpha/notifications").body.string
            #expect(page.contains("Обращение №1 назначено вам") && page.contains("/m/alpha/cases/\(c.caseID)"))
            let note = try await NotificationRecord.query(on: app.db).filter(\.$userID == execID).first()!
            let op = try await WebVisitor.signIn(app, "a.operator")
            let foreign = try await op.submit("/m/alpha/notifications/\(note.id!.uuidString)/read", [:], csrfFrom: "/m/alpha/notifications")
            #expect(foreign.status == .notFound, "чужое уведомление не найти")
            let read = try await exec.submit("/m/alpha/notifications/\(note.id!.uuidString)/read", [:], csrfFrom: "/m/alpha/notifications")
            #expect(read.location == "/m/alpha/notifications")
            #expect(!(try await exec.get("/m/alpha/inbox").body.string.contains("непрочитанных")))
        }
    }

    @Test("Каждая форма карточки доходит до действия: срочный запрос, промежуточный ответ, перенос, классификация, переадресация, дубликат, закрытие", arguments: TestDB.all)
    func everyCardForm(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T02:30:00Z"))   // Friday 09:30 local
            let created = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                             json: caseJSON("E-1", extra: #""legal_regime":"appeal_59fz","category":"zhkh""#))
            let id = created.json["id"]?.string ?? ""
            let card = "/m/alpha/cases/\(id)"
            let op = try await WebVisitor.signIn(app, "a.operator"), exec = try await WebVisitor.signIn(app, "a.exec.zhkh")
            func act(_ who: WebVisitor, _ action: String, _ fields: [String: String],
                     sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let page = try await who.get(card).body.string
                let version = page.components(separatedBy: #"name="version" value=""#).dropFirst().first?.prefix { $0 != "\"" } ?? "0"
                let res = try await who.submit(card + "/" + action, fields.merging(["version": String(version)]) { a, _ in a }, csrf: WebVisitor.csrf(in: page))
                #expect(res.status == .seeOther, "\(action): \(res.status) \(res.body.string.components(separatedBy: "field-error").dropFirst().first?.prefix(200) ?? "")",
                        sourceLocation: sourceLocation)
            }
            try await act(op, "classify", ["category_id": f.alpha.rubrics["water"]!.uuidString, "block_id": "",
                                           "territory_id": f.alpha.territories["micro"]!.uuidString])
            try await act(op, "take_in_work", [:])
            try await act(op, "assign", ["organisation_id": f.alpha.orgs["zhkh"]!.uuidString, "deadline": "2026-11-27T12:00"])
            try await act(op, "urgent_request", ["text": "Нужна справка к 15:00", "deadline": "2026-11-20T15:00"])
            try await act(exec, "intermediate_answer", ["text": "Выясняем, ответим к вечеру"])
            try await act(exec, "request_extension", ["days": "10", "reason": "Нужен выезд комиссии"])
            try await act(op, "approve_extension", [:])
            var record = try await CaseRecord.find(UUID(uuidString: id)!, on: app.db)!
            #expect(record.extensionsUsed == 1 && record.urgent && record.territoryID == f.alpha.territories["micro"])
            #expect(record.categoryID == f.alpha.rubrics["water"] && record.blockID == nil)
            let history = try await exec.get(card).body.string
            #expect(history.contains("Заявитель уведомлён: срок рассмотрения обращения продлён"), "уведомление по 59-ФЗ в истории")

            try await act(op, "forward", ["to": "Министерство строительства края"])
            record = try await CaseRecord.find(UUID(uuidString: id)!, on: app.db)!
            #expect(record.status == "closed" && record.result == "forwarded")

            let second = try await CaseDriver.register(app, f, channel: "pos", external: "E-2")
            let third = try await CaseDriver.register(app, f, channel: "pos", external: "E-3")
            let secondPage = "/m/alpha/cases/\(second.caseID)"
            let token = WebVisitor.csrf(in: try await op.get(secondPage).body.string)
            let dup = try await op.submit(secondPage + "/mark_duplicate", ["version": "1", "duplicate_of": "\(record.number)"], csrf: token)
            #expect(dup.status == .seeOther)
            let thirdPage = "/m/alpha/cases/\(third.caseID)"
            let closed = try await op.submit(thirdPage + "/close", ["version": "1", "result": "rejected", "comment": "Не по адресу"],
                                             csrf: WebVisitor.csrf(in: try await op.get(thirdPage).body.string))
            #expect(closed.status == .seeOther)
            #expect(try await CaseRecord.find(UUID(uuidString: second.caseID)!, on: app.db)?.result == "duplicate")
            #expect(try await CaseRecord.find(UUID(uuidString: third.caseID)!, on: app.db)?.result == "rejected")

            // A week later everything still open is overdue, and the filter finds it.
            let late = try await CaseDriver.register(app, f, channel: "pos", external: "E-4")
            app.clock.set(at("2026-11-30T02:30:00Z"))
            let overdue = try await op.get("/m/alpha/inbox?overdue=true").body.string
            #expect(overdue.contains(late.caseID) && overdue.contains(#"<tr class="overdue""#))
            #expect(!overdue.contains(second.caseID), "закрытые не в списке")
        }
    }
}
