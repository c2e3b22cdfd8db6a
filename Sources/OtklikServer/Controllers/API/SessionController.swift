import Fluent
import OtklikCore
import Vapor

/// Sign-in for the web UI: `/api/v1/session`. The cookie carries the session; unsafe requests made
/// with it must send the CSRF token returned here.
struct SessionController: RouteCollection {
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
        let user = try await SignIn.verify(login: login!, password: password!, on: req)
        _ = try await SignIn.start(user, on: req)
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
        try await SignIn.end(on: req)
        return .noContent
    }

    func changePassword(req: Request) async throws -> HTTPStatus {
        var p = PayloadReader(try req.jsonObject())
        let current = p.string("current_password", required: true, max: 200)
        let new = p.string("new_password", required: true, max: 200)
        try p.check()
        try await SignIn.changePassword(try req.principal(), current: current, new: new, on: req)
        return .noContent
    }
}
