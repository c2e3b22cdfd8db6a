import Fluent
import OtklikCore
import Vapor

/// Sign-in, sign-out, password change and the start page that picks the user's municipality.
struct SignInPages {
    struct LoginContext: Encodable {
        var csrf: String
        var next: String
        var login: String
        var error: String?
        var notice: String?
        var demo: Bool
    }

    func loginForm(req: Request) async throws -> Response {
        if req.auth.has(Principal.self) { return WebPage.redirect(req, to: safeNext(req.query[String.self, at: "next"])) }
        let (flash, _) = WebPage.takeFlash(req)
        return try await WebPage.render(req, "login", LoginContext(
            csrf: WebPage.csrf(req), next: safeNext(req.query[String.self, at: "next"]), login: "", error: nil,
            notice: flash, demo: req.application.launchOptions.demo))
    }

    func login(req: Request) async throws -> Response {
        let form = try req.form
        let login = form["login"] ?? ""
        let next = safeNext(form["next"])
        do {
            guard !login.isEmpty, let password = form.raw("password"), !password.isEmpty else {
                throw Problem(.unauthorized, "Неверный логин или пароль", detail: "Введите логин и пароль.")
            }
            let user = try await SignIn.verify(login: String(login.prefix(64)), password: String(password.prefix(200)), on: req)
            let principal = try await SignIn.start(user, on: req)
            return WebPage.redirect(req, to: principal.mustChangePassword ? "/password" : next)
        } catch let problem as Problem {
            return try await WebPage.render(req, "login", LoginContext(
                csrf: WebPage.csrf(req), next: next, login: login, error: problem.detail.map { "\(problem.title). \($0)" } ?? problem.title,
                notice: nil, demo: req.application.launchOptions.demo), status: problem.status)
        }
    }

    func logout(req: Request) async throws -> Response {
        try await SignIn.end(on: req)
        return WebPage.redirect(req, to: "/login", flash: "Вы вышли из системы.")
    }

    struct PasswordContext: Encodable {
        var layout: Layout
        var mustChange: Bool
        var errors: [String: String]
    }

    func passwordForm(req: Request) async throws -> Response {
        let principal = try req.principal()
        return try await WebPage.render(req, "password", PasswordContext(
            layout: try await WebPage.layout(req, title: "Смена пароля", active: "", access: nil),
            mustChange: principal.mustChangePassword, errors: [:]))
    }

    func changePassword(req: Request) async throws -> Response {
        let principal = try req.principal()
        let form = try req.form
        do {
            try await SignIn.changePassword(principal, current: form.raw("current_password").flatMap { $0.isEmpty ? nil : String($0.prefix(200)) },
                                            new: form.raw("new_password").flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }, on: req)
        } catch let problem as Problem where problem.errors != nil {
            return try await WebPage.render(req, "password", PasswordContext(
                layout: try await WebPage.layout(req, title: "Смена пароля", active: "", access: nil),
                mustChange: principal.mustChangePassword, errors: problem.reasonsByField), status: .unprocessableEntity)
        }
        return WebPage.redirect(req, to: "/", flash: "Пароль изменён.")
    }

    struct HomeContext: Encodable {
        struct Item: Encodable { var name: String; var href: String; var roles: String }
        var layout: Layout
        var municipalities: [Item]
        var noMunicipalities: Bool
        var regional: Bool
    }

    /// One municipality: straight to its inbox; several (a regional centre): a list to choose from.
    func home(req: Request) async throws -> Response {
        let principal = try req.principal()
        var items: [HomeContext.Item] = []
        for m in try await Municipality.query(on: req.db).sort(\.$name).all() {
            let grants = principal.grants(in: m)
            guard !grants.isEmpty else { continue }
            let roles = Set(grants.map(\.role))
            let start = Inbox.statuses(for: roles) != nil ? "inbox" : "cases"
            items.append(.init(name: m.name, href: "/m/\(m.slug)/\(start)", roles: Set(roles.map(\.title)).sorted().joined(separator: ", ")))
        }
        let regional = !(try await RegionalSummary.municipalities(of: principal, on: req.db)).isEmpty
        if items.count == 1 && !regional { return WebPage.redirect(req, to: items[0].href) }
        return try await WebPage.render(req, "home", HomeContext(
            layout: try await WebPage.layout(req, title: "Муниципальные образования", active: "", access: nil),
            municipalities: items, noMunicipalities: items.isEmpty, regional: regional))
    }

    /// Only paths of this site: an open redirect would let a phishing link pass through our sign-in.
    private func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.count < 2_000 else { return "/" }
        return next
    }
}
