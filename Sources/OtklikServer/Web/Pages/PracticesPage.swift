import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Лучшие практики»: what the centre adopted, why and whether it worked.
struct PracticesPage {
    struct Context: Encodable {
        var layout: Layout
        var items: [Practices.DTO]
        var mayManage: Bool
        var categories: [Choice]
        var roadmaps: [Choice]
        var values: [String: String]
        var errors: [String: String]
    }

    func show(req: Request) async throws -> Response { try await render(req, values: [:], errors: [:], status: .ok) }

    private func render(_ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let s = Practices(db: req.db, access: access, now: req.now)
        var items = try await s.dtos(try await s.list())
        for i in items.indices { items[i].adopted_on = items[i].adopted_on.flatMap { LocalDay($0)?.russian } }
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let maps = try await RoadmapRecord.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$number).all()
        return try await WebPage.render(req, "practices", Context(
            layout: try await WebPage.layout(req, title: "Лучшие практики", active: "centre", access: access),
            items: items, mayManage: access.governs,
            categories: ReferenceOptions.options(books.rubrics.filter { $0.parentID == nil }, selected: values["category_id"].flatMap(UUID.init(uuidString:)), empty: "— тема —"),
            roadmaps: [Choice(value: "", title: "— дорожная карта —", selected: true)] + maps.map { Choice(value: $0.id!.uuidString, title: "№ \($0.number) \($0.title)", selected: false) },
            values: values, errors: errors), status: status)
    }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        var body: [String: JSONValue] = [:]
        for key in ["title", "description", "basis", "category_id", "roadmap_id", "adopted_on"] { if let v = form[key] { body[key] = .string(v) } }
        if let w = form["window_days"] { body["window_days"] = Int(w).map { .number(Double($0)) } ?? .string(w) }
        do {
            _ = try await Practices(db: req.db, access: access, now: req.now).create(body)
            return WebPage.redirect(req, to: "/m/\(access.slug)/practices", flash: "Практика внесена в реестр.")
        } catch let problem as Problem where [403, 422].contains(problem.statusCode) {
            return try await render(req, values: form.typed, errors: WebPage.fieldErrors(problem), status: problem.status)
        }
    }
}
