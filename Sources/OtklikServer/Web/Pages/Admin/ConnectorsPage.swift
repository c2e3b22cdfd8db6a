import Fluent
import Foundation
import OtklikCore
import Vapor

/// The administrator's connectors: VK communities with their Callback API address. Secrets are typed in
/// a password field and never shown back — only «••••a1b2».
struct ConnectorsPage {
    struct Item: Encodable {
        var id: String; var name: String; var kind: String; var isVK: Bool; var isWebhook: Bool; var isSMTP: Bool; var enabled: Bool; var groupID: String
        var apiBase: String; var url: String; var events: String
        var alertChat: String; var riskChat: String; var alertKinds: String
        var host: String; var port: String; var security: String; var verifyTLS: Bool; var from: String; var fromName: String; var username: String
        var confirmation: String
        var secretHint: String; var callbackURL: String; var lastEvent: String?; var lastError: String?; var version: Int; var updated: String
    }
    struct Context: Encodable {
        var layout: Layout
        var items: [Item]
        var err: [String: String]
        var val: [String: String]
        var editing: String
        var formError: String?
        var securityOptions: [Option]
        var kindsHint: String
    }
    struct Option: Encodable { var value: String; var title: String }

    func show(req: Request) async throws -> Response {
        try await render(req, err: [:], val: [:], editing: "", status: .ok)
    }

    func save(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let existingID = req.parameters.get("id", as: UUID.self)
        var payload: [String: JSONValue] = ["name": form["name"].map(JSONValue.string) ?? .null,
                                            "enabled": .bool(form.has("enabled")),
                                            "secret": .string(form.raw("secret") ?? "")]
        // Each kind's form sends its own fields only.
        if form.has("confirmation") { payload["confirmation"] = form["confirmation"].map(JSONValue.string) ?? .null }
        if form.has("group_id") {
            payload["group_id"] = form["group_id"].map { g in Int(g).map { .number(Double($0)) } ?? .string(g) } ?? .null
        }
        if form.has("api_base") { payload["api_base"] = .string(form["api_base"] ?? "") }
        if form.has("url") { payload["url"] = form["url"].map(JSONValue.string) ?? .null }
        if form.has("events") { payload["events"] = .string(form["events"] ?? "") }
        if form.has("alert_chat_id") { payload["alert_chat_id"] = .string(form["alert_chat_id"] ?? "") }
        if form.has("risk_chat_id") { payload["risk_chat_id"] = .string(form["risk_chat_id"] ?? "") }
        if form.has("alert_kinds") { payload["alert_kinds"] = .string(form["alert_kinds"] ?? "") }
        // The SMTP form: a checkbox absent from the form means «off».
        if form.has("host") {
            for key in ["host", "port", "security", "from", "from_name", "username"] { payload[key] = .string(form[key] ?? "") }
            payload["verify_tls"] = .bool(form.has("verify_tls"))
        }
        do {
            if let existingID {
                let c = try await Connectors.find(existingID, tenantID: access.tenantID, on: req.db)
                payload["version"] = Int(form["version"] ?? "").map { .number(Double($0)) } ?? .null
                _ = try await Connectors.save(payload, existing: c, access: access, now: req.now, on: req.db)
            } else {
                payload["kind"] = .string(form["kind"] ?? Connector.Kind.vk.rawValue)
                _ = try await Connectors.save(payload, existing: nil, access: access, now: req.now, on: req.db)
            }
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/connectors",
                                    flash: "Подключение «\(form["name"] ?? "")» сохранено.")
        } catch let problem as Problem where problem.statusCode == 422 || problem.statusCode == 409 {
            // What was typed comes back — except the secret, which is never written into a page.
            var val = form.json(except: ["_csrf", "secret"]).compactMapValues { if case .string(let s) = $0 { s } else { nil } }
            val["enabled"] = form.has("enabled") ? "1" : ""
            return try await render(req, err: problem.reasonsByField, val: val, editing: existingID?.uuidString ?? "new-" + (form["kind"] ?? "vk"),
                                    formError: problem.statusCode == 409 ? problem.detail : "Подключение не сохранено: исправьте отмеченные поля.",
                                    status: HTTPStatus(statusCode: Int(problem.statusCode)))
        }
    }

    func delete(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter(notFound: "Подключение не найдено.")
        let c = try await Connectors.find(id, tenantID: access.tenantID, on: req.db)
        try await Connectors.delete(c, access: access, on: req.db)
        return WebPage.redirect(req, to: "/m/\(access.slug)/admin/connectors", flash: "Подключение «\(c.name)» удалено." + (c.kind == Connector.Kind.vk.rawValue ? " VK больше не сможет присылать события на его адрес." : ""))
    }

    private func render(_ req: Request, err: [String: String], val: [String: String], editing: String, formError: String? = nil,
                        status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let host = req.headers.first(name: .host).map { "http://\($0)" } ?? ""
        let items = try await Connectors.list(tenantID: access.tenantID, on: req.db).map { c in
            let d = Connectors.dto(c)
            return Item(id: d.id.uuidString, name: d.name, kind: d.kind_title, isVK: d.kind == Connector.Kind.vk.rawValue,
                        isWebhook: d.kind == Connector.Kind.webhook.rawValue, isSMTP: d.kind == Connector.Kind.smtp.rawValue, enabled: d.enabled,
                        groupID: d.config["group_id"] ?? "", apiBase: d.config["api_base"] ?? "", url: d.config["url"] ?? "",
                        events: d.config["events"] ?? "",
                        alertChat: d.config["alert_chat_id"] ?? "", riskChat: d.config["risk_chat_id"] ?? "", alertKinds: d.config["alert_kinds"] ?? "",
                        host: d.config["host"] ?? "", port: d.config["port"] ?? "", security: d.config["security"] ?? "starttls",
                        verifyTLS: d.config["verify_tls"] != "no", from: d.config["from"] ?? "", fromName: d.config["from_name"] ?? "",
                        username: d.config["username"] ?? "",
                        confirmation: d.config["confirmation"] ?? "", secretHint: d.secret_hint ?? "не задан",
                        callbackURL: host + (d.callback_path ?? ""), lastEvent: c.lastEventAt.map { RussianDate.dateTime($0, in: access.zone) },
                        lastError: d.last_error, version: d.version, updated: RussianDate.dateTime(c.updatedAt, in: access.zone) + " · " + c.updatedBy)
        }
        return try await WebPage.render(req, "admin/connectors", Context(
            layout: try await WebPage.layout(req, title: "Подключения", active: "admin", access: access),
            items: items, err: err, val: val, editing: editing, formError: formError,
            securityOptions: SMTPSettings.Security.allCases.map { Option(value: $0.rawValue, title: $0.title) },
            kindsHint: NotificationKind.allCases.filter { $0 != .test }.map { "\($0.rawValue) — \($0.title)" }.joined(separator: "; ")),
            status: status)
    }

    // MARK: - The delivery log of a webhook

    struct DeliveryItem: Encodable {
        var id: String; var created: String; var event: String; var caseNumber: Int; var caseHref: String; var status: String
        var statusTitle: String; var attempts: Int; var code: String; var error: String; var next: String; var retry: Bool
    }
    struct DeliveriesContext: Encodable { var layout: Layout; var id: String; var name: String; var url: String; var items: [DeliveryItem] }

    func deliveries(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let id = try req.uuidParameter(notFound: "Подключение не найдено.")
        let c = try await Connectors.find(id, tenantID: access.tenantID, on: req.db)
        let zone = access.zone
        let items = try await WebhookDelivery.query(on: req.db).filter(\.$tenantID == access.tenantID).filter(\.$connectorID == id)
            .sort(\.$createdAt, .descending).limit(200).all().map { d in
                DeliveryItem(id: d.id!.uuidString, created: RussianDate.dateTime(d.createdAt, in: zone),
                             event: CaseEventKind(rawValue: d.eventKind)?.title ?? CaseAction(rawValue: d.eventKind)?.title ?? d.eventKind,
                             caseNumber: d.caseNumber, caseHref: "/m/\(access.slug)/cases/\(d.caseID.uuidString)", status: d.status,
                             statusTitle: WebhookDelivery.Status(rawValue: d.status)?.title ?? d.status, attempts: d.attempts,
                             code: d.lastStatusCode.map(String.init) ?? "—", error: d.lastError ?? "",
                             next: d.nextAttemptAt.map { RussianDate.dateTime($0, in: zone) } ?? "—",
                             retry: d.status == WebhookDelivery.Status.failed.rawValue)
            }
        return try await WebPage.render(req, "admin/webhook_deliveries", DeliveriesContext(
            layout: try await WebPage.layout(req, title: "Журнал доставки «\(c.name)»", active: "admin", access: access),
            id: id.uuidString, name: c.name, url: Connectors.config(c)["url"] ?? "", items: items))
    }

    /// A failed delivery goes back to the queue with its attempts reset (the subscriber is fixed).
    func retry(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let id = try req.uuidParameter(notFound: "Доставка не найдена.")
        let deliveryID = try req.uuidParameter("delivery", notFound: "Доставка не найдена.")
        guard let d = try await WebhookDelivery.query(on: req.db).filter(\.$tenantID == access.tenantID).filter(\.$connectorID == id)
            .filter(\.$id == deliveryID).first() else { throw Problem.notFound("Доставка не найдена.") }
        d.status = WebhookDelivery.Status.pending.rawValue
        d.attempts = 0
        d.nextAttemptAt = req.now
        try await req.db.transaction { tx in
            try await d.update(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "webhook.retry",
                                   entity: "webhook_delivery", entityID: deliveryID.uuidString, after: ["case": String(d.caseNumber)])
        }
        return WebPage.redirect(req, to: "/m/\(access.slug)/admin/connectors/\(id.uuidString)/deliveries",
                                flash: "Доставка по обращению №\(d.caseNumber) поставлена в очередь заново.")
    }
}
