import Fluent
import Foundation
import OtklikCore
import Vapor

/// The outbox of an SMTP connector or a Telegram alert chat: what was sent to whom, what failed and why,
/// with «повторить» and a test send.
struct NotificationLogPage {
    struct Item: Encodable {
        var id: String; var created: String; var kind: String; var recipient: String; var subject: String; var caseHref: String?
        var status: String; var statusTitle: String; var attempts: Int; var error: String; var next: String; var retry: Bool
    }
    struct Context: Encodable { var layout: Layout; var id: String; var name: String; var isSMTP: Bool; var items: [Item] }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let c = try await Connectors.find(try req.uuidParameter(notFound: "Подключение не найдено."), tenantID: access.tenantID, on: req.db)
        let zone = access.zone
        let items = try await NotificationLog.latest(c, access: access, on: req.db).map { d in
            Item(id: d.id!.uuidString, created: RussianDate.dateTime(d.createdAt, in: zone),
                 kind: NotificationKind(rawValue: d.kind)?.title ?? d.kind, recipient: d.recipient, subject: d.subject,
                 caseHref: d.caseID.map { "/m/\(access.slug)/cases/\($0.uuidString)" }, status: d.status,
                 statusTitle: NotificationDelivery.Status(rawValue: d.status)?.title ?? d.status, attempts: d.attempts,
                 error: d.lastError ?? "", next: d.status == NotificationDelivery.Status.pending.rawValue
                    ? d.nextAttemptAt.map { RussianDate.dateTime($0, in: zone) } ?? "—" : "—",
                 retry: d.status == NotificationDelivery.Status.failed.rawValue)
        }
        let isSMTP = c.kind == Connector.Kind.smtp.rawValue
        return try await WebPage.render(req, "admin/notification_deliveries", Context(
            layout: try await WebPage.layout(req, title: (isSMTP ? "Журнал писем «" : "Журнал оповещений «") + c.name + "»", active: "admin", access: access),
            id: c.id!.uuidString, name: c.name, isSMTP: isSMTP, items: items))
    }

    func test(req: Request) async throws -> Response {
        let access = try req.tenant
        let c = try await Connectors.find(try req.uuidParameter(notFound: "Подключение не найдено."), tenantID: access.tenantID, on: req.db)
        let back = "/m/\(access.slug)/admin/connectors/\(c.id!.uuidString)/notifications"
        do {
            let row = try await NotificationLog.sendTest(c, access: access, now: req.now, on: req.db)
            return WebPage.redirect(req, to: back, flash: "Пробное сообщение для «\(row.recipient)» поставлено в очередь; результат появится здесь через несколько секунд — обновите страницу.")
        } catch let problem as Problem where problem.statusCode == 422 {
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/connectors",
                                    flash: "Проверка не отправлена: " + problem.reasonsByField.values.sorted().joined(separator: "; "), error: true)
        }
    }

    func retry(req: Request) async throws -> Response {
        let access = try req.tenant
        let c = try await Connectors.find(try req.uuidParameter(notFound: "Подключение не найдено."), tenantID: access.tenantID, on: req.db)
        let deliveryID = try req.uuidParameter("delivery", notFound: "Отправка не найдена.")
        let d = try await NotificationLog.retry(deliveryID, of: c, access: access, now: req.now, on: req.db)
        return WebPage.redirect(req, to: "/m/\(access.slug)/admin/connectors/\(c.id!.uuidString)/notifications",
                                flash: "Отправка для «\(d.recipient)» поставлена в очередь заново.")
    }
}
