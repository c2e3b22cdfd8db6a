import Fluent
import OtklikCore
import Vapor

/// Signing in and changing a password: one set of rules (lock-out, session renewal, audit) for the API's
/// `/session` and the web pages.
enum SignIn {
    static let maxFailures = 5
    static let lockout: TimeInterval = 15 * 60

    /// Checks the login and password, counting failures; a 401 or 429 problem when they do not pass.
    static func verify(login: String, password: String, on req: Request) async throws -> User {
        let denied = Problem(.unauthorized, "Неверный логин или пароль", detail: "Проверьте раскладку клавиатуры и Caps Lock.")
        guard let user = try await User.query(on: req.db).filter(\.$login == login.lowercased()).first(), user.isActive else {
            throw denied
        }
        if let until = user.lockedUntil, until > Date() {
            let minutes = Int((until.timeIntervalSinceNow / 60).rounded(.up))
            throw Problem(.tooManyRequests, "Вход временно заблокирован",
                          detail: "Слишком много неудачных попыток. Повторите через \(RussianPlural.count(minutes, one: "минуту", few: "минуты", many: "минут")) или обратитесь к администратору.")
        }
        guard try await req.password.async.verify(password, created: user.passwordHash) else {
            user.failedLogins += 1
            if user.failedLogins >= maxFailures {
                user.lockedUntil = Date().addingTimeInterval(lockout)
                user.failedLogins = 0
            }
            try await user.save(on: req.db)
            try await Audit.record(on: req.db, tenantID: user.tenantID, actor: nil, actorLabel: user.login,
                                   action: "session.login_failed", entity: "user", entityID: user.id?.uuidString)
            throw denied
        }
        return user
    }

    /// Starts the session of a verified user: a fresh session id (no fixation), a new CSRF token, audit.
    static func start(_ user: User, on req: Request) async throws -> Principal {
        user.failedLogins = 0
        user.lockedUntil = nil
        user.lastLoginAt = Date()
        try await user.save(on: req.db)
        let principal = try await PrincipalLoader.principal(for: user, on: req.db)
        if let old = req.session.id {
            try await req.application.sessions.driver.deleteSession(old, for: req).get()
            req.session.id = nil
            req.session.data = .init()
        }
        req.auth.login(principal)
        req.session.authenticate(principal)
        req.session.data[CSRFMiddleware.sessionKey] = CSRFMiddleware.newToken()
        try await Audit.record(on: req.db, tenantID: user.tenantID, actor: principal, action: "session.login",
                               entity: "user", entityID: user.id?.uuidString)
        return principal
    }

    static func end(on req: Request) async throws {
        if let principal = req.auth.get(Principal.self) {
            try await Audit.record(on: req.db, tenantID: nil, actor: principal, action: "session.logout",
                                   entity: "user", entityID: principal.userID?.uuidString)
        }
        req.auth.logout(Principal.self)
        req.session.destroy()
    }

    /// Replaces the password after checking the current one and the policy; field errors name
    /// `current_password` and `new_password`.
    static func changePassword(_ principal: Principal, current: String?, new: String?, on req: Request) async throws {
        guard let id = principal.userID, let user = try await User.find(id, on: req.db) else { throw Problem.unauthorized }
        var issues: [FieldIssue] = []
        if current == nil { issues.append(FieldIssue("current_password", "обязательное поле не заполнено")) }
        if new == nil { issues.append(FieldIssue("new_password", "обязательное поле не заполнено")) }
        guard issues.isEmpty, let current, let new else { throw Problem.validation(issues) }
        guard try await req.password.async.verify(current, created: user.passwordHash) else {
            throw Problem.validation([FieldIssue("current_password", "текущий пароль указан неверно")])
        }
        if let issue = Passwords.policyIssue(new) { throw Problem.validation([FieldIssue("new_password", issue)]) }
        if new == current { throw Problem.validation([FieldIssue("new_password", "новый пароль совпадает с текущим")]) }
        user.passwordHash = try await req.password.async.hash(new)
        user.mustChangePassword = false
        try await req.db.transaction { tx in
            try await user.save(on: tx)
            try await Audit.record(on: tx, tenantID: user.tenantID, actor: principal, action: "user.change_password",
                                   entity: "user", entityID: user.id?.uuidString)
        }
    }
}
