import Fluent
import OtklikCore
import Vapor

/// Sign-in for the web UI: `/api/v1/session`. The cookie carries the session; unsafe requests made
/// with it must send the CSRF token returned here.
struct SessionController: RouteCollection {
    static let maxFailures = 5
    static let lockout: TimeInterval = 15 * 60

    struct Me: Content {
        var user_id: UUID
        var login: String
        var full_name: String
        var must_change_password: Bool
        var csrf_token: String?
        var roles: [Grant]
        struct Grant: Content { var role: String; var role_title: String; var municipality: String?; var region_id: UUID? }
    }

    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("session")
        r.post(use: login)
        r.get(use: me)
        r.delete(use: logout)
        r.post("password", use: changePassword)
    }

    func login(req: Request) async throws -> Me {
        var p = PayloadReader(try req.jsonObject())
        let login = p.string("login", required: true, max: 64)
        let password = p.string("password", required: true, max: 200)
        try p.check()
        let denied = Problem(.unauthorized, "Неверный логин или пароль", detail: "Проверьте раскладку клавиатуры и Caps Lock.")
        guard let user = try await User.query(on: req.db).filter(\.$login == login!.lowercased()).first(), user.isActive else {
            throw denied
        }
        if let until = user.lockedUntil, until > Date() {
            let minutes = Int((until.timeIntervalSinceNow / 60).rounded(.up))
            throw Problem(.tooManyRequests, "Вход временно заблокирован",
                          detail: "Слишком много неудачных попыток. Повторите через \(RussianPlural.count(minutes, one: "минуту", few: "минуты", many: "минут")) или обратитесь к администратору.")
        }
        guard try await req.password.async.verify(password!, created: user.passwordHash) else {
            user.failedLogins += 1
            if user.failedLogins >= Self.maxFailures {
                user.lockedUntil = Date().addingTimeInterval(Self.lockout)
                user.failedLogins = 0
            }
            try await user.save(on: req.db)
            try await Audit.record(on: req.db, tenantID: user.tenantID, actor: nil, actorLabel: user.login,
                                   action: "session.login_failed", entity: "user", entityID: user.id?.uuidString)
            throw denied
        }
        user.failedLogins = 0
        user.lockedUntil = nil
        user.lastLoginAt = Date()
        try await user.save(on: req.db)
        let principal = try await PrincipalLoader.principal(for: user, on: req.db)
        // A fresh session id on every sign-in, so a planted cookie cannot be promoted (session fixation).
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
        return try await me(req: req)
    }

    func me(req: Request) async throws -> Me {
        let principal = try req.principal()
        guard let id = principal.userID, let user = try await User.find(id, on: req.db) else {
            throw Problem(.badRequest, "Это не сеанс пользователя", detail: "Запрос выполнен с API-токеном.")
        }
        var slugs: [UUID: String] = [:]
        for m in try await Municipality.query(on: req.db).all() { slugs[m.id!] = m.slug }
        return Me(user_id: id, login: user.login, full_name: user.fullName, must_change_password: user.mustChangePassword,
                  csrf_token: req.hasSession ? req.session.data[CSRFMiddleware.sessionKey] : nil,
                  roles: principal.grants.map { Me.Grant(role: $0.role.rawValue, role_title: $0.role.title,
                                                          municipality: $0.tenantID.flatMap { slugs[$0] }, region_id: $0.regionID) })
    }

    func logout(req: Request) async throws -> HTTPStatus {
        if let principal = req.auth.get(Principal.self) {
            try await Audit.record(on: req.db, tenantID: nil, actor: principal, action: "session.logout",
                                   entity: "user", entityID: principal.userID?.uuidString)
        }
        req.auth.logout(Principal.self)
        req.session.destroy()
        return .noContent
    }

    func changePassword(req: Request) async throws -> HTTPStatus {
        let principal = try req.principal()
        guard let id = principal.userID, let user = try await User.find(id, on: req.db) else { throw Problem.unauthorized }
        var p = PayloadReader(try req.jsonObject())
        let current = p.string("current_password", required: true, max: 200)
        let new = p.string("new_password", required: true, max: 200)
        try p.check()
        guard try await req.password.async.verify(current!, created: user.passwordHash) else {
            throw Problem.validation([FieldIssue("current_password", "текущий пароль указан неверно")])
        }
        if let issue = Passwords.policyIssue(new!) { throw Problem.validation([FieldIssue("new_password", issue)]) }
        if new == current { throw Problem.validation([FieldIssue("new_password", "новый пароль совпадает с текущим")]) }
        user.passwordHash = try await req.password.async.hash(new!)
        user.mustChangePassword = false
        try await req.db.transaction { tx in
            try await user.save(on: tx)
            try await Audit.record(on: tx, tenantID: user.tenantID, actor: principal, action: "user.change_password",
                                   entity: "user", entityID: user.id?.uuidString)
        }
        return .noContent
    }
}
