import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// Tells people about a risk: a post to the alert chat («МЦУ-ПИЛОТ», decree 001) through the notification
/// outbox (retried, logged, shown in the risk's history) and the in-app inbox of the risk officers, the
/// МЦУ head and the responsible organisation's head. Written in the transaction of the change itself.
struct RiskAlerts {
    let db: any Database
    let publicURL: String?
    /// The app's notifiers: the inbox and, where configured, e-mail (the same interface as cases).
    var notifiers: [any Notifier] = [InAppNotifier()]

    /// The chat for risk posts: the bot's `risk_chat_id`, else its operators' `alert_chat_id`.
    static func chat(tenantID: UUID, on db: any Database) async throws -> (Connector, String)? {
        guard let bot = try await Outbox.connector(.telegram, tenantID: tenantID, on: db, where: {
            Connectors.config($0)["risk_chat_id"] != nil || Connectors.config($0)["alert_chat_id"] != nil
        }) else { return nil }
        let config = Connectors.config(bot)
        guard let chat = config["risk_chat_id"] ?? config["alert_chat_id"] else { return nil }
        return (bot, chat)
    }

    func facts(_ risk: RiskRecord, municipality: Municipality, zone: TimeZone) -> RiskAlertText.Risk {
        RiskAlertText.Risk(number: risk.number, title: risk.title, municipality: municipality.name, criticality: risk.riskCriticality,
                           reactionDue: risk.reactedAt == nil ? TimeText.formatLocal(risk.reactionDueAt, in: zone) : nil,
                           link: publicURL.map { "\($0)/m/\(municipality.slug)/risks/\(risk.id!.uuidString)" })
    }

    /// Queues one post about `risk` (once per `event`) and notifies the people concerned in the app.
    /// Returns false when no alert chat is configured.
    @discardableResult
    func post(_ text: String, about risk: RiskRecord, event: String, title: String, at now: Date) async throws -> Bool {
        let key = "risk/\(risk.id!.uuidString)/\(event)"
        try await notify(risk, title: title, body: text, kind: .risk, eventKey: key, at: now)
        return try await Self.queue(text, tenantID: risk.tenantID, key: key, kind: .risk, subject: title, riskID: risk.id, at: now, on: db)
    }

    /// Queues one post to the municipality's risk chat, once per `key`; false when no chat is configured.
    @discardableResult
    static func queue(_ text: String, tenantID: UUID, key: String, kind: NotificationKind, subject: String, riskID: UUID?,
                      at now: Date, on db: any Database) async throws -> Bool {
        guard let (bot, chat) = try await chat(tenantID: tenantID, on: db) else { return false }
        let row = Outbox.row(connector: bot, channel: .telegram, key: key, kind: kind.rawValue, caseID: nil, userID: nil,
                             recipient: chat, subject: subject, body: text, now: now)
        row.riskID = riskID
        try await Outbox.insertNew([row], on: db)
        return true
    }

    /// The in-app part: risk officers and the МЦУ head, the officer named on the risk, the head of the
    /// responsible organisation.
    func notify(_ risk: RiskRecord, title: String, body: String, kind: NotificationKind, eventKey: String, at now: Date,
                extraRoles: Set<Role> = []) async throws {
        var users = Set(try await Recipients.users(tenantID: risk.tenantID, roles: Set<Role>([.riskOfficer, .mcuHead]).union(extraRoles), on: db))
        if let officer = risk.officerUserID { users.insert(officer) }
        if let org = risk.organisationID {
            users.formUnion(try await Recipients.users(tenantID: risk.tenantID, roles: [.organisationHead], organisationID: org, on: db))
        }
        let notes = users.sorted { $0.uuidString < $1.uuidString }.map {
            var n = OutgoingNotification(tenantID: risk.tenantID, userID: $0, kind: kind.rawValue, caseID: nil, title: title,
                                         body: String(body.prefix(2_000)), at: now, eventKey: eventKey)
            n.riskID = risk.id
            return n
        }
        for notifier in notifiers { try await notifier.deliver(notes, on: db) }
    }

    /// What happened to the chat posts about a risk, newest first.
    static func deliveries(riskID: UUID, on db: any Database) async throws -> [NotificationDelivery] {
        try await NotificationDelivery.query(on: db).filter(\.$riskID == riskID).sort(\.$createdAt, .descending).all()
    }
}
