import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// Sends the outbox: letters through each municipality's SMTP relay (one connection per relay and pass),
/// posts to the Telegram alert chats. Rows are claimed by pushing their next attempt a lease ahead, so
/// several app instances never send the same letter twice; failures are retried on the webhooks' schedule
/// (1, 5, 15 min, 1, 3, 6, 12 h), a 5xx refusal of a letter fails it at once.
struct NotificationDispatcher {
    let app: Application
    var now: Date { app.clock.now }
    static let batch = 100
    /// Longer than one pass can take: a crashed instance's claim expires and another one sends.
    static let lease: TimeInterval = 600

    static func tick(_ app: Application) async {
        do { try await NotificationDispatcher(app: app).sendDue() } catch {
            app.logger.warning("Уведомления: \(error)")
        }
    }

    func sendDue() async throws {
        while true {
            let claimed = try await claim()
            if claimed.isEmpty { return }
            try await send(claimed)
            if claimed.count < Self.batch { return }
        }
    }

    /// Sends the pending posts about one risk at once (the officer waits for the answer): the change is
    /// committed already, so an unreachable Telegram only leaves the post queued for its next attempt.
    func sendNow(riskID: UUID) async throws -> [NotificationDelivery] {
        let claimed = try await claim(riskID: riskID)
        if !claimed.isEmpty { try await send(claimed) }
        return try await NotificationDelivery.query(on: app.db).filter(\.$riskID == riskID).sort(\.$createdAt).all()
    }

    private func send(_ claimed: [NotificationDelivery]) async throws {
        let connectors = Dictionary(uniqueKeysWithValues: try await Connector.query(on: app.db)
            .filter(\.$id ~~ Array(Set(claimed.map(\.connectorID)))).all().map { ($0.id!, $0) })
        for (connectorID, rows) in Dictionary(grouping: claimed, by: \.connectorID) {
            guard let connector = connectors[connectorID] else { continue }
            switch connector.kind {
            case Connector.Kind.smtp.rawValue: try await sendLetters(rows, via: connector)
            case Connector.Kind.telegram.rawValue: try await postAlerts(rows, via: connector)
            default: try await finish(rows.map { ($0, Result.failed("подключение не отправляет уведомления", permanent: true)) }, connector: connector)
            }
        }
    }

    /// Due pending rows (of one risk, or all), leased to this instance.
    private func claim(riskID: UUID? = nil) async throws -> [NotificationDelivery] {
        let sql = app.db as! any SQLDatabase
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        struct Row: Decodable { var id: UUID }
        let ids = try await app.db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            let sql = tx as! any SQLDatabase
            let ofRisk: SQLQueryString = riskID.map { "AND risk_id = \(bind: $0)" } ?? ""
            return try await sql.raw("""
                UPDATE notification_deliveries SET next_attempt_at = \(bind: now.addingTimeInterval(Self.lease))
                WHERE id IN (SELECT id FROM notification_deliveries WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
                \(ofRisk)
                ORDER BY created_at LIMIT \(unsafeRaw: String(Self.batch))\(unsafeRaw: lock)) RETURNING id
                """).all(decoding: Row.self).map(\.id)
        }
        guard !ids.isEmpty else { return [] }
        return try await NotificationDelivery.query(on: app.db).filter(\.$id ~~ ids).sort(\.$createdAt).all()
    }

    enum Result: Sendable {
        case sent
        case failed(String, permanent: Bool)
    }

    private func sendLetters(_ rows: [NotificationDelivery], via connector: Connector) async throws {
        guard connector.enabled, let settings = SMTPSettings(connector) else {
            return try await finish(rows.map { ($0, .failed("подключение выключено или не настроено", permanent: false)) }, connector: connector)
        }
        var ready: [(NotificationDelivery, MailMessage)] = []
        var results: [(NotificationDelivery, Result)] = []
        for row in rows {
            guard let to = MailAddress(row.recipient) else { results.append((row, .failed("неверный адрес «\(row.recipient)»", permanent: true))); continue }
            ready.append((row, MailMessage(from: settings.from, fromName: settings.fromName, to: to, subject: row.subject, body: row.body,
                                           date: now, messageID: "\(row.id!.uuidString.lowercased())@\(settings.heloName)")))
        }
        if !ready.isEmpty {
            do {
                let outcomes = try await SMTPClient(settings: settings, group: app.eventLoopGroup).send(ready.map(\.1))
                for (item, outcome) in zip(ready, outcomes) {
                    switch outcome {
                    case .sent: results.append((item.0, .sent))
                    case .failed(let why, let permanent): results.append((item.0, .failed(why, permanent: permanent)))
                    }
                }
            } catch let failure as SMTPClient.Failure {
                results += ready.map { ($0.0, .failed(failure.russian, permanent: false)) }
            }
        }
        try await finish(results, connector: connector)
    }

    private func postAlerts(_ rows: [NotificationDelivery], via connector: Connector) async throws {
        guard connector.enabled, let token = connector.secret else {
            return try await finish(rows.map { ($0, .failed("бот выключен или без токена", permanent: false)) }, connector: connector)
        }
        let client = TelegramBotClient(http: app.http.client.shared, base: Connectors.config(connector)["api_base"] ?? TelegramBotClient.defaultBase, token: token)
        var results: [(NotificationDelivery, Result)] = []
        for row in rows {
            guard let chat = Int64(row.recipient) else { results.append((row, .failed("неверный номер чата", permanent: true))); continue }
            do {
                try await client.sendMessage(chatID: chat, text: row.body)
                results.append((row, .sent))
            } catch let failure as TelegramBotClient.Failure {
                results.append((row, .failed(failure.russian, permanent: false)))
            }
        }
        try await finish(results, connector: connector)
    }

    /// Records each outcome; a failure waits for its next attempt or, after the last, stays failed.
    private func finish(_ results: [(NotificationDelivery, Result)], connector: Connector) async throws {
        guard !results.isEmpty else { return }
        var lastError: String?
        for (row, result) in results {
            row.attempts += 1
            switch result {
            case .sent:
                row.status = NotificationDelivery.Status.sent.rawValue
                row.sentAt = now
                row.nextAttemptAt = nil
                row.lastError = nil
            case .failed(let why, let permanent):
                row.lastError = String(why.prefix(500))
                lastError = row.lastError
                if !permanent, let delay = WebhookBackoff.delay(afterAttempts: row.attempts) {
                    row.nextAttemptAt = now.addingTimeInterval(TimeInterval(delay))
                } else {
                    row.status = NotificationDelivery.Status.failed.rawValue
                    row.nextAttemptAt = nil
                }
            }
        }
        let rows = results.map(\.0), error = lastError, now = self.now
        try await app.db.transaction { tx in
            for row in rows { try await row.update(on: tx) }
            try await Connector.query(on: tx).filter(\.$id == connector.id!)
                .set(\.$lastEventAt, to: now).set(\.$lastError, to: error).update()
        }
    }
}
