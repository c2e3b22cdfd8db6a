import Fluent
import Foundation
import NIOConcurrencyHelpers
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

/// A local server that speaks the Bot API: `POST /bot{token}/getUpdates` hands out queued updates after
/// the offset, `POST /bot{token}/sendMessage` records what the bot said; a wrong token gets Telegram's 401.
final class FakeBotAPI: Sendable {
    let token: String
    private let state = NIOLockedValueBox<(updates: [String], sent: [(chat: Int64, text: String)], down: Bool)>(([], [], false))
    let app: Application
    let base: String

    init(token: String) async throws {
        self.token = token
        app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        let state = self.state, token = self.token
        app.post(":bot", ":method") { req async throws -> Response in
            guard req.parameters.get("bot") == "bot" + token else {
                return Self.json(#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#, .unauthorized)
            }
            if state.withLockedValue({ $0.down }) { return Self.json(#"{"ok":false,"error_code":502,"description":"Bad Gateway"}"#, .badGateway) }
            let body = (try? JSONParser.parse(req.body.data.map { Array($0.readableBytesView) } ?? [])) ?? .null
            switch req.parameters.get("method") {
            case "getUpdates":
                let offset: Int = if case .object(let o) = body, case .number(let n)? = o["offset"] { Int(n) } else { 0 }
                let items = state.withLockedValue { s in
                    s.updates.filter { u in (try? JSONParser.parse(u)).flatMap { v -> Int? in
                        if case .object(let o) = v, case .number(let n)? = o["update_id"] { return Int(n) } else { return nil } } ?? 0 >= offset }
                }
                return Self.json(#"{"ok":true,"result":[\#(items.joined(separator: ","))]}"#, .ok)
            case "sendMessage":
                guard case .object(let o) = body, case .number(let chat)? = o["chat_id"], case .string(let text)? = o["text"] else {
                    return Self.json(#"{"ok":false,"error_code":400,"description":"Bad Request: message text is empty"}"#, .badRequest)
                }
                state.withLockedValue { $0.sent.append((Int64(chat), text)) }
                return Self.json(#"{"ok":true,"result":{"message_id":1}}"#, .ok)
            default:
                return Self.json(#"{"ok":false,"error_code":404,"description":"Not Found"}"#, .notFound)
            }
        }
        try app.server.start()
        base = "http://127.0.0.1:\(app.http.server.shared.localAddress!.port!)"
    }

    static func json(_ s: String, _ status: HTTPResponseStatus) -> Response {
        let r = Response(status: status, body: .init(string: s))
        r.headers.contentType = .json
        return r
    }

    func queue(_ update: String) { state.withLockedValue { $0.updates.append(update) } }
    var sent: [(chat: Int64, text: String)] { state.withLockedValue { $0.sent } }
    func setDown(_ down: Bool) { state.withLockedValue { $0.down = down } }

    func shutdown() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    /// Runs `body` with a fresh fake and shuts it down however `body` ends.
    static func with(token: String = "123456789:TEST-token-abcdefghij", _ body: (FakeBotAPI) async throws -> Void) async throws {
        let fake = try await FakeBotAPI(token: token)
        do { try await body(fake) } catch {
            try await fake.shutdown()
            throw error
        }
        try await fake.shutdown()
    }

    static func message(update: Int, chat: Int64, type: String = "private", messageID: Int, text: String?, date: Int = 1768186800) -> String {
        let t = text.map { #","text":\#(jsonString($0))"# } ?? ""
        return #"{"update_id":\#(update),"message":{"message_id":\#(messageID),"date":\#(date),"chat":{"id":\#(chat),"type":"\#(type)"},"from":{"id":\#(chat),"first_name":"Анна","last_name":"Ботова (тест)","username":"anna_test"}\#(t)}}"#
    }
}

@Suite("Telegram-бот: приём, номер в ответ, доставка ответа — с локальным Bot API")
struct TelegramBotTests {
    @Test("сообщение → обращение и номер; повтор не дублирует; группа и стикер — пропуск; ответ уходит в чат; сбой Bot API записан и повторён",
          arguments: TestDB.all)
    func botFlow(db: TestDB) async throws {
        let token = "123456789:TEST-token-abcdefghij"
        try await FakeBotAPI.with(token: token) { fake in
            try await withOtklik(db) { app in
                let f = try await Fixture.make(app)
                app.clock.set(try TimeText.parseRFC3339("2026-01-12T03:00:00Z"))
                let admin = try await app.signIn("a.admin")
                let bad = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin,
                                             json: #"{"kind":"telegram","name":"Бот","secret":"не-токен","api_base":"ftp://x"}"#)
                #expect(bad.status == .unprocessableEntity)
                #expect(Set(bad.json["errors"]?.array.compactMap { $0["field"]?.string } ?? []) == ["secret", "api_base"])
                let created = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin,
                                                 json: #"{"kind":"telegram","name":"Бот администрации","secret":"\#(token)","api_base":"\#(fake.base)"}"#)
                #expect(created.status == .created, "\(created.body.string)")
                #expect(!created.body.string.contains("TEST-token"), "токен не возвращается")

                fake.queue(FakeBotAPI.message(update: 10, chat: 5001, messageID: 1, text: "/start"))
                fake.queue(FakeBotAPI.message(update: 11, chat: 5001, messageID: 2, text: "Во дворе дома 7 по ул. Вымышленной яма (тест)"))
                fake.queue(FakeBotAPI.message(update: 12, chat: -900, type: "group", messageID: 3, text: "Сообщение из группы"))
                fake.queue(FakeBotAPI.message(update: 13, chat: 5002, messageID: 4, text: nil))
                await TelegramBot.tick(app)
                let cases = try await CaseRecord.query(on: app.db).filter(\CaseRecord.$channel == "telegram_bot").all()
                #expect(cases.count == 1)
                let record = try #require(cases.first)
                #expect(record.externalID == "tg123456789:5001:2" && record.authorName == "Анна Ботова (тест)")
                let texts = fake.sent.map(\.text)
                #expect(texts.count == 3, "\(texts)")
                #expect(texts[0] == TelegramIntake.greeting)
                #expect(texts[1].contains("номер \(record.number)") && texts[1].contains("Ответ — до"))
                #expect(fake.sent[2].chat == 5002 && texts[2] == TelegramIntake.textOnly)
                #expect(!fake.sent.contains { $0.chat == -900 }, "в группу бот не пишет")

                // The same updates again (Telegram resends when the offset was not confirmed): nothing new.
                let connector = try #require(try await Connector.query(on: app.db).first())
                #expect(Connectors.config(connector)["offset"] == "13")
                try await Connector.query(on: app.db).set(\.$configJSON, to: #"{"api_base":"\#(fake.base)","offset":"10"}"#).update()
                await TelegramBot.tick(app)
                #expect(try await CaseRecord.query(on: app.db).filter(\CaseRecord.$channel == "telegram_bot").count() == 1)
                #expect(fake.sent.count == 4, "повтор стикера снова получает подсказку, повтор текста — ничего")

                // The answer is published: the bot sends it to the chat once; a Bot API failure is recorded and retried.
                let op = try await app.signIn("a.operator"), exec = try await app.signIn("a.exec.zhkh")
                let c = CaseDriver(app: app, slug: "alpha", caseID: record.id!.uuidString)
                let execID = try await User.query(on: app.db).filter(\.$login == "a.exec.zhkh").first()!.id!
                try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)","executor_id":"\#(execID.uuidString)""#)
                try await c.act("submit_answer", as: exec, #""text":"Яму заделают до 20 января (тест).","result":"resolved""#)
                try await c.act("approve", as: op)
                fake.setDown(true)
                try await c.act("publish", as: op)
                await TelegramBot.tick(app)
                let failed = try await CaseEvent.query(on: app.db).filter(\CaseEvent.$caseID == record.id!)
                    .filter(\CaseEvent.$kind == "answer_not_delivered").all()
                #expect(failed.count == 1 && (failed.first?.comment ?? "").contains("Bad Gateway"))
                #expect(try await Connector.query(on: app.db).first()?.lastError?.contains("Bad Gateway") == true)
                fake.setDown(false)
                await TelegramBot.tick(app)
                await TelegramBot.tick(app)
                let answers = fake.sent.filter { $0.text.hasPrefix("Ответ по вашему обращению №\(record.number)") }
                #expect(answers.count == 1 && answers.first?.chat == 5001 && answers.first?.text.contains("Яму заделают") == true)
                #expect(try await CaseEvent.query(on: app.db).filter(\CaseEvent.$kind == "answer_delivered").count() == 1)
                #expect(try await Connector.query(on: app.db).first()?.lastError == nil)
            }
        }
    }
}
