import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Дорожные карты»: the list with a new roadmap's form; a roadmap's page with its steps, the effect of
/// each completed step and the weekly volume of the targeted problem as a chart.
struct RoadmapPages {
    struct ListContext: Encodable {
        var layout: Layout
        var items: [Roadmaps.DTO]
        var mayManage: Bool
        var categories: [Choice]
        var territories: [Choice]
        var values: [String: String]
        var errors: [String: String]
    }

    func list(req: Request) async throws -> Response { try await renderList(req, values: [:], errors: [:], status: .ok) }

    private func renderList(_ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let s = Roadmaps(db: req.db, access: access, now: req.now)
        var items: [Roadmaps.DTO] = []
        for m in try await s.list() { items.append(try await s.dto(m)) }
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        return try await WebPage.render(req, "roadmaps", ListContext(
            layout: try await WebPage.layout(req, title: "Дорожные карты", active: "centre", access: access),
            items: items, mayManage: access.governs,
            categories: ReferenceOptions.options(books.rubrics, selected: nil, empty: "— тема —"),
            territories: ReferenceOptions.options(books.territories, selected: nil, empty: "— территория —"),
            values: values, errors: errors), status: status)
    }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let kind = form["target_kind"] ?? ""
        var body: [String: JSONValue] = ["target_kind": .string(kind)]
        for key in ["title", "goal"] { if let v = form[key] { body[key] = .string(v) } }
        if let target = form[kind == "category" ? "category_id" : kind == "territory" ? "territory_id" : "cluster_case"] { body["target_id"] = .string(target) }
        if let w = form["window_days"] { body["window_days"] = Int(w).map { .number(Double($0)) } ?? .string(w) }
        do {
            let m = try await Roadmaps(db: req.db, access: access, now: req.now).create(body)
            return WebPage.redirect(req, to: "/m/\(access.slug)/roadmaps/\(m.id!.uuidString)", flash: "Дорожная карта № \(m.number) создана: добавьте шаги.")
        } catch let problem as Problem where [403, 422].contains(problem.statusCode) {
            return try await renderList(req, values: form.typed, errors: WebPage.fieldErrors(problem), status: problem.status)
        }
    }

    struct Context: Encodable {
        var layout: Layout
        var r: Roadmaps.DTO
        var chart: String
        var organisations: [Choice]
        var values: [String: String]
        var errors: [String: String]
    }

    func show(req: Request) async throws -> Response { try await render(req, values: [:], errors: [:], status: .ok) }

    private func render(_ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let s = Roadmaps(db: req.db, access: access, now: req.now)
        var r = try await s.dto(try await s.find(try req.uuidParameter("id", notFound: Roadmaps.notFound)))
        for i in r.steps.indices {
            r.steps[i].due_on = LocalDay(r.steps[i].due_on)?.russian ?? r.steps[i].due_on
            r.steps[i].done_on = r.steps[i].done_on.flatMap { LocalDay($0)?.russian }
        }
        let chart = SVGChart.columns(title: "Обращения по проблеме за неделю (\(r.target_title))",
                                     labels: r.weeks.map { LocalDay($0.week).map { String(format: "%02d.%02d", $0.day, $0.month) } ?? $0.week },
                                     values: r.weeks.map { Double($0.count) })
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        return try await WebPage.render(req, "roadmap", Context(
            layout: try await WebPage.layout(req, title: "Дорожная карта № \(r.number)", active: "centre", access: access),
            r: r, chart: chart, organisations: ReferenceOptions.options(books.organisations, selected: nil, empty: "— ответственная организация —"),
            values: values, errors: errors), status: status)
    }

    func change(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("id", notFound: Roadmaps.notFound)
        let form = try req.form
        let s = Roadmaps(db: req.db, access: access, now: req.now)
        do {
            if req.parameters.get("what") == "done" {
                try await s.completeStep(id, ["step_id": form["step_id"].map(JSONValue.string) ?? .null, "done_on": form["done_on"].map(JSONValue.string) ?? .null])
            } else {
                try await s.addStep(id, ["title": form["title"].map(JSONValue.string) ?? .null, "organisation_id": form["organisation_id"].map(JSONValue.string) ?? .null,
                                         "due_on": form["due_on"].map(JSONValue.string) ?? .null])
            }
            return WebPage.redirect(req, to: "/m/\(access.slug)/roadmaps/\(id.uuidString)", flash: "Сохранено.")
        } catch let problem as Problem where [403, 422].contains(problem.statusCode) {
            return try await render(req, values: form.typed, errors: WebPage.fieldErrors(problem), status: problem.status)
        }
    }
}
