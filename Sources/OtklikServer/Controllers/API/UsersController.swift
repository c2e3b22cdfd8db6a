import Fluent
import OtklikCore
import Vapor

/// Users and their roles within one municipality: `/api/v1/municipalities/{m}/users` (administrators).
struct UsersController: RouteCollection {
    struct RoleDTO: Content {
        var id: UUID
        var role: String
        var role_title: String
        var organisation_id: UUID?
        var block_id: UUID?
    }
    struct DTO: Content {
        var id: UUID
        var login: String
        var full_name: String
        var email: String?
        var is_active: Bool
        var must_change_password: Bool
        var roles: [RoleDTO]
        /// Shown once, when an administrator creates the user or resets the password.
        var one_time_password: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("users")
        r.get(use: list)
        r.post(use: create)
        r.get(":id", use: show)
        r.patch(":id", use: update)
        r.post(":id", "roles", use: addRole)
        r.delete(":id", "roles", ":roleID", use: removeRole)
    }

    static func dto(_ user: User, tenantID: UUID, on db: any Database, password: String? = nil) async throws -> DTO {
        let roles = try await RoleAssignment.query(on: db).filter(\.$userID == user.requireID())
            .filter(\.$tenantID == tenantID).all()
        return DTO(id: user.id!, login: user.login, full_name: user.fullName, email: user.email, is_active: user.isActive,
                   must_change_password: user.mustChangePassword,
                   roles: roles.map { RoleDTO(id: $0.id!, role: $0.role, role_title: Role(rawValue: $0.role)?.title ?? $0.role,
                                              organisation_id: $0.organisationID, block_id: $0.blockID) },
                   one_time_password: password)
    }

    /// Users of the tenant: those who live here or hold a role here.
    private func find(_ req: Request) async throws -> User {
        let access = try req.tenant
        try access.requireAdministration()
        guard let id = req.parameters.get("id", as: UUID.self), let user = try await User.find(id, on: req.db) else {
            throw Problem.notFound("Пользователь не найден.")
        }
        let holdsRoleHere = try await RoleAssignment.query(on: req.db).filter(\.$userID == id)
            .filter(\.$tenantID == access.tenantID).count() > 0
        guard user.tenantID == access.tenantID || holdsRoleHere else { throw Problem.notFound("Пользователь не найден.") }
        return user
    }

    func list(req: Request) async throws -> [DTO] {
        let access = try req.tenant
        try access.requireAdministration()
        let users = try await User.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$fullName).all()
        var out: [DTO] = []
        for user in users { out.append(try await Self.dto(user, tenantID: access.tenantID, on: req.db)) }
        return out
    }

    func show(req: Request) async throws -> DTO {
        try await Self.dto(try await find(req), tenantID: try req.tenant.tenantID, on: req.db)
    }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let body = try req.jsonObject()
        var p = PayloadReader(body)
        let login = p.string("login", required: true, max: 64)
        let fullName = p.string("full_name", required: true, max: 200)
        let email = p.email("email")
        if let login {
            if !login.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) {
                p.issues.append(FieldIssue("login", "логин может содержать буквы, цифры и символы . _ - @"))
            } else if try await User.query(on: req.db).filter(\.$login == login.lowercased()).first() != nil {
                p.issues.append(FieldIssue("login", "логин «\(login)» уже занят"))
            }
        }
        var grants: [RoleAssignment] = []
        if case .array(let roles)? = body["roles"] {
            for (i, item) in roles.enumerated() {
                guard case .object(let o) = item else { p.issues.append(FieldIssue("roles[\(i)]", "ожидался объект")); continue }
                if let grant = try await roleAssignment(o, field: "roles[\(i)]", access: access, req: req, issues: &p.issues) {
                    grants.append(grant)
                }
            }
        } else if body["roles"] != nil {
            p.issues.append(FieldIssue("roles", "ожидался массив ролей"))
        }
        try p.check()
        let newGrants = grants
        let password = Passwords.generate()
        let user = User(tenantID: access.tenantID, login: login!.lowercased(), fullName: fullName!, email: email,
                        passwordHash: try await req.password.async.hash(password), mustChangePassword: true)
        try await req.db.transaction { tx in
            try await user.create(on: tx)
            for g in newGrants { g.userID = user.id!; try await g.create(on: tx) }
            let dto = try await Self.dto(user, tenantID: access.tenantID, on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "user.create",
                                   entity: "user", entityID: user.id?.uuidString, after: dto)
        }
        let dto = try await Self.dto(user, tenantID: access.tenantID, on: req.db, password: password)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> DTO {
        let access = try req.tenant
        let user = try await find(req)
        let before = try await Self.dto(user, tenantID: access.tenantID, on: req.db)
        var p = PayloadReader(try req.jsonObject())
        if let name = p.string("full_name", max: 200) { user.fullName = name }
        if p.has("email") { user.email = p.email("email") }
        if let active = p.bool("is_active") {
            if !active && user.id == access.principal.userID {
                p.issues.append(FieldIssue("is_active", "нельзя заблокировать самого себя"))
            }
            user.isActive = active
        }
        var newPassword: String?
        if p.bool("reset_password") == true {
            newPassword = Passwords.generate()
            user.passwordHash = try await req.password.async.hash(newPassword!)
            user.mustChangePassword = true
            user.failedLogins = 0
            user.lockedUntil = nil
        }
        try p.check()
        let action = newPassword == nil ? "user.update" : "user.reset_password"
        try await req.db.transaction { tx in
            try await user.save(on: tx)
            let after = try await Self.dto(user, tenantID: access.tenantID, on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal,
                                   action: action,
                                   entity: "user", entityID: user.id?.uuidString, before: before, after: after)
        }
        return try await Self.dto(user, tenantID: access.tenantID, on: req.db, password: newPassword)
    }

    func addRole(req: Request) async throws -> Response {
        let access = try req.tenant
        let user = try await find(req)
        var issues: [FieldIssue] = []
        let grant = try await roleAssignment(try req.jsonObject(), field: "", access: access, req: req, issues: &issues)
        if !issues.isEmpty { throw Problem.validation(issues) }
        grant!.userID = try user.requireID()
        let duplicate = try await RoleAssignment.query(on: req.db).filter(\.$userID == grant!.userID)
            .filter(\.$tenantID == access.tenantID).filter(\.$role == grant!.role).all()
            .contains { $0.organisationID == grant!.organisationID && $0.blockID == grant!.blockID }
        if duplicate { throw Problem(.conflict, "Роль уже назначена", detail: "У пользователя уже есть эта роль.") }
        try await req.db.transaction { tx in
            try await grant!.create(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "user.role_add",
                                   entity: "user", entityID: user.id?.uuidString, after: ["role": grant!.role])
        }
        return try await Self.dto(user, tenantID: access.tenantID, on: req.db).encodeResponse(status: .created, for: req)
    }

    func removeRole(req: Request) async throws -> HTTPStatus {
        let access = try req.tenant
        let user = try await find(req)
        guard let roleID = req.parameters.get("roleID", as: UUID.self),
              let grant = try await RoleAssignment.query(on: req.db).filter(\.$id == roleID)
                .filter(\.$userID == user.requireID()).filter(\.$tenantID == access.tenantID).first() else {
            throw Problem.notFound("Роль не найдена у этого пользователя.")
        }
        if grant.role == Role.administrator.rawValue, user.id == access.principal.userID {
            throw Problem(.conflict, "Нельзя снять роль", detail: "Нельзя снять роль администратора с самого себя.")
        }
        try await req.db.transaction { tx in
            try await grant.delete(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "user.role_remove",
                                   entity: "user", entityID: user.id?.uuidString, before: ["role": grant.role])
        }
        return .noContent
    }

    /// Validates one role object: `{"role": "executor", "organisation_id": "…"}`.
    private func roleAssignment(_ o: [String: JSONValue], field: String, access: TenantAccess, req: Request,
                                issues: inout [FieldIssue]) async throws -> RoleAssignment? {
        var p = PayloadReader(o)
        let prefix = field.isEmpty ? "" : field + "."
        let role = p.oneOf("role", Role.self, required: true)
        let orgID = p.uuid("organisation_id")
        let blockID = p.uuid("block_id")
        issues += p.issues.map { FieldIssue(prefix + $0.field, $0.reason) }
        guard let role else { return nil }
        if role.scope != .municipality {
            issues.append(FieldIssue(prefix + "role", "роль «\(role.title)» назначает администратор платформы"))
            return nil
        }
        if role.requiresOrganisation && orgID == nil {
            issues.append(FieldIssue(prefix + "organisation_id", "для роли «\(role.title)» укажите организацию"))
        }
        if role.requiresBlock && blockID == nil {
            issues.append(FieldIssue(prefix + "block_id", "для роли «\(role.title)» укажите отраслевой блок"))
        }
        var local: [FieldIssue] = []
        _ = try await ReferenceBooks.requireInTenant(Organisation.self, orgID, field: prefix + "organisation_id",
                                                     what: "Организация", access: access, on: req.db, issues: &local)
        _ = try await ReferenceBooks.requireInTenant(ThematicBlock.self, blockID, field: prefix + "block_id",
                                                     what: "Блок", access: access, on: req.db, issues: &local)
        issues += local
        return RoleAssignment(userID: UUID(), tenantID: access.tenantID, role: role.rawValue,
                              organisationID: role.requiresOrganisation ? orgID : nil,
                              blockID: role.requiresBlock ? blockID : nil)
    }
}
