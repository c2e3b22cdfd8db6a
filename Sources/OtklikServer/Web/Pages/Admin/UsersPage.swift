import Fluent
import Foundation
import OtklikCore
import Vapor

/// Users of the municipality and their roles. Creating a user or resetting a password shows the one-time
/// password once, in the confirmation; the user changes it at first sign-in.
struct UsersPage {
    struct Grant: Encodable { var id: String; var title: String; var removeAction: String }
    struct Item: Encodable {
        var id: String
        var login: String
        var name: String
        var state: String
        var grants: [Grant]
        var forms: [AdminForm]
        var roleForms: [AdminForm]
        var resetAction: String
    }
    struct Context: Encodable {
        var layout: Layout
        var items: [Item]
        var createForms: [AdminForm]
        var openRow: String
    }

    func show(req: Request) async throws -> Response { try await render(req, failed: nil) }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        var body: [String: JSONValue] = ["login": form["login"].map(JSONValue.string) ?? .null,
                                         "full_name": form["full_name"].map(JSONValue.string) ?? .null,
                                         "email": form["email"].map(JSONValue.string) ?? .null]
        body["roles"] = .array([.object(roleBody(form))])
        do {
            let res = try await APIBridge.call(req, body: body) { sub in try await UsersController().create(req: sub) }
            let dto = try res.body.buffer.map { try JSONDecoder().decode(UsersController.DTO.self, from: $0) }
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/users",
                                    flash: "Пользователь «\(dto?.login ?? "")» создан. Одноразовый пароль: \(dto?.one_time_password ?? "—") — передайте его лично; он показан один раз.")
        } catch let problem as Problem where [409, 422].contains(problem.statusCode) {
            return try await render(req, failed: ("new", form, Self.unprefixed(problem)), status: problem.status)
        }
    }

    func update(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let id = req.parameters.get("id") ?? ""
        do {
            let body: [String: JSONValue] = ["full_name": form["full_name"].map(JSONValue.string) ?? .null,
                                             "email": form["email"].map(JSONValue.string) ?? .null,
                                             "is_active": .bool(form.has("is_active"))]
            _ = try await APIBridge.call(req, body: body) { sub in try await UsersController().update(req: sub) }
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/users", flash: "Сохранено.")
        } catch let problem as Problem where [409, 422].contains(problem.statusCode) {
            return try await render(req, failed: (id, form, problem), status: problem.status)
        }
    }

    func resetPassword(req: Request) async throws -> Response {
        let access = try req.tenant
        let dto = try await APIBridge.call(req, body: ["reset_password": .bool(true)]) { sub in try await UsersController().update(req: sub) }
        return WebPage.redirect(req, to: "/m/\(access.slug)/admin/users",
                                flash: "Новый одноразовый пароль для «\(dto.login)»: \(dto.one_time_password ?? "—"). Блокировка входа снята.")
    }

    func addRole(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        do {
            _ = try await APIBridge.call(req, body: roleBody(form)) { sub in try await UsersController().addRole(req: sub) }
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/users", flash: "Роль назначена.")
        } catch let problem as Problem where [409, 422].contains(problem.statusCode) {
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/users",
                                    flash: "Роль не назначена: " + ((problem.errors ?? []).map(\.reason).first ?? problem.detail ?? problem.title), error: true)
        }
    }

    func removeRole(req: Request) async throws -> Response {
        let access = try req.tenant
        do {
            _ = try await APIBridge.call(req, body: [:]) { sub in try await UsersController().removeRole(req: sub) }
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/users", flash: "Роль снята.")
        } catch let problem as Problem where problem.statusCode == 409 {
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/users", flash: problem.detail ?? problem.title, error: true)
        }
    }

    private func roleBody(_ form: FormFields) -> [String: JSONValue] {
        ["role": form["role"].map(JSONValue.string) ?? .null,
         "organisation_id": form["organisation_id"].map(JSONValue.string) ?? .null,
         "block_id": form["block_id"].map(JSONValue.string) ?? .null]
    }

    /// `roles[0].organisation_id` → `organisation_id`: the page has one role per new user.
    static func unprefixed(_ p: Problem) -> Problem {
        var copy = p
        copy.errors = p.errors?.map { FieldIssue($0.field.replacingOccurrences(of: "roles[0].", with: ""), $0.reason) }
        return copy
    }

    private func roleFields(_ books: ReferenceOptions) -> [AdminField] {
        let roles = Role.allCases.filter { $0.scope == .municipality }
        return [
            AdminField(name: "role", label: "Роль", kind: .select,
                       options: [Choice(value: "", title: "— выберите роль —", selected: true)] + roles.map { Choice(value: $0.rawValue, title: $0.title, selected: false) }),
            AdminField(name: "organisation_id", label: "Организация (для исполнителя и руководителя организации)", kind: .select,
                       options: ReferenceOptions.options(books.organisations, selected: nil, empty: "—")),
            AdminField(name: "block_id", label: "Блок (для руководителя блока)", kind: .select,
                       options: ReferenceOptions.options(books.blocks, selected: nil, empty: "—")),
        ]
    }

    private func render(_ req: Request, failed: (String, FormFields, Problem)?, status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let base = "/m/\(access.slug)/admin/users"
        let grants = try await RoleAssignment.query(on: req.db).filter(\.$tenantID == access.tenantID).all()
        // The municipality's own users, and anyone holding a role here (even after their last role is removed).
        let users = try await User.query(on: req.db).group(.or) { or in
            or.filter(\.$id ~~ Set(grants.map(\.userID)))
            or.filter(\.$tenantID == access.tenantID)
        }.sort(\.$login).all()
        var items: [Item] = []
        for u in users {
            let id = u.id!.uuidString
            var edit = AdminForm(id: id, action: "\(base)/\(id)", submit: "Сохранить", fields: [
                AdminField(name: "full_name", label: "ФИО", kind: .text, value: u.fullName),
                AdminField(name: "email", label: "Эл. почта", kind: .text, value: u.email ?? ""),
                AdminField(name: "is_active", label: "Может входить", kind: .checkbox, checked: u.isActive),
            ])
            if let (fid, typed, problem) = failed, fid == id { edit = edit.refilled(typed, problem: problem) }
            var state = u.isActive ? "активен" : "заблокирован администратором"
            if let until = u.lockedUntil, until > Date() { state = "вход заблокирован до " + RussianDate.dateTime(until, in: access.zone) }
            if u.mustChangePassword { state += ", временный пароль" }
            items.append(Item(
                id: id, login: u.login, name: u.fullName, state: state,
                grants: grants.filter { $0.userID == u.id }.map { g in
                    let role = Role(rawValue: g.role)
                    let scope = [books.name(g.organisationID), books.name(g.blockID)].compactMap { $0 }.joined(separator: ", ")
                    return Grant(id: g.id!.uuidString, title: (role?.title ?? g.role) + (scope.isEmpty ? "" : " — " + scope),
                                 removeAction: "\(base)/\(id)/roles/\(g.id!.uuidString)/remove")
                },
                forms: [edit],
                roleForms: [AdminForm(id: id + "-role", action: "\(base)/\(id)/roles", submit: "Назначить роль", fields: roleFields(books))],
                resetAction: "\(base)/\(id)/reset"))
        }
        var create = AdminForm(id: "new", action: base, submit: "Создать", fields: [
            AdminField(name: "login", label: "Логин", kind: .text, hint: "буквы, цифры и . _ - @"),
            AdminField(name: "full_name", label: "ФИО", kind: .text),
            AdminField(name: "email", label: "Эл. почта", kind: .text),
        ] + roleFields(books))
        if let (fid, typed, problem) = failed, fid == "new" { create = create.refilled(typed, problem: problem) }
        return try await WebPage.render(req, "admin/users", Context(
            layout: try await WebPage.layout(req, title: "Пользователи и роли", active: "admin", access: access),
            items: items, createForms: [create], openRow: failed?.0 ?? ""), status: status)
    }
}
