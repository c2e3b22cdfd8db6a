import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

/// A subscriber on a local port: checks our signature with the shared key, answers 500 while `failing`.
final class FakeWebhookReceiver: Sendable {
    let app: Application
    let base: String
    private let state = NIOLockedValueBox<(failing: Bool, received: [(event: String, body: String, signatureOK: Bool)])>((true, []))

    init(secret: String) async throws {
        app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        let state = self.state
        app.post("hook") { req -> HTTPStatus in
            let body = req.body.data.map { String(buffer: $0) } ?? ""
            let sent = req.headers.first(name: "X-Otklik-Signature") ?? ""
            let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            let expected = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
            return state.withLockedValue { s in
                s.received.append((req.headers.first(name: "X-Otklik-Event") ?? "", body, sent == expected))
                return s.failing ? .internalServerError : .noContent
            }
        }
        try app.server.start()
        base = "http://127.0.0.1:\(app.http.server.shared.localAddress!.port!)"
    }

    func setFailing(_ f: Bool) { state.withLockedValue { $0.failing = f } }
    var received: [(event: String, body: String, signatureOK: Bool)] { state.withLockedValue { $0.received } }

    func shutdown() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

@Suite("Исходящие вебхуки: подпись HMAC-SHA256, повторы с паузами, журнал доставки")
struct WebhookTests {
    @Test("событие обращения → подписанный POST; сбой получателя → повтор через минуту; журнал и «повторить»", arguments: TestDB.all)
    func deliveries(db: TestDB) async throws {
        let secret = "ключ-подписи-для-теста-2026"
        let receiver = try await FakeWebhookReceiver(secret: secret)
        do {
            try await withOtklik(db) { app in
                let f = try await Fixture.make(app)
                app.clock.set(try TimeText.parseRFC3339("2026-01-12T03:00:00Z"))
                let admin = try await app.signIn("a.admin")
                let short = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin,
                                               json: #"{"kind":"webhook","name":"Хук","url":"ftp://x","events":"received,нечто","secret":"коротко"}"#)
                #expect(Set(short.json["errors"]?.array.compactMap { $0["field"]?.string } ?? []) == ["url", "events", "secret"])
                let created = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin,
                                                 json: #"{"kind":"webhook","name":"Система ЖКХ","url":"\#(receiver.base)/hook","events":"received,assign","secret":"\#(secret)"}"#)
                #expect(created.status == .created, "\(created.body.string)")
                #expect(!created.body.string.contains(secret))

                app.clock.set(try TimeText.parseRFC3339("2026-01-12T03:00:05Z"))
                let c = try await CaseDriver.register(app, f, channel: "hotline", external: "WH-1", receivedAt: "2026-01-12T09:00:00+07:00")
                await WebhookDispatcher.tick(app)
                #expect(receiver.received.count == 1 && receiver.received[0].event == "received" && receiver.received[0].signatureOK)
                let body = try JSONParser.parse(receiver.received[0].body)
                #expect(body["case"]?["id"]?.string == c.caseID.lowercased() && body["municipality"]?.string == "alpha")
                #expect(!receiver.received[0].body.contains("author"), "личных данных в событии нет")
                var d = try #require(try await WebhookDelivery.query(on: app.db).first())
                #expect(d.status == "pending" && d.attempts == 1 && d.lastStatusCode == 500)
                #expect(d.nextAttemptAt == app.clock.now.addingTimeInterval(60))

                // Not yet due: nothing is sent; a minute later the subscriber is back and gets it.
                await WebhookDispatcher.tick(app)
                #expect(receiver.received.count == 1)
                receiver.setFailing(false)
                app.clock.set(try TimeText.parseRFC3339("2026-01-12T03:01:06Z"))
                await WebhookDispatcher.tick(app)
                d = try #require(try await WebhookDelivery.query(on: app.db).first())
                #expect(d.status == "delivered" && d.attempts == 2 && receiver.received.count == 2)
                #expect(receiver.received[1].body == receiver.received[0].body, "повтор — то же тело и та же подпись")

                // Only the chosen kinds: take_in_work is not sent, assign is.
                let op = try await app.signIn("a.operator")
                try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)""#)
                await WebhookDispatcher.tick(app)
                #expect(receiver.received.map(\.event) == ["received", "received", "assign"])

                // A subscriber that never recovers: the delivery is marked failed after the last retry and can be re-queued.
                receiver.setFailing(true)
                _ = try await CaseDriver.register(app, f, channel: "hotline", external: "WH-2", receivedAt: "2026-01-12T09:01:00+07:00")
                for delay in [0] + WebhookBackoff.delays {
                    app.clock.set(app.clock.now.addingTimeInterval(TimeInterval(delay)))
                    await WebhookDispatcher.tick(app)
                }
                let failed = try #require(try await WebhookDelivery.query(on: app.db).filter(\WebhookDelivery.$status == "failed").first())
                #expect(failed.attempts == WebhookBackoff.maxAttempts && failed.caseNumber > 0)
                let web = try await WebVisitor.signIn(app, "a.admin")
                let hookID = try #require(created.json["id"]?.string)
                let log = try await web.get("/m/alpha/admin/connectors/\(hookID)/deliveries").body.string
                #expect(log.contains("доставлено") && log.contains("не доставлено") && log.contains("получатель ответил 500"))
                receiver.setFailing(false)
                let retried = try await web.submit("/m/alpha/admin/connectors/\(hookID)/deliveries/\(failed.id!.uuidString)/retry", [:],
                                                   csrfFrom: "/m/alpha/admin/connectors/\(hookID)/deliveries")
                #expect(retried.status == .seeOther)
                await WebhookDispatcher.tick(app)
                #expect(try await WebhookDelivery.query(on: app.db).filter(\WebhookDelivery.$status == "delivered").count() == 3)
                // Another municipality's administrator does not see this log.
                let beta = try await WebVisitor.signIn(app, "b.admin")
                #expect(try await beta.get("/m/beta/admin/connectors/\(hookID)/deliveries").status == .notFound)
            }
        } catch {
            try await receiver.shutdown()
            throw error
        }
        try await receiver.shutdown()
    }
}

@Suite("Вебхуки: паузы между повторами")
struct WebhookBackoffTests {
    @Test("1, 5, 15 минут, 1, 3, 6, 12 часов, затем — не доставлено", arguments: [(1, 60), (2, 300), (3, 900), (7, 43_200)])
    func delays(attempts: Int, seconds: Int) {
        #expect(WebhookBackoff.delay(afterAttempts: attempts) == seconds)
    }

    @Test("после восьмой попытки пауз нет")
    func exhausted() {
        #expect(WebhookBackoff.delay(afterAttempts: 8) == nil && WebhookBackoff.maxAttempts == 8)
    }
}
