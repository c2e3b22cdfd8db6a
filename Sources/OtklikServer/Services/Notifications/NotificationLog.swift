import Fluent
import Foundation
import OtklikCore

/// What an administrator does with a connector's outbox: reads it, sends a test, retries a failure.
enum NotificationLog {
    struct DTO: Codable, Sendable {
        var id: UUID
        var kind: String
        var kind_title: String
        var recipient: String
        var subject: String
        var case_id: UUID?
        var status: String
        var status_title: String
        var attempts: Int
        var last_error: String?
        var next_attempt_at: String?
        var created_at: String
        var sent_at: String?
    }

    static func dto(_ d: NotificationDelivery) -> DTO {
        DTO(id: d.id!, kind: d.kind, kind_title: NotificationKind(rawValue: d.kind)?.title ?? d.kind, recipient: d.recipient,
            subject: d.subject, case_id: d.caseID, status: d.status,
            status_title: NotificationDelivery.Status(rawValue: d.status)?.title ?? d.status, attempts: d.attempts,
            last_error: d.lastError, next_attempt_at: d.nextAttemptAt.map(TimeText.formatRFC3339),
            created_at: TimeText.formatRFC3339(d.createdAt), sent_at: d.sentAt.map(TimeText.formatRFC3339))
    }

    /// The connector's latest 200 deliveries, newest first.
    static func latest(_ c: Connector, access: TenantAccess, on db: any Database) async throws -> [NotificationDelivery] {
        try access.requireAdministration()
        return try await NotificationDelivery.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$connectorID == c.id!)
            .sort(\.$createdAt, .descending).limit(200).all()
    }

    /// Queues a test letter to the administrator's own e-mail, or a test post to the alert chat.
    static func sendTest(_ c: Connector, access: TenantAccess, now: Date, on db: any Database) async throws -> NotificationDelivery {
        try access.requireAdministration()
        guard c.enabled else { throw Problem.validation([FieldIssue("enabled", "подключение выключено: включите его и повторите проверку")]) }
        let municipality = try await Municipality.find(access.tenantID, on: db)?.name ?? ""
        let row: NotificationDelivery
        switch Connector.Kind(rawValue: c.kind) {
        case .smtp?:
            guard SMTPSettings(c) != nil else { throw Problem.validation([FieldIssue("host", "почтовый сервер не настроен")]) }
            guard let userID = access.principal.userID, let user = try await User.find(userID, on: db),
                  let address = user.email.flatMap(MailAddress.init) else {
                throw Problem.validation([FieldIssue("email", "в вашем профиле нет адреса e-mail: укажите его в разделе «Пользователи» и повторите")])
            }
            row = Outbox.row(connector: c, channel: .email, key: "test/\(TimeOrderedUUID.make(at: now).uuidString)", kind: NotificationKind.test.rawValue,
                             caseID: nil, userID: userID, recipient: address.address, subject: "Проверка почты Отклика",
                             body: "Здравствуйте, \(user.fullName)!\n\nЭто пробное письмо: почтовый сервер «\(c.name)» в Отклике (\(municipality)) настроен верно.\n\n—\nОтклик",
                             now: now)
        case .telegram?:
            guard let chat = Connectors.config(c)["alert_chat_id"] else {
                throw Problem.validation([FieldIssue("alert_chat_id", "чат оповещений не задан")])
            }
            row = Outbox.row(connector: c, channel: .telegram, key: "test/\(TimeOrderedUUID.make(at: now).uuidString)", kind: NotificationKind.test.rawValue,
                             caseID: nil, userID: nil, recipient: chat, subject: "Проверка чата оповещений",
                             body: "✅ Проверка: оповещения Отклика (\(municipality)) приходят в этот чат.", now: now)
        default:
            throw Problem.validation([FieldIssue("kind", "пробная отправка есть у почтового сервера и у бота с чатом оповещений")])
        }
        try await db.transaction { tx in
            try await row.create(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "connector.test",
                                   entity: "connector", entityID: c.id?.uuidString, after: ["recipient": row.recipient])
        }
        return row
    }

    /// A failed delivery goes back to the queue with its attempts reset (the relay or the address is fixed).
    static func retry(_ deliveryID: UUID, of c: Connector, access: TenantAccess, now: Date, on db: any Database) async throws -> NotificationDelivery {
        try access.requireAdministration()
        guard let d = try await NotificationDelivery.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$connectorID == c.id!)
            .filter(\.$id == deliveryID).first() else { throw Problem.notFound("Отправка не найдена.") }
        guard d.status == NotificationDelivery.Status.failed.rawValue else {
            throw Problem.conflict("Повторить можно только неудавшуюся отправку; эта — «\(NotificationDelivery.Status(rawValue: d.status)?.title ?? d.status)».")
        }
        d.status = NotificationDelivery.Status.pending.rawValue
        d.attempts = 0
        d.nextAttemptAt = now
        try await db.transaction { tx in
            try await d.update(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "notification.retry",
                                   entity: "notification_delivery", entityID: deliveryID.uuidString, after: ["recipient": d.recipient])
        }
        return d
    }
}
