import Fluent
import Foundation
import OtklikCore
import Vapor

/// The translation tables of the import (foreign value → our rubric, organisation, territory, status,
/// decision type or platform), one tab per table; the preview's «сопоставить» links land here prefilled.
struct ImportMappingPages {
    struct Tab: Encodable { var title: String; var href: String; var active: Bool }
    struct Item: Encodable { var id: String; var foreign: String; var target: String; var updated: String }
    struct Context: Encodable {
        var layout: Layout
        var kind: String
        var kindTitle: String
        var tabs: [Tab]
        var items: [Item]
        var targets: [Choice]
        var value: String
        var err: [String: String]
    }

    func show(req: Request) async throws -> Response {
        let kind = req.query[String.self, at: "kind"].flatMap(ImportMappings.Kind.init(rawValue:)) ?? .category
        return try await render(req, kind: kind, value: req.query[String.self, at: "value"] ?? "", target: nil, err: [:], status: .ok)
    }

    func put(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let kind = ImportMappings.Kind(rawValue: form["kind"] ?? "") ?? .category
        do {
            let m = try await ValueMappings.put(["kind": .string(kind.rawValue), "foreign_value": form["foreign_value"].map(JSONValue.string) ?? .null,
                                                 "target": form["target"].map(JSONValue.string) ?? .null],
                                                access: access, now: req.now, on: req.db)
            let title = ValueMappings.dto(m, titles: try await ValueMappings.bookTitles(tenantID: access.tenantID, on: req.db)).target_title ?? m.target
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/import-mappings?kind=\(kind.rawValue)",
                                    flash: "«\(m.foreignValue)» теперь загружается как «\(title)». Проверьте загрузку заново, чтобы увидеть это в предпросмотре.")
        } catch let problem as Problem where problem.statusCode == 422 {
            return try await render(req, kind: kind, value: form.raw("foreign_value") ?? "", target: form["target"],
                                    err: problem.reasonsByField, status: .unprocessableEntity)
        }
    }

    func delete(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter(notFound: "Запись не найдена.")
        let kind = (try? req.form)?["kind"] ?? ImportMappings.Kind.category.rawValue
        try await ValueMappings.delete(id, access: access, on: req.db)
        return WebPage.redirect(req, to: "/m/\(access.slug)/admin/import-mappings?kind=\(kind)", flash: "Соответствие удалено.")
    }

    private func render(_ req: Request, kind: ImportMappings.Kind, value: String, target: String?, err: [String: String],
                        status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let base = "/m/\(access.slug)/admin/import-mappings"
        let titles = try await ValueMappings.bookTitles(tenantID: access.tenantID, on: req.db)
        let items = try await ValueMappings.list(tenantID: access.tenantID, kind: kind, on: req.db).map { m in
            let d = ValueMappings.dto(m, titles: titles)
            return Item(id: d.id.uuidString, foreign: d.foreign_value, target: d.target_title ?? d.target,
                        updated: RussianDate.dateTime(m.updatedAt, in: access.zone) + " · " + m.updatedBy)
        }
        return try await WebPage.render(req, "admin/import_mappings", Context(
            layout: try await WebPage.layout(req, title: "Таблицы соответствий", active: "admin", access: access),
            kind: kind.rawValue, kindTitle: kind.title,
            tabs: ImportMappings.Kind.allCases.map { Tab(title: $0.title, href: "\(base)?kind=\($0.rawValue)", active: $0 == kind) },
            items: items, targets: try await targets(kind, selected: target, tenantID: access.tenantID, on: req.db),
            value: value, err: err), status: status)
    }

    /// What a foreign value of this table can be mapped to.
    private func targets(_ kind: ImportMappings.Kind, selected: String?, tenantID: UUID, on db: any Database) async throws -> [Choice] {
        let empty = "— выберите —"
        switch kind {
        case .category, .organisation, .territory:
            let books = try await ReferenceOptions.load(tenantID: tenantID, on: db)
            let nodes = kind == .category ? books.rubrics : kind == .organisation ? books.organisations : books.territories
            return ReferenceOptions.options(nodes, selected: selected.flatMap(UUID.init(uuidString:)), empty: empty)
        case .status: return ReferenceOptions.options(CaseStatus.self, selected: selected, empty: empty) { $0.title }
        case .result: return ReferenceOptions.options(CaseResult.self, selected: selected, empty: empty) { $0.title }
        case .platform: return ReferenceOptions.options(Platform.self, selected: selected, empty: empty) { $0.title }
        }
    }
}
