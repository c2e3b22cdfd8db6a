import Fluent
import Foundation
import OtklikCore

/// Letters to the people notified, through the municipality's SMTP connector. Only people with a valid
/// e-mail in their profile get one; the letter carries the case number and a link, never the resident's
/// text or personal data.
struct EmailNotifier: Notifier {
    /// `OTKLIK_PUBLIC_URL`: where links in letters point; nil — letters without links.
    var publicURL: String?

    func deliver(_ notifications: [OutgoingNotification], on db: any Database) async throws {
        for (tenantID, items) in Dictionary(grouping: notifications, by: \.tenantID) {
            guard let smtp = try await Outbox.connector(.smtp, tenantID: tenantID, on: db), SMTPSettings(smtp) != nil else { continue }
            let users = Dictionary(uniqueKeysWithValues: try await User.query(on: db).filter(\.$id ~~ Set(items.map(\.userID)))
                .filter(\.$isActive == true).all().map { ($0.id!, $0) })
            let municipality = try await Municipality.find(tenantID, on: db)
            var rows: [NotificationDelivery] = []
            for n in items {
                guard let user = users[n.userID], let address = user.email.flatMap(MailAddress.init) else { continue }
                let link = Outbox.caseLink(publicURL, slug: municipality?.slug, caseID: n.caseID)
                let body = """
                Здравствуйте, \(user.fullName)!

                \(n.title).
                \(n.body)
                \(link.map { "\nОбращение: \($0)\n" } ?? "")
                —
                Отклик · \(municipality?.name ?? "")
                Письмо отправлено автоматически, отвечать на него не нужно. Все уведомления — в Отклике, раздел «Уведомления».
                """
                rows.append(Outbox.row(connector: smtp, channel: .email, key: n.dedupeKey, kind: n.kind, caseID: n.caseID,
                                       userID: n.userID, recipient: address.address, subject: n.title, body: body, now: n.at))
            }
            try await Outbox.insertNew(rows, on: db)
        }
    }
}

/// Posts to the operators' alert chat of the municipality's Telegram bot (`alert_chat_id`): once per
/// event, whoever and however many people it notified, for the kinds the connector lists.
struct TelegramAlertNotifier: Notifier {
    var publicURL: String?

    func deliver(_ notifications: [OutgoingNotification], on db: any Database) async throws {
        for (tenantID, items) in Dictionary(grouping: notifications, by: \.tenantID) {
            guard let bot = try await Outbox.connector(.telegram, tenantID: tenantID, on: db, where: { Connectors.config($0)["alert_chat_id"] != nil }),
                  let chat = Connectors.config(bot)["alert_chat_id"] else { continue }
            let kinds = Set(Connectors.alertKinds(bot).map(\.rawValue))
            let slug = try await Municipality.find(tenantID, on: db)?.slug
            var seen = Set<String>()
            var rows: [NotificationDelivery] = []
            for n in items where kinds.contains(n.kind) && seen.insert(n.eventKey).inserted {
                let kind = NotificationKind(rawValue: n.kind)?.title ?? n.kind
                let link = Outbox.caseLink(publicURL, slug: slug, caseID: n.caseID)
                let text = "⚠️ \(kind.prefix(1).uppercased() + kind.dropFirst()): \(n.title)\n\(n.body)" + (link.map { "\n\($0)" } ?? "")
                rows.append(Outbox.row(connector: bot, channel: .telegram, key: n.eventKey, kind: n.kind, caseID: n.caseID,
                                       userID: nil, recipient: chat, subject: n.title, body: text, now: n.at))
            }
            try await Outbox.insertNew(rows, on: db)
        }
    }
}

/// What the outbox notifiers share.
enum Outbox {
    static func connector(_ kind: Connector.Kind, tenantID: UUID, on db: any Database,
                          where accept: (Connector) -> Bool = { _ in true }) async throws -> Connector? {
        try await Connector.query(on: db).filter(\.$tenantID == tenantID).filter(\.$kind == kind.rawValue)
            .filter(\.$enabled == true).sort(\.$name).all().first(where: accept)
    }

    static func caseLink(_ publicURL: String?, slug: String?, caseID: UUID?) -> String? {
        guard let publicURL, let slug, let caseID else { return nil }
        return "\(publicURL)/m/\(slug)/cases/\(caseID.uuidString)"
    }

    static func row(connector: Connector, channel: NotificationDelivery.Channel, key: String, kind: String, caseID: UUID?,
                    userID: UUID?, recipient: String, subject: String, body: String, now: Date) -> NotificationDelivery {
        let d = NotificationDelivery()
        d.id = TimeOrderedUUID.make(at: now)
        d.tenantID = connector.tenantID
        d.connectorID = connector.id!
        d.channel = channel.rawValue
        d.dedupeKey = key
        d.kind = kind
        d.caseID = caseID
        d.userID = userID
        d.recipient = recipient
        d.subject = String(subject.prefix(500))
        d.body = body
        d.status = NotificationDelivery.Status.pending.rawValue
        d.attempts = 0
        d.nextAttemptAt = now
        d.createdAt = now
        return d
    }

    /// Inserts the rows whose key this connector has not seen: an event is sent once.
    static func insertNew(_ rows: [NotificationDelivery], on db: any Database) async throws {
        guard !rows.isEmpty else { return }
        var fresh: [NotificationDelivery] = []
        for (connectorID, group) in Dictionary(grouping: rows, by: \.connectorID) {
            let known = Set(try await NotificationDelivery.query(on: db).filter(\.$connectorID == connectorID)
                .filter(\.$dedupeKey ~~ group.map(\.dedupeKey)).all().map(\.dedupeKey))
            fresh += group.filter { !known.contains($0.dedupeKey) }
        }
        for row in fresh { try await row.create(on: db) }
    }
}
