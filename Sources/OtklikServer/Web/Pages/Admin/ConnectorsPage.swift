import Fluent
import Foundation
import OtklikCore
import Vapor

/// The administrator's connectors: VK communities with their Callback API address. Secrets are typed in
/// a password field and never shown back — only «••••a1b2».
struct ConnectorsPage {
    struct Item: Encodable {
        var id: String; var name: String; var kind: String; var isVK: Bool; var enabled: Bool; var groupID: String; var apiBase: String
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
    }

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
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("Подключение не найдено.") }
        let c = try await Connectors.find(id, tenantID: access.tenantID, on: req.db)
        try await Connectors.delete(c, access: access, on: req.db)
        return WebPage.redirect(req, to: "/m/\(access.slug)/admin/connectors", flash: "Подключение «\(c.name)» удалено; VK больше не сможет присылать события на его адрес.")
    }

    private func render(_ req: Request, err: [String: String], val: [String: String], editing: String, formError: String? = nil,
                        status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let host = req.headers.first(name: .host).map { "http://\($0)" } ?? ""
        let items = try await Connectors.list(tenantID: access.tenantID, on: req.db).map { c in
            let d = Connectors.dto(c)
            return Item(id: d.id.uuidString, name: d.name, kind: d.kind_title, isVK: d.kind == Connector.Kind.vk.rawValue, enabled: d.enabled,
                        groupID: d.config["group_id"] ?? "", apiBase: d.config["api_base"] ?? "",
                        confirmation: d.config["confirmation"] ?? "", secretHint: d.secret_hint ?? "не задан",
                        callbackURL: host + (d.callback_path ?? ""), lastEvent: c.lastEventAt.map { RussianDate.dateTime($0, in: access.zone) },
                        lastError: d.last_error, version: d.version, updated: RussianDate.dateTime(c.updatedAt, in: access.zone) + " · " + c.updatedBy)
        }
        return try await WebPage.render(req, "admin/connectors", Context(
            layout: try await WebPage.layout(req, title: "Подключения", active: "admin", access: access),
            items: items, err: err, val: val, editing: editing, formError: formError), status: status)
    }
}
