import Fluent
import OtklikCore
import Vapor

/// First start: an empty database gets one platform administrator with a one-time password that is
/// printed once. There is no default password anywhere.
enum Bootstrap {
    static func ensureAdministrator(_ app: Application) async throws {
        guard try await User.query(on: app.db).count() == 0 else { return }
        let password = Passwords.generate()
        let user = User(tenantID: nil, login: "admin", fullName: "Администратор платформы",
                        passwordHash: try await app.password.async.hash(password), mustChangePassword: true)
        try await app.db.transaction { tx in
            try await user.create(on: tx)
            try await RoleAssignment(userID: user.id!, tenantID: nil, role: Role.platformAdmin.rawValue).create(on: tx)
            try await Audit.record(on: tx, tenantID: nil, actor: nil, actorLabel: "первый запуск",
                                   action: "user.create", entity: "user", entityID: user.id?.uuidString,
                                   after: ["login": user.login, "role": Role.platformAdmin.rawValue])
        }
        app.launchOptions.printer("""

        ══════════════ Первый запуск «Отклика» ══════════════
          Создан администратор платформы.
          Логин:               admin
          Одноразовый пароль:  \(password)
          Пароль показан один раз: смените его после входа.
        ═════════════════════════════════════════════════════

        """)
    }
}
