import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

/// The risk officer and the curator the fixture has not got: risks are their work.
enum RiskPeople {
    static func add(_ app: Application, _ f: Fixture) async throws {
        let hash = try await app.password.async.hash(Fixture.password)
        for (login, name, role) in [("a.risk", "Рискова Р. Р.", Role.riskOfficer), ("a.curator", "Кураторов К. К.", .curator)] {
            let u = User(tenantID: f.alpha.id, login: login, fullName: name, passwordHash: hash, mustChangePassword: false)
            try await u.create(on: app.db)
            try await RoleAssignment(userID: u.id!, tenantID: f.alpha.id, role: role.rawValue).create(on: app.db)
        }
    }

    /// The municipality's bot, with the risk chat «МЦУ-ПИЛОТ».
    static func bot(_ app: Application, api: String) async throws {
        let admin = try await app.signIn("a.admin")
        let made = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin, json: """
            {"kind":"telegram","name":"Бот МЦУ","secret":"123456789:TEST-token-abcdefghij","api_base":"\(api)","risk_chat_id":"-100777"}
            """)
        #expect(made.status == .created, "\(made.body.string)")
    }
}

@Suite("Информационные риски: регистрация по ссылке, отработка, алерт-чат, замеры реакции, закрытие")
struct RiskFlowTests {
    static let base = "/api/v1/municipalities/alpha/risks"

    static func act(_ app: Application, _ who: Caller, _ id: String, _ action: String, _ body: String) async throws -> TestingHTTPResponse {
        let version = try await app.call(.GET, "\(base)/\(id)", as: who).json["version"]?.int ?? 0
        return try await app.call(.POST, "\(base)/\(id)/actions/\(action)", as: who, json: #"{"version":\#(version)\#(body.isEmpty ? "" : ",")\#(body)}"#)
    }

    @Test("ссылка → риск и сообщение в чат в формате порядка; верификация, критичность с причиной, ответ, публикация со ссылками, замеры, закрытие",
          arguments: TestDB.all)
    func workflow(db: TestDB) async throws {
        try await FakeBotAPI.with(token: "123456789:TEST-token-abcdefghij") { fake in
            try await withOtklik(db) { app in
                let f = try await Fixture.make(app)
                try await RiskPeople.add(app, f)
                try await RiskPeople.bot(app, api: fake.base)
                app.publicURL = "https://otklik.test"
                app.clock.set(at("2026-12-07T03:00:00Z"))   // Monday 10:00 in Novokuznetsk
                let officer = try await app.signIn("a.risk")

                // Bad input writes nothing.
                let noLink = try await app.call(.POST, Self.base, as: officer, json: #"{"title":"Нет воды","criticality":"high"}"#)
                #expect(noLink.status == .unprocessableEntity && noLink.body.string.contains("укажите ссылку хотя бы на одну публикацию"))
                let badLink = try await app.call(.POST, Self.base, as: officer, json: #"{"title":"Нет воды","criticality":"high","sources":[{"url":"vk.com/wall-1"}]}"#)
                #expect(badLink.status == .unprocessableEntity && badLink.json["errors"]?[0]?["field"]?.string == "sources[0].url", "\(badLink.body.string)")
                let badLevel = try await app.call(.POST, Self.base, as: officer, json: #"{"title":"Нет воды","criticality":"жуткая","sources":[{"url":"https://vk.com/wall-1_2"}]}"#)
                #expect(badLevel.status == .unprocessableEntity && badLevel.body.string.contains("low, medium, high, critical"))
                #expect(try await app.call(.POST, Self.base, as: try await app.signIn("a.operator"),
                                           json: #"{"title":"x","criticality":"low","sources":[{"url":"https://vk.com/wall-1_2"}]}"#).status == .forbidden)
                #expect(try await RiskRecord.query(on: app.db).count() == 0 && fake.sent.isEmpty)

                let created = try await app.call(.POST, Self.base, as: officer, json: """
                    {"title":"Нет воды в микрорайоне Первый третьи сутки","description":"Жители пишут, что вода не идёт с пятницы.",
                     "criticality":"medium","organisation_id":"\(f.alpha.orgs["water"]!)","category_id":"\(f.alpha.rubrics["zhkh"]!)",
                     "territory_id":"\(f.alpha.territories["micro"]!)",
                     "sources":[{"url":"https://vk.com/wall-101_55","community":"Подслушано Альфа","author":"Иван Тестов","reach":12500},
                                {"url":"https://t.me/alpha_chat/77"}]}
                    """)
                #expect(created.status == .created, "\(created.body.string)")
                #expect(created.headers.first(name: "Otklik-Alert-Chat") == "sent")
                let id = created.json["id"]?.string ?? ""
                #expect(created.json["number"]?.int == 1 && created.json["status"]?.string == "detected")
                #expect(created.json["reaction_due_at"]?.string == "2026-12-07T05:00:00Z", "средняя: 2 рабочих часа")
                #expect(created.json["sources"]?[1]?["platform"]?.string == "telegram", "платформа по адресу ссылки")
                #expect(fake.sent.count == 1 && fake.sent.first?.chat == -100777)
                #expect(fake.sent.first?.text == """
                    🟡 Новый информационный риск №1 · Округ a
                    Критичность: средняя · первая реакция до 07.12.2026 12:00
                    Нет воды в микрорайоне Первый третьи сутки
                    Жители пишут, что вода не идёт с пятницы.
                    Тема: ЖКХ · Территория: Микрорайон Первый
                    Ответственный: Водоканал a
                    Источники:
                    1. ВКонтакте · Подслушано Альфа · охват 12 500 — https://vk.com/wall-101_55
                    2. Telegram — https://t.me/alpha_chat/77
                    Карточка риска: https://otklik.test/m/alpha/risks/\(id)
                    """)
                // The analyst reads the risk but not the author's name (personal data).
                let analystView = try await app.call(.GET, "\(Self.base)/\(id)", as: try await app.signIn("a.analyst"))
                #expect(analystView.json["sources"]?[0]?["author"]?.string == "скрыто" && analystView.json["may_manage"]?.bool == false)
                #expect(created.json["sources"]?[0]?["author"]?.string == "Иван Тестов")

                // A stale version is refused; verification; the responsible organisation comments.
                let stale = try await app.call(.POST, "\(Self.base)/\(id)/actions/start_verification", as: officer, json: #"{"version":7}"#)
                #expect(stale.status == .conflict && stale.body.string.contains("изменили, пока вы с ним работали"))
                #expect(try await Self.act(app, officer, id, "start_verification", #""note":"Запрос в Водоканал""#).json["status"]?.string == "verification")
                let execWater = try await app.signIn("a.exec.zhkh")   // the water utility is under ЖКХ
                #expect(try await app.call(.POST, "\(Self.base)/\(id)/comments", as: execWater, json: #"{"text":"Авария на водоводе, подача с 18:00."}"#).status == .created)
                #expect(try await Self.act(app, execWater, id, "escalate", #""to":"curator","reason":"x""#).status == .forbidden)
                #expect(try await app.call(.GET, "\(Self.base)/\(id)", as: try await app.signIn("a.exec.roads")).status == .notFound)
                #expect(try await app.call(.GET, "/api/v1/municipalities/beta/risks/\(id)", as: try await app.signIn("b.head")).status == .notFound)

                // Criticality: a reason is required; the chat hears of the change.
                let noReason = try await Self.act(app, officer, id, "change_criticality", #""criticality":"high""#)
                #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("укажите причину изменения критичности"))
                let raised = try await Self.act(app, officer, id, "change_criticality", #""criticality":"high","reason":"Пост перепечатал региональный паблик""#)
                #expect(raised.json["criticality"]?.string == "high" && raised.json["reaction_due_at"]?.string == "2026-12-07T04:00:00Z", "\(raised.body.string.prefix(300))")
                #expect(fake.sent.last?.text == """
                    🟠 Риск №1: критичность средняя → высокая · Округ a
                    «Нет воды в микрорайоне Первый третьи сутки»
                    Причина: Пост перепечатал региональный паблик
                    Первая реакция до 07.12.2026 11:00
                    Карточка риска: https://otklik.test/m/alpha/risks/\(id)
                    """)

                // Not yet: closing before publication, publishing before a response.
                let early = try await Self.act(app, officer, id, "close", "")
                #expect(early.status == .conflict && early.body.string.contains("только после публикации отработки"))
                #expect(try await Self.act(app, officer, id, "publish", #""links":["https://vk.com/wall-9_1"]"#).status == .conflict)
                let noPlatforms = try await Self.act(app, officer, id, "prepare_response", #""response_text":"Подача воды восстановлена.""#)
                #expect(noPlatforms.status == .unprocessableEntity && noPlatforms.body.string.contains("укажите площадки"))
                #expect(try await Self.act(app, officer, id, "prepare_response", """
                    "response_text":"На водоводе по ул. Лесной устранена авария, подача воды восстановлена в 18:00.","platforms":"официальная страница администрации ВКонтакте\\nгазета «Альфа-вести»"
                    """).json["status"]?.string == "response_prepared")
                let badPlace = try await Self.act(app, officer, id, "publish", #""links":["не ссылка"]"#)
                #expect(badPlace.status == .unprocessableEntity && badPlace.body.string.contains("не похоже на ссылку"))
                app.clock.set(at("2026-12-07T03:40:00Z"))
                let published = try await Self.act(app, officer, id, "publish",
                                                   #""links":["https://vk.com/wall-9_1 Официальная страница администрации","https://alpha-vesti.ru/news/1"]"#)
                #expect(published.json["status"]?.string == "published" && published.json["reacted_at"]?.string == "2026-12-07T03:40:00Z")
                #expect(published.json["placements"]?.array.map { $0["place"]?.string ?? "" } == ["Официальная страница администрации", "alpha-vesti.ru"])
                #expect(fake.sent.last?.text == """
                    ✅ Отработка информационного риска №1 · Округ a
                    «Нет воды в микрорайоне Первый третьи сутки»
                    Текст отработки:
                    На водоводе по ул. Лесной устранена авария, подача воды восстановлена в 18:00.
                    Площадки: официальная страница администрации ВКонтакте; газета «Альфа-вести»
                    Публикации:
                    1. https://vk.com/wall-9_1
                    2. https://alpha-vesti.ru/news/1
                    Карточка риска: https://otklik.test/m/alpha/risks/\(id)
                    """)

                // Reaction: one snapshot is not enough, a growing one refuses, a calm one closes.
                let negative = try await Self.act(app, officer, id, "add_snapshot", #""publications":-1,"comments":10,"negative_percent":140"#)
                #expect(negative.status == .unprocessableEntity && Set(negative.json["errors"]?.array.compactMap { $0["field"]?.string } ?? []) == ["publications", "negative_percent"])
                app.clock.set(at("2026-12-07T06:00:00Z"))
                #expect(try await Self.act(app, officer, id, "add_snapshot", #""publications":5,"comments":40,"negative_percent":50"#).json["status"]?.string == "monitoring")
                let once = try await Self.act(app, officer, id, "close", "")
                #expect(once.status == .conflict && once.body.string.contains("нужны хотя бы два замера"))
                app.clock.set(at("2026-12-07T09:00:00Z"))
                _ = try await Self.act(app, officer, id, "add_snapshot", #""publications":7,"comments":60,"negative_percent":50,"note":"Репост в районной группе""#)
                let growing = try await Self.act(app, officer, id, "close", "")
                #expect(growing.status == .conflict && growing.body.string.contains("реакция растёт — с прошлого замера +2 публикации, +10 негативных комментариев"),
                        "\(growing.body.string)")
                app.clock.set(at("2026-12-08T03:00:00Z"))
                let calm = try await Self.act(app, officer, id, "add_snapshot", #""publications":7,"comments":64,"negative_percent":40"#)
                #expect(calm.json["reaction"]?["verdict"]?.string == "calm")
                let closed = try await Self.act(app, officer, id, "close", #""summary":"Новых публикаций нет, жители благодарят за воду.""#)
                #expect(closed.json["status"]?.string == "closed", "\(closed.body.string.prefix(300))")
                #expect(fake.sent.last?.text == """
                    ☑️ Риск №1 отработан · Округ a
                    «Нет воды в микрорайоне Первый третьи сутки»
                    Итог: Новых публикаций нет, жители благодарят за воду.
                    Последний замер (08.12.2026 10:00): публикаций 7, комментариев 64, негативных 40 %.
                    Карточка риска: https://otklik.test/m/alpha/risks/\(id)
                    """)

                let card = try await app.call(.GET, "\(Self.base)/\(id)", as: officer).json
                #expect(card["events"]?.array.compactMap { $0["kind"]?.string } == [
                    "created", "verification_started", "comment", "criticality_changed", "response_prepared", "published",
                    "snapshot", "snapshot", "snapshot", "closed"])
                #expect(card["alerts"]?.array.count == 4 && card["alerts"]?.array.allSatisfy { $0["status"]?.string == "sent" } == true)
                #expect(card["snapshots"]?.array.count == 3 && card["allowed_actions"]?.array.compactMap(\.string) == ["reopen"])
                let audited = try await AuditEntry.query(on: app.db).filter(\.$entity == "risk").count()
                #expect(audited == 10, "каждая запись в журнале аудита")
                let active = try await app.call(.GET, Self.base, as: officer).json["items"]?.array ?? []
                let all = try await app.call(.GET, "\(Self.base)?status=all", as: officer).json["items"]?.array ?? []
                #expect(active.isEmpty && all.count == 1)
                // The officer's inbox links to the risk.
                let inbox = try await app.call(.GET, "/api/v1/municipalities/alpha/notifications", as: try await app.signIn("a.head")).json["items"]?.array ?? []
                #expect(inbox.contains { $0["risk_id"]?.string == id && $0["title"]?.string?.hasPrefix("Новый информационный риск №1") == true })

                // The weekly memo lists the week's risks with their outcome.
                let memo = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/memo.docx?from=2026-12-07&to=2026-12-13", as: try await app.signIn("a.head"))
                #expect(memo.status == .ok, "\(memo.body.string.prefix(300))")
                let document = String(decoding: try #require(try XLSXPackage(data: Data(buffer: memo.body)).part("word/document.xml")), as: UTF8.self)
                #expect(document.contains("7. Информационные риски") && document.contains("Нет воды в микрорайоне Первый третьи сутки"))
                #expect(document.contains("Новых публикаций нет, жители благодарят за воду.") && document.contains("первая реакция не в срок: 0"))
            }
        }
    }

    @Test("Telegram недоступен: риск сохранён, сообщение в очереди, пользователь видит ошибку, повтор доставляет; без чата — «none»",
          arguments: TestDB.all)
    func telegramDown(db: TestDB) async throws {
        try await FakeBotAPI.with(token: "123456789:TEST-token-abcdefghij") { fake in
            try await withOtklik(db) { app in
                let f = try await Fixture.make(app)
                try await RiskPeople.add(app, f)
                app.clock.set(at("2026-12-07T03:00:00Z"))
                let officer = try await app.signIn("a.risk")
                let body = #"{"title":"Слух о закрытии школы","criticality":"low","sources":[{"url":"https://ok.ru/group/1/topic/2"}]}"#
                let noChat = try await app.call(.POST, Self.base, as: officer, json: body)
                #expect(noChat.status == .created && noChat.headers.first(name: "Otklik-Alert-Chat") == "none")
                try await RiskPeople.bot(app, api: fake.base)
                fake.setDown(true)
                let queued = try await app.call(.POST, Self.base, as: officer, json: body)
                #expect(queued.status == .created && queued.headers.first(name: "Otklik-Alert-Chat") == "queued")
                #expect(queued.json["number"]?.int == 2)
                let alert = try #require(queued.json["alerts"]?[0])
                #expect(alert["status"]?.string == "pending" && alert["last_error"]?.string?.contains("Bad Gateway") == true && alert["attempts"]?.int == 1)
                fake.setDown(false)
                app.clock.set(at("2026-12-07T03:01:01Z"))
                await NotificationDispatcher.tick(app)
                #expect(fake.sent.count == 1 && fake.sent[0].text.hasPrefix("🟢 Новый информационный риск №2"))
                let card = try await app.call(.GET, "\(Self.base)/\(queued.json["id"]?.string ?? "")", as: officer).json
                #expect(card["alerts"]?[0]?["status"]?.string == "sent" && card["alerts"]?[0]?["attempts"]?.int == 2)
            }
        }
    }

    @Test("Сроки по часам монитора: напоминание, просрочка в чат, эскалация куратору; публикация останавливает; сезонная угроза — один раз",
          arguments: TestDB.all)
    func reminders(db: TestDB) async throws {
        try await FakeBotAPI.with(token: "123456789:TEST-token-abcdefghij") { fake in
            try await withOtklik(db) { app in
                let f = try await Fixture.make(app)
                try await RiskPeople.add(app, f)
                try await RiskPeople.bot(app, api: fake.base)
                app.clock.set(at("2026-12-07T03:00:00Z"))
                let officer = try await app.signIn("a.risk")
                let made = try await app.call(.POST, Self.base, as: officer, json: #"{"title":"Паника из-за отключения света","criticality":"medium","sources":[{"url":"https://vk.com/wall-5_6"}]}"#)
                let id = made.json["id"]?.string ?? ""
                let monitor = RiskMonitor(db: app.db, publicURL: nil)
                func tick(_ t: String) async throws -> RiskMonitor.Report {
                    app.clock.set(at(t))
                    let r = try await monitor.tick(now: app.clock.now)
                    await NotificationDispatcher.tick(app)
                    return r
                }
                #expect(try await tick("2026-12-07T03:30:00Z") == .init())
                #expect(try await tick("2026-12-07T04:00:00Z") == .init(reminders: 1), "половина срока")
                #expect(try await tick("2026-12-07T04:30:00Z") == .init())
                #expect(try await tick("2026-12-07T05:00:00Z") == .init(overdue: 1))
                #expect(fake.sent.last?.text == "⏰ Риск №1: просрочена первая реакция (срок 07.12.2026 12:00) · Округ a\n«Паника из-за отключения света»\nКритичность: средняя. Этап: выявлен.")
                let card = try await app.call(.GET, "\(Self.base)/\(id)", as: officer).json
                #expect(card["overdue"]?.bool == true)
                #expect(try await tick("2026-12-07T06:59:00Z") == .init())
                #expect(try await tick("2026-12-07T07:00:00Z") == .init(escalations: 1), "ещё 2 рабочих часа — куратор")
                let curatorInbox = try await app.call(.GET, "/api/v1/municipalities/alpha/notifications", as: try await app.signIn("a.curator")).json["items"]?.array ?? []
                #expect(curatorInbox.contains { $0["title"]?.string?.contains("нет первой реакции") == true && $0["risk_id"]?.string == id })
                _ = try await Self.act(app, officer, id, "start_verification", "")
                _ = try await Self.act(app, officer, id, "prepare_response", #""response_text":"Свет дадут к 20:00.","platforms":["сайт администрации"]"#)
                _ = try await Self.act(app, officer, id, "publish", #""links":["https://alpha.example.ru/news/2"]"#)
                #expect(try await tick("2026-12-08T07:00:00Z") == .init(), "реакция опубликована — эскалаций больше нет")
                // A monitoring system measures the reaction through the API with its own token.
                let monitoring = try await TokensController.issue(name: "Система мониторинга соцсетей", role: .riskOfficer, tenantID: f.alpha.id,
                                                                  createdBy: nil, on: app.db).0
                let measured = try await Self.act(app, .token(monitoring), id, "add_snapshot", #""publications":2,"comments":15,"negative_percent":20,"reach":3400"#)
                #expect(measured.json["snapshots"]?[0]?["entered_by"]?.string?.contains("Система мониторинга соцсетей") == true, "\(measured.body.string.prefix(300))")
                let events = try await app.call(.GET, "\(Self.base)/\(id)", as: officer).json["events"]?.array.compactMap { $0["kind"]?.string } ?? []
                #expect(events.prefix(4) == ["created", "reminded", "overdue", "escalated_by_monitor"])

                // Seasonal threats: the shipped list; the waste-collection season of 1 January is reminded from 11 December, once.
                let threats = try await app.call(.GET, "/api/v1/municipalities/alpha/seasonal-threats", as: officer).json["items"]?.array ?? []
                #expect(threats.count == SeasonalThreat.defaults.count)
                #expect(try await tick("2026-12-10T03:00:00Z").seasons == 0)
                #expect(try await tick("2026-12-11T03:00:00Z").seasons == 2, "оба МО фикстуры")
                #expect(fake.sent.last?.text == "📅 Сезонная угроза «Вывоз ТКО после новогодних праздников» · Округ a\nСезон 01.01–15.01 начнётся через 21 день (01.01.2027).\nПодготовьте превентивную кампанию.")
                #expect(try await tick("2026-12-12T03:00:00Z").seasons == 0, "один раз на сезон")
                #expect(try await RiskMonitor(db: app.db, publicURL: nil).tick(now: at("2026-12-12T03:00:00Z")).seasons == 0)
            }
        }
    }

    @Test("Риск из обращения: название, текст, ссылка, тема и организация из обращения, обращение связано; связать и отвязать по номеру",
          arguments: TestDB.all)
    func fromCase(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            try await RiskPeople.add(app, f)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let officer = try await app.signIn("a.risk")
            let c = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                       json: caseJSON("IM-1", channel: "incident_manager", text: "Во дворе дома 5 прорвало трубу, кипяток заливает детскую площадку",
                                                      receivedAt: "2026-12-07T09:00:00+07:00",
                                                      extra: #""source_url":"https://vk.com/wall-7_8""#))
            #expect(c.status == .created, "\(c.body.string)")
            try await CaseRecord.query(on: app.db).filter(\.$externalID == "IM-1").set(\.$categoryID, to: f.alpha.rubrics["zhkh"]).update()
            let number = c.json["number"]?.int ?? 0
            let made = try await app.call(.POST, Self.base, as: officer, json: #"{"from_case":\#(number),"criticality":"critical"}"#)
            #expect(made.status == .created, "\(made.body.string)")
            #expect(made.json["title"]?.string?.hasPrefix("Во дворе дома 5 прорвало трубу") == true)
            #expect(made.json["sources"]?[0]?["url"]?.string == "https://vk.com/wall-7_8" && made.json["sources"]?[0]?["platform"]?.string == "vk")
            #expect(made.json["category"]?["name"]?.string == "ЖКХ" && made.json["cases"]?.array.map { $0["number"]?.int } == [number])
            #expect(made.json["reaction_due_at"]?.string == "2026-12-07T03:30:00Z", "критический: 30 минут")
            let id = made.json["id"]?.string ?? ""
            let other = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token), json: caseJSON("IM-2", text: "Кипяток во дворе"))
            let linked = try await app.call(.POST, "\(Self.base)/\(id)/cases", as: officer, json: #"{"case":\#(other.json["number"]?.int ?? 0)}"#)
            #expect(linked.json["cases"]?.array.count == 2)
            #expect(try await app.call(.POST, "\(Self.base)/\(id)/cases", as: officer, json: #"{"case":\#(number)}"#).status == .conflict)
            #expect(try await app.call(.POST, "\(Self.base)/\(id)/cases", as: officer, json: #"{"case":99999}"#).status == .unprocessableEntity)
            let unlinked = try await app.call(.DELETE, "\(Self.base)/\(id)/cases/\(other.json["id"]?.string ?? "")", as: officer)
            #expect(unlinked.json["cases"]?.array.count == 1)
            // A case without a link cannot make a risk by itself: the officer is asked for one.
            let plain = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token), json: caseJSON("IM-3", text: "Слухи об отключении газа"))
            let refused = try await app.call(.POST, Self.base, as: officer, json: #"{"from_case":\#(plain.json["number"]?.int ?? 0),"criticality":"low"}"#)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("укажите ссылку"))
        }
    }

    @Test("Уведомления о риске идут через общие уведомители: во «Входящие» и письмом тем, у кого есть e-mail", arguments: TestDB.all)
    func otherNotifiers(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            try await RiskPeople.add(app, f)
            app.notifiers = [InAppNotifier(), EmailNotifier(publicURL: nil)]
            app.clock.set(at("2026-12-07T03:00:00Z"))
            try await User.query(on: app.db).filter(\.$login == "a.head").set(\.$email, to: "head@alpha.example").update()
            let smtp = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: try await app.signIn("a.admin"), json: """
                {"kind":"smtp","name":"Почта МЦУ","host":"127.0.0.1","port":2525,"security":"none","from":"mcu@alpha.example"}
                """)
            #expect(smtp.status == .created, "\(smtp.body.string)")
            let made = try await app.call(.POST, Self.base, as: try await app.signIn("a.risk"),
                                          json: #"{"title":"Слух о повышении платы за вывоз мусора","criticality":"low","sources":[{"url":"https://vk.com/wall-8_9"}]}"#)
            #expect(made.status == .created)
            let letters = try await NotificationDelivery.query(on: app.db).filter(\.$channel == "email").filter(\.$kind == "risk").all()
            #expect(letters.map(\.recipient) == ["head@alpha.example"] && letters.first?.subject.contains("Новый информационный риск №1") == true)
            #expect(try await NotificationRecord.query(on: app.db).filter(\.$kind == "risk").count() >= 2, "риск-офицер и руководитель МЦУ во «Входящих»")
        }
    }
}
