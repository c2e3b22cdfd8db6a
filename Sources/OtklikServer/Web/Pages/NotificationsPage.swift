import Fluent
import Foundation
import OtklikCore
import Vapor

/// The user's notifications in a municipality: reminders, overdue deadlines, escalations, returns.
struct NotificationsPage {
    struct Item: Encodable { var id: String; var kind: String; var title: String; var body: String; var when: String; var href: String?; var unread: Bool }
    struct Context: Encodable { var layout: Layout; var items: [Item]; var empty: Bool; var unread: Bool }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        let rows = try await NotificationInbox(access).latest(on: req.db)
        let items = rows.map { n in
            Item(id: n.id!.uuidString, kind: NotificationKind(rawValue: n.kind)?.title ?? n.kind, title: n.title, body: n.body,
                 when: RussianDate.relative(n.createdAt, now: req.now, in: zone),
                 href: n.caseID.map { "/m/\(access.slug)/cases/\($0.uuidString)" } ?? n.riskID.map { "/m/\(access.slug)/risks/\($0.uuidString)" }, unread: n.readAt == nil)
        }
        return try await WebPage.render(req, "notifications", Context(
            layout: try await WebPage.layout(req, title: "Уведомления", active: "notifications", access: access),
            items: items, empty: items.isEmpty, unread: items.contains { $0.unread }))
    }

    func markRead(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter(notFound: "Уведомление не найдено.")
        try await NotificationInbox(access).markRead(id, now: req.now, on: req.db)
        return WebPage.redirect(req, to: "/m/\(access.slug)/notifications")
    }

    func markAllRead(req: Request) async throws -> Response {
        let access = try req.tenant
        try await NotificationInbox(access).markAllRead(now: req.now, on: req.db)
        return WebPage.redirect(req, to: "/m/\(access.slug)/notifications", flash: "Все уведомления отмечены прочитанными.")
    }
}
