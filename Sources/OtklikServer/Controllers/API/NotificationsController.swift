import Fluent
import OtklikCore
import Vapor

/// The signed-in user's in-app inbox in a municipality: `/api/v1/municipalities/{m}/notifications`.
struct NotificationsController: RouteCollection {
    struct Item: Content {
        var id: UUID
        var kind: String
        var case_id: UUID?
        var risk_id: UUID?
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

    func list(req: Request) async throws -> Inbox {
        let inbox = try NotificationInbox(try req.tenant)
        let onlyUnread = (try? req.query.get(Bool.self, at: "unread")) ?? false
        let items = try await inbox.latest(unreadOnly: onlyUnread, on: req.db)
        return Inbox(unread_count: try await inbox.unreadCount(on: req.db), items: items.map {
            Item(id: $0.id!, kind: $0.kind, case_id: $0.caseID, risk_id: $0.riskID, title: $0.title, body: $0.body,
                 created_at: TimeText.formatRFC3339($0.createdAt), read: $0.readAt != nil)
        })
    }

    func markRead(req: Request) async throws -> HTTPStatus {
        let inbox = try NotificationInbox(try req.tenant)
        let id = try req.uuidParameter(notFound: "Уведомление не найдено.")
        try await inbox.markRead(id, now: req.now, on: req.db)
        return .noContent
    }

    func markAllRead(req: Request) async throws -> HTTPStatus {
        try await NotificationInbox(try req.tenant).markAllRead(now: req.now, on: req.db)
        return .noContent
    }
}
