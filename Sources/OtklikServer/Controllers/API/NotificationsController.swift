import Fluent
import OtklikCore
import Vapor

/// The signed-in user's in-app inbox in a municipality: `/api/v1/municipalities/{m}/notifications`.
struct NotificationsController: RouteCollection {
    struct Item: Content {
        var id: UUID
        var kind: String
        var case_id: UUID?
        var title: String
        var body: String
        var created_at: String
        var read: Bool
    }
    struct Inbox: Content {
        var unread_count: Int
        var items: [Item]
    }

    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("notifications")
        r.get(use: list)
        r.post(":id", "read", use: markRead)
        r.post("read-all", use: markAllRead)
    }

    private func user(_ access: TenantAccess) throws -> UUID {
        guard let id = access.principal.userID else {
            throw Problem.forbidden("Уведомления есть только у пользователей, не у API-токенов.")
        }
        return id
    }

    func list(req: Request) async throws -> Inbox {
        let access = try req.tenant
        let userID = try user(access)
        let onlyUnread = (try? req.query.get(Bool.self, at: "unread")) ?? false
        var q = NotificationRecord.query(on: req.db).filter(\.$tenantID == access.tenantID).filter(\.$userID == userID)
        if onlyUnread { q = q.filter(\.$readAt == nil) }
        let items = try await q.sort(\.$createdAt, .descending).limit(200).all()
        let unread = try await NotificationRecord.query(on: req.db).filter(\.$tenantID == access.tenantID)
            .filter(\.$userID == userID).filter(\.$readAt == nil).count()
        return Inbox(unread_count: unread, items: items.map {
            Item(id: $0.id!, kind: $0.kind, case_id: $0.caseID, title: $0.title, body: $0.body,
                 created_at: TimeText.formatRFC3339($0.createdAt), read: $0.readAt != nil)
        })
    }

    func markRead(req: Request) async throws -> HTTPStatus {
        let access = try req.tenant
        let userID = try user(access)
        guard let id = req.parameters.get("id", as: UUID.self),
              let n = try await NotificationRecord.query(on: req.db).filter(\.$tenantID == access.tenantID)
                .filter(\.$userID == userID).filter(\.$id == id).first() else {
            throw Problem.notFound("Уведомление не найдено.")
        }
        if n.readAt == nil { n.readAt = req.now; try await n.update(on: req.db) }
        return .noContent
    }

    func markAllRead(req: Request) async throws -> HTTPStatus {
        let access = try req.tenant
        let userID = try user(access)
        try await NotificationRecord.query(on: req.db).filter(\.$tenantID == access.tenantID).filter(\.$userID == userID)
            .filter(\.$readAt == nil).set(\.$readAt, to: req.now).update()
        return .noContent
    }
}
