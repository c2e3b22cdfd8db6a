import Fluent
import Foundation
import OtklikCore
import Vapor

/// The user's notifications in a municipality: reminders, overdue deadlines, escalations, returns.
struct NotificationsPage {
    struct Item: Encodable { var id: String; var kind: String; var title: String; var body: String; var when: String; var href: String?; var unread: Bool }
    struct Context: Encodable { var layout: Layout; var items: [Item]; var empty: Bool; var unread: Bool }

    static let kindTitles = [
        "assigned": "назначение", "returned": "возврат", "reminder": "напоминание", "overdue": "просрочка",
        "escalation": "эскалация", "urgent_request": "срочный запрос", "answer_submitted": "ответ на согласовании",
        "extension_requested": "перенос срока", "extension_approved": "перенос согласован", "extension_rejected": "отказ в переносе",
        "reopened": "повторное рассмотрение",
    ]

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        let rows = try await NotificationRecord.query(on: req.db).filter(\.$tenantID == access.tenantID)
            .filter(\.$userID == (access.principal.userID ?? UUID())).sort(\.$createdAt, .descending).limit(200).all()
        let items = rows.map { n in
            Item(id: n.id!.uuidString, kind: Self.kindTitles[n.kind] ?? n.kind, title: n.title, body: n.body,
                 when: RussianDate.relative(n.createdAt, now: req.now, in: zone),
                 href: n.caseID.map { "/m/\(access.slug)/cases/\($0.uuidString)" }, unread: n.readAt == nil)
        }
        return try await WebPage.render(req, "notifications", Context(
            layout: try await WebPage.layout(req, title: "Уведомления", active: "notifications", access: access),
            items: items, empty: items.isEmpty, unread: items.contains { $0.unread }))
    }

    func markRead(req: Request) async throws -> Response {
        let access = try req.tenant
        guard let id = req.parameters.get("id", as: UUID.self),
              let n = try await NotificationRecord.query(on: req.db).filter(\.$tenantID == access.tenantID)
                .filter(\.$userID == (access.principal.userID ?? UUID())).filter(\.$id == id).first() else {
            throw Problem.notFound("Уведомление не найдено.")
        }
        if n.readAt == nil { n.readAt = req.now; try await n.update(on: req.db) }
        return WebPage.redirect(req, to: "/m/\(access.slug)/notifications")
    }

    func markAllRead(req: Request) async throws -> Response {
        let access = try req.tenant
        try await NotificationRecord.query(on: req.db).filter(\.$tenantID == access.tenantID)
            .filter(\.$userID == (access.principal.userID ?? UUID())).filter(\.$readAt == nil)
            .set(\.$readAt, to: req.now).update()
        return WebPage.redirect(req, to: "/m/\(access.slug)/notifications", flash: "Все уведомления отмечены прочитанными.")
    }
}
