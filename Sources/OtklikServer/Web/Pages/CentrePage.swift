import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Состав МЦУ»: who the centre is made of today and before, the form to add or change an entry, the
/// printable composition (DOCX) on a chosen day.
struct CentrePage {
    struct Context: Encodable {
        var layout: Layout
        var serving: [CentreMembers.DTO]
        var former: [CentreMembers.DTO]
        var mayEdit: Bool
        var roles: [Choice]
        var users: [Choice]
        var substitutes: [Choice]
        var values: [String: String]
        var errors: [String: String]
        var today: String
        var chair: String?
    }

    func show(req: Request) async throws -> Response {
        try await render(req, values: [:], errors: [:], status: .ok)
    }

    private func render(_ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let s = CentreMembers(db: req.db, access: access, now: req.now)
        let records = try await s.all()
        let dtos = s.dtos(records)
        let chair = Composition(records.map(\.member)).chair(on: s.today, absent: [])
        let grants = try await RoleAssignment.query(on: req.db).filter(\.$tenantID == access.tenantID).all()
        let users = try await User.query(on: req.db).filter(\.$id ~~ Array(Set(grants.map(\.userID)))).filter(\.$isActive == true).sort(\.$fullName).all()
        return try await WebPage.render(req, "centre", Context(
            layout: try await WebPage.layout(req, title: "Состав МЦУ", active: "centre", access: access),
            serving: dtos.filter(\.serving), former: dtos.filter { !$0.serving }, mayEdit: s.mayEdit,
            roles: CentreRole.allCases.map { Choice(value: $0.rawValue, title: $0.title, selected: $0.rawValue == (values["role"] ?? "member")) },
            users: [Choice(value: "", title: "— без учётной записи —", selected: true)] + users.map { Choice(value: $0.id!.uuidString, title: $0.fullName, selected: $0.id!.uuidString == values["user_id"]) },
            substitutes: [Choice(value: "", title: "— нет —", selected: true)] + dtos.filter(\.serving).map { Choice(value: $0.id.uuidString, title: $0.full_name, selected: $0.id.uuidString == values["substitute_id"]) },
            values: values, errors: errors, today: s.today.iso, chair: chair.map { "\($0.fullName) (\($0.role.title))" }), status: status)
    }

    /// The printable composition on `?on=` (default today).
    func composition(req: Request) async throws -> Response {
        let access = try req.tenant
        let s = CentreMembers(db: req.db, access: access, now: req.now)
        let raw = (try? req.query.get(String.self, at: "on")) ?? ""
        guard let day = raw.isEmpty ? s.today : LocalDay(raw) else {
            return WebPage.redirect(req, to: "/m/\(access.slug)/centre", flash: "Дата «\(raw)» не понята: выберите день в календаре.", error: true)
        }
        return Download.attachment(try await s.docx(on: day), contentType: Download.docx, fileName: "sostav-mcu-\(day.iso).docx")
    }

    func save(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let s = CentreMembers(db: req.db, access: access, now: req.now)
        var existing: CentreMemberRecord?
        if let id = req.parameters.get("id", as: UUID.self) { existing = try await s.find(id) }
        var body: [String: JSONValue] = [:]
        for key in ["full_name", "position", "role", "from_on", "to_on", "user_id", "substitute_id"] {
            if let v = form[key] { body[key] = .string(v) } else if form.has(key) { body[key] = .null }
        }
        if let existing { body["version"] = .number(Double(Int(form["version"] ?? "") ?? existing.version)) }
        do {
            let m = try await s.save(body, existing: existing)
            return WebPage.redirect(req, to: "/m/\(access.slug)/centre", flash: existing == nil ? "\(m.fullName) включен(а) в состав МЦУ." : "Запись состава сохранена.")
        } catch let problem as Problem where [403, 409, 422].contains(problem.statusCode) {
            var errors = problem.reasonsByField
            errors["form"] = (existing.map { "«\($0.fullName)»: " } ?? "") + ((problem.errors ?? []).map(\.reason).joined(separator: "; ").nilIfEmpty ?? problem.detail ?? problem.title)
            return try await render(req, values: existing == nil ? form.typed : [:], errors: errors,
                                    status: problem.status)
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
