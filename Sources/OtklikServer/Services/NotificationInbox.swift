import Fluent
import Foundation

/// One user's notifications in one municipality: what the API and the web page both read and mark.
struct NotificationInbox {
    let tenantID: UUID
    let userID: UUID

    /// The signed-in user's inbox; an API token has none.
    init(_ access: TenantAccess) throws {
        guard let id = access.principal.userID else {
            throw Problem.forbidden("Уведомления есть только у пользователей, не у API-токенов.")
        }
        tenantID = access.tenantID
        userID = id
    }

    private func mine(_ db: any Database) -> QueryBuilder<NotificationRecord> {
        NotificationRecord.query(on: db).filter(\.$tenantID == tenantID).filter(\.$userID == userID)
    }

    func latest(unreadOnly: Bool = false, on db: any Database) async throws -> [NotificationRecord] {
        let q = mine(db)
        if unreadOnly { q.filter(\.$readAt == nil) }
        return try await q.sort(\.$createdAt, .descending).limit(200).all()
    }

    func unreadCount(on db: any Database) async throws -> Int {
        try await mine(db).filter(\.$readAt == nil).count()
    }

    /// Someone else's notification is not found, as if it did not exist.
    func markRead(_ id: UUID, now: Date, on db: any Database) async throws {
        guard let n = try await mine(db).filter(\.$id == id).first() else { throw Problem.notFound("Уведомление не найдено.") }
        if n.readAt == nil { n.readAt = now; try await n.update(on: db) }
    }

    func markAllRead(now: Date, on db: any Database) async throws {
        try await mine(db).filter(\.$readAt == nil).set(\.$readAt, to: now).update()
    }
}
