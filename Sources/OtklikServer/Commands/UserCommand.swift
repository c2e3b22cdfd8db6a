import Fluent
import OtklikCore
import Vapor

struct UserCommandGroup: AsyncCommandGroup {
    var help: String { "Пользователи: создание и сброс пароля" }
    var commands: [String: any AnyAsyncCommand] { ["create": UserCreateCommand(), "password": UserPasswordCommand()] }
}

/// `otklik user create --login L --name "ФИО" --role ROLE [--municipality SLUG] [--organisation NAME]`
struct UserCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "login", help: "Логин") var login: String?
        @Option(name: "name", help: "ФИО") var name: String?
        @Option(name: "role", help: "Роль (например, administrator, channel_operator, executor, platform_admin)") var role: String?
        @Option(name: "municipality", short: "m", help: "Код муниципального образования") var municipality: String?
        @Option(name: "organisation", help: "Организация исполнителя (название или краткое название)") var organisation: String?
        @Option(name: "email", help: "Электронная почта") var email: String?
    }
    var help: String { "Создать пользователя с одноразовым паролем" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let login = signature.login?.lowercased(), !login.isEmpty else { throw CommandFailure("Укажите --login") }
        guard let name = signature.name, !name.isEmpty else { throw CommandFailure("Укажите --name \"Фамилия Имя Отчество\"") }
        guard let raw = signature.role, let role = Role(rawValue: raw) else {
            throw CommandFailure("Укажите --role; допустимо: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try await app.autoMigrate()
        if try await User.query(on: app.db).filter(\.$login == login).first() != nil {
            throw CommandFailure("Логин «\(login)» уже занят.")
        }
        var tenantID: UUID?
        var orgID: UUID?
        if role.scope == .municipality {
            guard let slug = signature.municipality else { throw CommandFailure("Для роли «\(role.title)» укажите --municipality") }
            tenantID = try await app.municipality(slug: slug).requireID()
        }
        if role.requiresOrganisation {
            guard let orgName = signature.organisation else { throw CommandFailure("Для роли «\(role.title)» укажите --organisation") }
            let orgs = try await Organisation.query(on: app.db).filter(\.$tenantID == tenantID!).all()
            guard let org = orgs.first(where: { SearchText.normalize($0.name) == SearchText.normalize(orgName)
                || $0.shortName.map(SearchText.normalize) == SearchText.normalize(orgName) }) else {
                throw CommandFailure("Организация «\(orgName)» не найдена.")
            }
            orgID = org.id
        }
        if role.requiresBlock || role.scope == .region {
            throw CommandFailure("Роль «\(role.title)» назначается через API или интерфейс администратора.")
        }
        let password = Passwords.generate()
        let (tenant, organisation) = (tenantID, orgID)
        let user = User(tenantID: tenant, login: login, fullName: name, email: signature.email,
                        passwordHash: try await app.password.async.hash(password), mustChangePassword: true)
        try await app.db.transaction { tx in
            try await user.create(on: tx)
            try await RoleAssignment(userID: user.id!, tenantID: tenant, role: role.rawValue, organisationID: organisation).create(on: tx)
            try await Audit.record(on: tx, tenantID: tenant, actor: nil, actorLabel: "командная строка", action: "user.create",
                                   entity: "user", entityID: user.id?.uuidString, after: ["login": login, "role": role.rawValue])
        }
        context.console.print("Пользователь создан: \(login) (\(role.title)). Одноразовый пароль: \(password)")
    }
}

/// `otklik user password --login L`: issues a new one-time password and unlocks the account.
struct UserPasswordCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "login", help: "Логин") var login: String?
    }
    var help: String { "Выдать новый одноразовый пароль" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let login = signature.login?.lowercased() else { throw CommandFailure("Укажите --login") }
        try await app.autoMigrate()
        guard let user = try await User.query(on: app.db).filter(\.$login == login).first() else {
            throw CommandFailure("Пользователь «\(login)» не найден.")
        }
        let password = Passwords.generate()
        user.passwordHash = try await app.password.async.hash(password)
        user.mustChangePassword = true
        user.failedLogins = 0
        user.lockedUntil = nil
        try await app.db.transaction { tx in
            try await user.save(on: tx)
            try await Audit.record(on: tx, tenantID: user.tenantID, actor: nil, actorLabel: "командная строка",
                                   action: "user.reset_password", entity: "user", entityID: user.id?.uuidString)
        }
        context.console.print("Новый одноразовый пароль для \(login): \(password)")
    }
}
