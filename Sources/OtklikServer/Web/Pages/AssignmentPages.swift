import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Поручения на контроле»: the control list (this week, overdue, open, closed), a new assignment from
/// the memo or the head, and an assignment's page with its report, decisions and history.
struct AssignmentPages {
    struct Filter: Encodable { var key: String; var title: String; var active: Bool }
    struct ListContext: Encodable {
        var layout: Layout
        var filters: [Filter]
        var items: [Assignments.DTO]
        var mayManage: Bool
        var organisations: [Choice]
        var values: [String: String]
        var errors: [String: String]
    }

    static let filters = [("week", "на этой неделе и просроченные"), ("overdue", "просроченные"), ("open", "все на контроле"), ("closed", "снятые с контроля")]

    func list(req: Request) async throws -> Response {
        try await renderList(req, values: [:], errors: [:], status: .ok)
    }

    private func renderList(_ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let s = Assignments(db: req.db, access: access, now: req.now)
        let filter = (try? req.query.get(String.self, at: "filter")).flatMap { f in Self.filters.contains { $0.0 == f } ? f : nil } ?? "week"
        var items: [Assignments.DTO] = []
        for a in try await s.list(filter) {
            var dto = try await s.dto(a)
            dto.due_on = LocalDay(dto.due_on)?.russian ?? dto.due_on
            items.append(dto)
        }
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        return try await WebPage.render(req, "assignments", ListContext(
            layout: try await WebPage.layout(req, title: "Поручения на контроле", active: "centre", access: access),
            filters: Self.filters.map { Filter(key: $0.0, title: $0.1, active: $0.0 == filter) }, items: items, mayManage: access.governs,
            organisations: ReferenceOptions.options(books.organisations, selected: values["organisation_id"].flatMap(UUID.init(uuidString:)), empty: "— выберите —"),
            values: values, errors: errors), status: status)
    }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        var body: [String: JSONValue] = [:]
        for key in ["text", "source", "organisation_id", "due_on"] { if let v = form[key] { body[key] = .string(v) } }
        do {
            let a = try await Assignments(db: req.db, access: access, now: req.now, notifiers: req.application.notifiers).create(body)
            return WebPage.redirect(req, to: "/m/\(access.slug)/assignments/\(a.id!.uuidString)", flash: "Поручение № \(a.number) поставлено на контроль.")
        } catch let problem as Problem where [403, 422].contains(problem.statusCode) {
            return try await renderList(req, values: form.typed, errors: WebPage.fieldErrors(problem), status: problem.status)
        }
    }

    struct Context: Encodable {
        var layout: Layout
        var a: Assignments.DTO
        var due: String
        var can: [String: Bool]
        var values: [String: String]
        var errors: [String: String]
    }

    func show(req: Request) async throws -> Response {
        try await render(req, values: [:], errors: [:], status: .ok)
    }

    private func render(_ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let s = Assignments(db: req.db, access: access, now: req.now)
        var a = try await s.dto(try await s.find(try req.uuidParameter("id", notFound: Assignments.notFound)))
        for i in a.events.indices {
            a.events[i].at = (try? TimeText.parseRFC3339(a.events[i].at)).map { RussianDate.dateTime($0, in: access.zone) } ?? a.events[i].at
            if a.events[i].kind == "extend", let to = a.events[i].details["to"] { a.events[i].comment = [a.events[i].comment, "новый срок \(to)"].compactMap { $0 }.joined(separator: "; ") }
        }
        var can: [String: Bool] = [:]
        for act in a.allowed_actions { can[act] = true }
        return try await WebPage.render(req, "assignment", Context(
            layout: try await WebPage.layout(req, title: "Поручение № \(a.number)", active: "centre", access: access),
            a: a, due: LocalDay(a.due_on)?.russian ?? a.due_on, can: can, values: values, errors: errors), status: status)
    }

    func act(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("id", notFound: Assignments.notFound)
        guard let raw = req.parameters.get("action"), let action = AssignmentAction(rawValue: raw) else { throw Problem.notFound("Неизвестное действие.") }
        let form = try req.form
        var body: [String: JSONValue] = ["version": .number(Double(Int(form["version"] ?? "") ?? 0))]
        for key in ["text", "reason", "comment", "due_on"] { if let v = form[key] { body[key] = .string(v) } }
        do {
            let a = try await Assignments(db: req.db, access: access, now: req.now, notifiers: req.application.notifiers).act(id, action, body)
            return WebPage.redirect(req, to: "/m/\(access.slug)/assignments/\(id.uuidString)", flash: "\(action.title): готово. Поручение — «\(a.assignmentStatus.title)».")
        } catch let problem as Problem where [403, 409, 422].contains(problem.statusCode) {
            return try await render(req, values: form.typed, errors: WebPage.fieldErrors(problem),
                                    status: problem.status)
        }
    }
}
