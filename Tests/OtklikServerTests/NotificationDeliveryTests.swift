import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

@Suite("Уведомления наружу: письма исполнителям через SMTP, чат оповещений операторов в Telegram")
struct NotificationDeliveryTests {
    static let relayPassword = "пароль-релея-2026"

    /// An SMTP connector of «alpha» pointing at `relay`, and e-mails for the ЖКХ executor and head.
    static func setUp(_ app: Application, relay: FakeSMTPServer, security: String = "none", verify: Bool = false) async throws -> Caller {
        app.notifiers = [InAppNotifier(), EmailNotifier(publicURL: "https://otklik.test"), TelegramAlertNotifier(publicURL: "https://otklik.test")]
        for (login, email) in [("a.exec.zhkh", "ispolnitel@zhkh.example"), ("a.orghead.zhkh", "nachalnik@zhkh.example")] {
            try await User.query(on: app.db).filter(\.$login == login).set(\.$email, to: email).update()
        }
        let admin = try await app.signIn("a.admin")
        let created = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin, json: """
            {"kind":"smtp","name":"Почта МЦУ","host":"127.0.0.1","port":\(relay.port),"security":"\(security)","verify_tls":\(verify),
             "from":"mcu@alpha.example","from_name":"МЦУ Альфа (тест)","username":"otklik","secret":"\(relayPassword)"}
            """)
        #expect(created.status == .created, "\(created.body.string)")
        #expect(!created.body.string.contains(relayPassword), "пароль не возвращается")
        return admin
    }

    static func routedCase(_ app: Application, _ f: Fixture, external: String) async throws -> CaseDriver {
        let c = try await CaseDriver.register(app, f, channel: "hotline", external: external, extra: #""category":"zhkh""#)
        let op = try await app.signIn("a.operator")
        _ = try await c.act("take_in_work", as: op)
        _ = try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)""#)
        return c
    }

    @Test("плохие настройки SMTP — понятные ошибки по полям, ничего не сохранено", arguments: TestDB.all)
    func badSettings(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            let admin = try await app.signIn("a.admin")
            let bad = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin, json: """
                {"kind":"smtp","name":"Почта","host":"smtp relay!","port":70000,"security":"ssl","from":"не адрес","username":"otklik"}
                """)
            #expect(bad.status == .unprocessableEntity)
            let fields = Set(bad.json["errors"]?.array.compactMap { $0["field"]?.string } ?? [])
            #expect(fields == ["host", "port", "security", "from", "secret"], "\(bad.body.string)")
            #expect(bad.body.string.contains("адрес отправителя"))
            let injected = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin, json: #"""
                {"kind":"smtp","name":"Почта","host":"10.0.0.25","from":"mcu@alpha.example>\r\nRCPT TO:<all@example.org"}
                """#)
            #expect(injected.status == .unprocessableEntity, "перевод строки в адресе — отказ")
            #expect(try await Connector.query(on: app.db).count() == 0)
            let tg = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin, json: """
                {"kind":"telegram","name":"Бот","secret":"123456789:TEST-token-abcdefghij","alert_chat_id":"чат","alert_kinds":"overdue,чепуха"}
                """)
            #expect(Set(tg.json["errors"]?.array.compactMap { $0["field"]?.string } ?? []) == ["alert_chat_id", "alert_kinds"])
            #expect(tg.body.string.contains("«чепуха»"))
        }
    }

    @Test("назначение → письмо по SMTP с входом; без повторов; релей недоступен → повтор через минуту; 550 → не отправлено; неверный пароль",
          arguments: TestDB.all)
    func letters(db: TestDB) async throws {
        let relay = try await FakeSMTPServer(user: "otklik", password: Self.relayPassword)
        do {
            try await withOtklik(db) { app in
                let f = try await Fixture.make(app)
                app.clock.set(at("2026-11-20T02:30:00Z"))
                let admin = try await Self.setUp(app, relay: relay)
                let c = try await CaseDriver.register(app, f, channel: "hotline", external: "MAIL-1", extra: #""category":"zhkh""#)
                let op = try await app.signIn("a.operator")
                let execID = try await User.query(on: app.db).filter(\.$login == "a.exec.zhkh").first()!.id!
                _ = try await c.act("take_in_work", as: op)
                _ = try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)","executor_id":"\#(execID.uuidString)""#)

                await NotificationDispatcher.tick(app)
                var letters = relay.letters
                #expect(letters.count == 1)
                let letter = try #require(letters.first)
                #expect(letter.to == ["ispolnitel@zhkh.example"] && letter.from == "mcu@alpha.example" && letter.user == "otklik")
                #expect(FakeSMTPServer.subject(of: letter) == "Обращение №1 назначено вам")
                let body = FakeSMTPServer.body(of: letter)
                #expect(body.contains("Здравствуйте, exec.zhkh a!"))
                #expect(body.contains("https://otklik.test/m/alpha/cases/\(c.caseID)"))
                #expect(letter.data.contains("From: =?utf-8?B?"), "имя отправителя по-русски — в кодировке RFC 2047")
                #expect(try await NotificationDelivery.query(on: app.db).first()?.status == "sent")

                await NotificationDispatcher.tick(app)
                #expect(relay.letters.count == 1, "отправленное не уходит второй раз")

                // The relay is down: the letter waits a minute and goes when it is back.
                relay.setDown(true)
                _ = try await c.act("urgent_request", as: op, #""text":"Позвоните жителю сегодня.","deadline":"2026-11-20T09:00:00Z""#)
                await NotificationDispatcher.tick(app)
                var pending = try #require(try await NotificationDelivery.query(on: app.db).filter(\.$kind == "urgent_request").first())
                #expect(pending.status == "pending" && pending.attempts == 1)
                #expect(pending.nextAttemptAt == app.clock.now.addingTimeInterval(60))
                #expect(pending.lastError?.contains("421") == true, "\(pending.lastError ?? "")")
                let smtp = try #require(try await Connector.query(on: app.db).filter(\.$kind == "smtp").first())
                #expect(smtp.lastError?.contains("421") == true)
                relay.setDown(false)
                await NotificationDispatcher.tick(app)
                #expect(relay.letters.count == 1, "до срока повтора не отправляется")
                app.clock.set(at("2026-11-20T02:31:01Z"))
                await NotificationDispatcher.tick(app)
                letters = relay.letters
                #expect(letters.count == 2 && FakeSMTPServer.subject(of: letters[1]) == "Срочный запрос по обращению №1")
                pending = try #require(try await NotificationDelivery.find(pending.id, on: app.db))
                #expect(pending.status == "sent" && pending.attempts == 2)

                // A refused address fails at once (5xx), the others of the same pass still go.
                relay.refuse("ispolnitel@zhkh.example")
                let other = try await Self.routedCase(app, f, external: "MAIL-2")
                _ = try await c.act("urgent_request", as: op, #""text":"Ещё раз.","deadline":"2026-11-20T09:30:00Z""#)
                _ = try await other.act("urgent_request", as: op, #""text":"Срочно.","deadline":"2026-11-20T09:30:00Z""#)
                await NotificationDispatcher.tick(app)
                let failed = try await NotificationDelivery.query(on: app.db).filter(\.$status == "failed").all()
                #expect(failed.count == 3 && failed.allSatisfy { $0.recipient == "ispolnitel@zhkh.example" && $0.lastError?.contains("550") == true },
                        "исполнителю: назначение второго обращения и два срочных запроса; \(failed.map { "\($0.recipient) \($0.lastError ?? "")" })")
                #expect(relay.letters.map(\.to).last == ["nachalnik@zhkh.example"], "начальник получил письмо в том же сеансе")

                // A wrong password: the pass reports the refused login and keeps the letter for later.
                let id = try #require(smtp.id)
                let patched = try await app.call(.PATCH, "/api/v1/municipalities/alpha/connectors/\(id.uuidString)", as: admin,
                                                 json: #"{"version":1,"secret":"неверный-пароль"}"#)
                #expect(patched.status == .ok, "\(patched.body.string)")
                _ = try await other.act("urgent_request", as: op, #""text":"И ещё.","deadline":"2026-11-20T10:00:00Z""#)
                await NotificationDispatcher.tick(app)
                let waiting = try await NotificationDelivery.query(on: app.db).filter(\.$status == "pending").all()
                #expect(!waiting.isEmpty && waiting.allSatisfy { $0.lastError?.contains("535") == true && $0.lastError?.contains("вход") == true },
                        "\(waiting.map { $0.lastError ?? "" })")
            }
        } catch {
            try await relay.shutdown()
            throw error
        }
        try await relay.shutdown()
    }

    @Test("STARTTLS: письмо уходит по зашифрованному каналу; с проверкой сертификата самоподписанный сертификат отвергнут",
          arguments: TestDB.all)
    func startTLS(db: TestDB) async throws {
        let relay = try await FakeSMTPServer(user: "otklik", password: Self.relayPassword, startTLS: true)
        do {
            try await withOtklik(db) { app in
                let f = try await Fixture.make(app)
                app.clock.set(at("2026-11-20T02:30:00Z"))
                let admin = try await Self.setUp(app, relay: relay, security: "starttls", verify: false)
                _ = try await Self.routedCase(app, f, external: "TLS-1")
                await NotificationDispatcher.tick(app)
                #expect(relay.letters.count == 2 && relay.letters.allSatisfy(\.overTLS), "исполнитель и начальник, оба письма — после STARTTLS")

                let smtp = try #require(try await Connector.query(on: app.db).filter(\.$kind == "smtp").first())
                let patched = try await app.call(.PATCH, "/api/v1/municipalities/alpha/connectors/\(smtp.id!.uuidString)", as: admin,
                                                 json: #"{"version":1,"verify_tls":true}"#)
                #expect(patched.status == .ok)
                _ = try await Self.routedCase(app, f, external: "TLS-2")
                await NotificationDispatcher.tick(app)
                #expect(relay.letters.count == 2, "непроверенный сертификат — письма не отправлены")
                let waiting = try await NotificationDelivery.query(on: app.db).filter(\.$status == "pending").all()
                #expect(waiting.count == 2 && waiting.allSatisfy { $0.lastError?.contains("TLS") == true }, "\(waiting.map { $0.lastError ?? "" })")
            }
        } catch {
            try await relay.shutdown()
            throw error
        }
        try await relay.shutdown()
    }

    @Test("чат оповещений: одно сообщение на событие, сколько бы людей ни уведомили; назначения исполнителям не шлются; сбой — повтор",
          arguments: TestDB.all)
    func alertChat(db: TestDB) async throws {
        let token = "123456789:TEST-token-abcdefghij"
        try await FakeBotAPI.with(token: token) { fake in
            try await withOtklik(db) { app in
                let f = try await Fixture.make(app)
                app.clock.set(at("2026-11-20T02:30:00Z"))
                app.notifiers = [InAppNotifier(), EmailNotifier(publicURL: nil), TelegramAlertNotifier(publicURL: "https://otklik.test")]
                let admin = try await app.signIn("a.admin")
                let created = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin, json: """
                    {"kind":"telegram","name":"Бот МЦУ","secret":"\(token)","api_base":"\(fake.base)","alert_chat_id":"-1001234567890"}
                    """)
                #expect(created.status == .created, "\(created.body.string)")
                #expect(created.json["config"]?["alert_chat_id"]?.string == "-1001234567890")

                let c = try await Self.routedCase(app, f, external: "ALERT-1")
                await NotificationDispatcher.tick(app)
                #expect(fake.sent.isEmpty, "назначение — дело исполнителя, не чата операторов")

                let op = try await app.signIn("a.operator")
                _ = try await c.act("urgent_request", as: op, #""text":"Прорыв трубы, нужен ответ сегодня.","deadline":"2026-11-20T09:00:00Z""#)
                let notified = try await NotificationRecord.query(on: app.db).filter(\.$kind == "urgent_request").count()
                #expect(notified >= 2, "исполнители и начальник ЖКХ уведомлены каждый")
                await NotificationDispatcher.tick(app)
                await NotificationDispatcher.tick(app)
                #expect(fake.sent.count == 1, "одно сообщение на событие: \(fake.sent.map(\.text))")
                let post = try #require(fake.sent.first)
                #expect(post.chat == -1001234567890)
                #expect(post.text.contains("Срочный запрос по обращению №1") && post.text.contains("Прорыв трубы"))
                #expect(post.text.contains("https://otklik.test/m/alpha/cases/\(c.caseID)"))

                // Bot API down: kept and retried on the schedule.
                fake.setDown(true)
                _ = try await c.act("urgent_request", as: op, #""text":"Повторно.","deadline":"2026-11-20T09:30:00Z""#)
                await NotificationDispatcher.tick(app)
                let pending = try #require(try await NotificationDelivery.query(on: app.db).filter(\.$status == "pending").first())
                #expect(pending.lastError?.contains("Bad Gateway") == true && pending.attempts == 1)
                fake.setDown(false)
                app.clock.set(at("2026-11-20T02:31:01Z"))
                await NotificationDispatcher.tick(app)
                #expect(fake.sent.count == 2 && fake.sent[1].text.contains("Повторно."))
            }
        }
    }

    @Test("страницы: почтовый сервер добавлен формой, пароль не показан; пробное письмо себе; журнал с «повторить»; чужой МО не видит",
          arguments: TestDB.all)
    func pages(db: TestDB) async throws {
        let relay = try await FakeSMTPServer(user: "otklik", password: Self.relayPassword)
        do {
            try await withOtklik(db) { app in
                _ = try await Fixture.make(app)
                app.clock.set(at("2026-11-20T02:30:00Z"))
                let web = try await WebVisitor.signIn(app, "a.admin")
                let bad = try await web.submit("/m/alpha/admin/connectors", ["kind": "smtp", "name": "Почта", "host": "127.0.0.1", "port": "",
                                                                              "security": "none", "from": "не адрес", "username": "otklik",
                                                                              "secret": Self.relayPassword, "enabled": "1"],
                                               csrfFrom: "/m/alpha/admin/connectors")
                #expect(bad.status == .unprocessableEntity && bad.body.string.contains("адрес отправителя вида"))
                #expect(!bad.body.string.contains(Self.relayPassword))
                let saved = try await web.submit("/m/alpha/admin/connectors", ["kind": "smtp", "name": "Почта МЦУ", "host": "127.0.0.1",
                                                                                "port": String(relay.port), "security": "none", "from": "mcu@alpha.example",
                                                                                "from_name": "МЦУ", "username": "otklik", "secret": Self.relayPassword,
                                                                                "enabled": "1"],
                                                 csrfFrom: "/m/alpha/admin/connectors")
                #expect(saved.status == .seeOther)
                let smtp = try #require(try await Connector.query(on: app.db).filter(\.$kind == "smtp").first())
                #expect(Connectors.config(smtp)["verify_tls"] == "no", "галочка «проверять сертификат» снята")
                let page = try await web.get("/m/alpha/admin/connectors").body.string
                #expect(page.contains("Почта МЦУ") && page.contains("127.0.0.1:\(relay.port)") && !page.contains(Self.relayPassword))
                let id = smtp.id!.uuidString

                // No e-mail in the administrator's profile: a clear refusal, nothing queued.
                let refused = try await web.submit("/m/alpha/admin/connectors/\(id)/test", [:], csrfFrom: "/m/alpha/admin/connectors")
                #expect(refused.status == .seeOther)
                #expect(try await web.get("/m/alpha/admin/connectors").body.string.contains("в вашем профиле нет адреса e-mail"))
                #expect(try await NotificationDelivery.query(on: app.db).count() == 0)

                try await User.query(on: app.db).filter(\.$login == "a.admin").set(\.$email, to: "admin@alpha.example").update()
                let queued = try await web.submit("/m/alpha/admin/connectors/\(id)/test", [:], csrfFrom: "/m/alpha/admin/connectors")
                #expect(queued.location == "/m/alpha/admin/connectors/\(id)/notifications")
                relay.refuse("admin@alpha.example")
                await NotificationDispatcher.tick(app)
                let logPage = try await web.get("/m/alpha/admin/connectors/\(id)/notifications")
                var log = logPage.body.string
                #expect(log.contains("Журнал писем") && log.contains("admin@alpha.example") && log.contains("class=\"delivery-failed\"") && log.contains("550"))
                let failed = try #require(try await NotificationDelivery.query(on: app.db).first())
                relay.state.withLockedValue { $0.refused = [] }
                let retried = try await web.submit("/m/alpha/admin/connectors/\(id)/notifications/\(failed.id!.uuidString)/retry", [:],
                                                   csrfFrom: "/m/alpha/admin/connectors/\(id)/notifications")
                #expect(retried.status == .seeOther)
                await NotificationDispatcher.tick(app)
                log = try await web.get("/m/alpha/admin/connectors/\(id)/notifications").body.string
                #expect(log.contains("class=\"delivery-sent\"") && !log.contains("class=\"delivery-failed\""))
                #expect(FakeSMTPServer.subject(of: try #require(relay.letters.first)) == "Проверка почты Отклика")
                #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "connector.test").count() == 2 - 1, "отказ без e-mail не записан")

                let beta = try await WebVisitor.signIn(app, "b.admin")
                #expect(try await beta.get("/m/beta/admin/connectors/\(id)/notifications").status == .notFound)
                let api = try await app.signIn("a.admin")
                let items = try await app.call(.GET, "/api/v1/municipalities/alpha/connectors/\(id)/notifications", as: api).json
                #expect(items.array.first?["status"]?.string == "sent" && items.array.first?["kind"]?.string == "test")
            }
        } catch {
            try await relay.shutdown()
            throw error
        }
        try await relay.shutdown()
    }
}
