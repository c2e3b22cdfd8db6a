import Fluent
import Foundation
import OtklikCore
import Vapor

/// GeoReport v2 (Open311) for the municipalities: `/open311/v2/…{.json|.xml}`, the municipality chosen by
/// `jurisdiction_id` (its code, e.g. `svetloyarsk-demo`; optional when the server has one). Discovery and
/// services are public; requests need `api_key` — an API token of that municipality (as the standard asks
/// for POST; for reading too, since the texts are the residents' own words). Errors use the standard's
/// `errors` format, in Russian.
struct Open311Controller: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let root = routes.grouped("open311")
        root.get(":file", use: discoveryOnly)
        let v2 = root.grouped("v2")
        v2.get(":file", use: resource)
        v2.post(":file", use: post)
        v2.get("services", ":file", use: definition)
        // The PyPI `open311` client asks for `service/{code}` (singular); both spellings answer.
        v2.get("service", ":file", use: definition)
        v2.get("requests", ":file", use: request)
    }

    enum Format: String { case json, xml }

    /// «services.json» → ("services", .json).
    private func file(_ req: Request) throws -> (name: String, format: Format) {
        let raw = req.parameters.get("file") ?? ""
        guard let dot = raw.lastIndex(of: "."), let format = Format(rawValue: raw[raw.index(after: dot)...].lowercased()) else {
            throw Open311Resources.Failure(status: 400, description: "Укажите формат в конце адреса: .json или .xml")
        }
        return (String(raw[..<dot]), format)
    }

    func discoveryOnly(req: Request) async throws -> Response {
        try await answer(req) { name, _, _ in
            guard name == "discovery" else { throw Open311Resources.Failure(status: 404, description: "Нет такого ресурса Open311") }
            return (discovery(req), "discovery")
        }
    }

    func resource(req: Request) async throws -> Response {
        try await answer(req) { name, _, params in
            switch name {
            case "discovery": return (discovery(req), "discovery")
            case "services":
                return (try await resources(req, params, needsKey: false).services(), "services")
            case "requests":
                let (filter, issues) = Open311.RequestFilter.parse(params, now: req.now)
                guard let filter else {
                    throw Open311Resources.Failure(status: 400, description: issues.map { "\($0.field): \($0.reason)" }.joined(separator: "; "))
                }
                return (try await resources(req, params, needsKey: true).requests(filter), "service_requests")
            default: throw Open311Resources.Failure(status: 404, description: "Нет такого ресурса Open311: «\(name)»")
            }
        }
    }

    func definition(req: Request) async throws -> Response {
        try await answer(req) { code, _, params in
            (try await resources(req, params, needsKey: false).definition(code: code), "service_definition")
        }
    }

    func request(req: Request) async throws -> Response {
        try await answer(req) { number, _, params in
            (try await resources(req, params, needsKey: true).request(number: number), "service_requests")
        }
    }

    func post(req: Request) async throws -> Response {
        try await answer(req) { name, _, params in
            guard name == "requests" else { throw Open311Resources.Failure(status: 404, description: "Создавать можно только requests") }
            return (try await resources(req, params, needsKey: true).create(params), "service_requests")
        }
    }

    // MARK: - Plumbing

    private func discovery(_ req: Request) -> Open311Node {
        let base = (req.headers.first(name: .host).map { "http://\($0)" } ?? "") + "/open311/v2"
        let changeset = "2026-11-22T00:00:00Z"
        return .object([
            .init("changeset", .text(changeset)),
            .init("contact", .text("Муниципальный центр управления; ключ API выдаёт администратор МЦУ")),
            .init("key_service", .text("Ключ (api_key) — API-токен муниципального образования: otklik token create --municipality КОД")),
            .init("endpoints", .list(item: "endpoint", [.object([
                .init("specification", .text("http://wiki.open311.org/GeoReport_v2")),
                .init("url", .text(base)),
                .init("changeset", .text(changeset)),
                .init("type", .text("production")),
                .init("formats", .list(item: "format", [.text("application/json"), .text("text/xml")])),
            ])])),
        ])
    }

    /// Query parameters merged with the form fields of a POST (the standard sends both).
    private func query(_ req: Request) -> [String: String] {
        var out: [String: String] = [:]
        if let q = req.url.query { for (k, v) in FormFields.parse(q) where out[k] == nil { out[k] = v } }
        if req.method == .POST, req.headers.contentType?.subType == "x-www-form-urlencoded", let body = req.body.data {
            for (k, v) in FormFields.parse(String(buffer: body)) { out[k] = v }
        }
        return out
    }

    /// The municipality of `jurisdiction_id` and, where needed, the access of the `api_key`.
    private func resources(_ req: Request, _ params: [String: String], needsKey: Bool) async throws -> Open311Resources {
        let municipality: Municipality
        if let slug = params["jurisdiction_id"]?.trimmed, !slug.isEmpty {
            guard let m = try await Municipality.query(on: req.db).filter(\.$slug == slug).first() else {
                throw Open311Resources.Failure(status: 404, description: "Муниципальное образование «\(slug)» (jurisdiction_id) не найдено")
            }
            municipality = m
        } else {
            let all = try await Municipality.query(on: req.db).limit(2).all()
            guard all.count == 1 else {
                throw Open311Resources.Failure(status: 400, description: "Укажите jurisdiction_id — код муниципального образования")
            }
            municipality = all[0]
        }
        let principal: Principal
        let key = params["api_key"] ?? req.headers.bearerAuthorization?.token
        if let key, !key.isEmpty {
            do { principal = try await TokenAuthenticator.principal(token: key, on: req.db) } catch {
                throw Open311Resources.Failure(status: 403, description: "Неверный api_key: ключ не найден или отозван")
            }
        } else if needsKey {
            throw Open311Resources.Failure(status: 403, description: "Нужен api_key — API-токен муниципального образования")
        } else {
            // Discovery and services are public: the rubricator is no secret.
            principal = Principal(kind: .token, userID: nil, tokenID: nil, label: "Open311 (без ключа)",
                                  grants: [.init(role: .analyst, tenantID: municipality.id)])
        }
        guard let access = try await TenantAccess.make(principal: principal, municipality: municipality, on: req.db) else {
            throw Open311Resources.Failure(status: 403, description: "Ключ выдан другому муниципальному образованию")
        }
        return Open311Resources(db: req.db, access: access, now: req.now)
    }

    /// Renders the resource in the asked format, and any failure in the standard's `errors` format. The
    /// body gets the file name, the format and the parameters (query and form, read once).
    private func answer(_ req: Request,
                        _ body: (String, Format, [String: String]) async throws -> (Open311Node, String)) async throws -> Response {
        var format = Format.json
        do {
            let f = try file(req)
            format = f.format
            let (node, root) = try await body(f.name, f.format, query(req))
            return Self.response(node, root: root, format: format, status: req.method == .POST ? .created : .ok)
        } catch let failure as Open311Resources.Failure {
            return Self.error(failure.status, failure.description, format: format)
        } catch let problem as Problem {
            let text = ([problem.detail ?? problem.title] + (problem.errors ?? []).map { "\($0.field): \($0.reason)" }).joined(separator: "; ")
            return Self.error(Int(problem.statusCode), text, format: format)
        }
    }

    static func response(_ node: Open311Node, root: String, format: Format, status: HTTPResponseStatus) -> Response {
        let response = Response(status: status)
        switch format {
        case .json:
            response.body = .init(string: node.json())
            response.headers.contentType = .json
        case .xml:
            response.body = .init(string: node.xml(root: root))
            response.headers.replaceOrAdd(name: .contentType, value: "text/xml; charset=utf-8")
        }
        return response
    }

    static func error(_ code: Int, _ description: String, format: Format) -> Response {
        let node = Open311Node.list(item: "error", [.object([.init("code", .number(Double(code))), .init("description", .text(description))])])
        return response(node, root: "errors", format: format, status: HTTPResponseStatus(statusCode: code))
    }
}
