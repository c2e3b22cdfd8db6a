import Fluent
import Foundation
import OtklikCore
import Vapor

/// What every signed-in page shows around its content.
struct Layout: Encodable {
    var title: String
    var user: String
    var roleTitles: String
    var municipality: String?
    var slug: String?
    var nav: [NavItem]
    var csrf: String
    var flash: String?
    var flashError: Bool
    /// The municipality's working periods around now, `[[start, end], …]` in epoch seconds: the live
    /// countdowns of working-time clocks tick only inside them.
    var workWindows: String
    var now: Int
}

struct NavItem: Encodable {
    var title: String
    var href: String
    var active: Bool
    var badge: Int?
}

/// Rendering, redirects and flash messages shared by the web pages.
enum WebPage {
    static let flashKey = "flash"
    static let flashErrorKey = "flash_error"

    static func render<C: Encodable>(_ req: Request, _ template: String, _ context: C,
                                     status: HTTPStatus = .ok) async throws -> Response {
        let view = try await req.view.render(template, context)
        let response = Response(status: status, body: .init(buffer: view.data))
        response.headers.contentType = .html
        secure(response)
        return response
    }

    /// No inline script may run (CSP), pages are not framed or cached: citizen text can never turn into code.
    /// `imageOrigins`: other origins images may come from (the map's tile server).
    static func secure(_ response: Response, imageOrigins: [String] = []) {
        response.headers.replaceOrAdd(name: "Content-Security-Policy",
                       value: "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:\(imageOrigins.map { " " + $0 }.joined()); "
                            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Cache-Control", value: "no-store")
    }

    /// Post/Redirect/Get: the next page shows `flash` once.
    /// A refused form's reasons by field, and all of them together for the message above the form.
    static func fieldErrors(_ problem: Problem) -> [String: String] {
        var errors = problem.reasonsByField
        errors["form"] = (problem.errors ?? []).map(\.reason).joined(separator: "; ").nilIfEmpty ?? problem.detail ?? problem.title
        return errors
    }

    static func redirect(_ req: Request, to path: String, flash: String? = nil, error: Bool = false) -> Response {
        if let flash {
            req.session.data[flashKey] = flash
            req.session.data[flashErrorKey] = error ? "1" : nil
        }
        let response = Response(status: .seeOther)
        response.headers.replaceOrAdd(name: .location, value: path)
        return response
    }

    static func takeFlash(_ req: Request) -> (String?, Bool) {
        guard req.hasSession, let text = req.session.data[flashKey] else { return (nil, false) }
        let isError = req.session.data[flashErrorKey] != nil
        req.session.data[flashKey] = nil
        req.session.data[flashErrorKey] = nil
        return (text, isError)
    }

    static func csrf(_ req: Request) -> String {
        if let token = req.session.data[CSRFMiddleware.sessionKey] { return token }
        let token = CSRFMiddleware.newToken()
        req.session.data[CSRFMiddleware.sessionKey] = token
        return token
    }

    /// The layout of a page inside a municipality (`access`), or of a page outside any (nil). A page that has
    /// already loaded the municipality's working time passes it in `schedule`.
    static func layout(_ req: Request, title: String, active: String, access: TenantAccess?,
                       schedule: WorkSchedule? = nil) async throws -> Layout {
        let principal = try req.principal()
        let (flash, flashError) = takeFlash(req)
        var nav: [NavItem] = []
        var windows = "[]"
        var municipalityName: String?
        if let access {
            let base = "/m/\(access.slug)"
            let answering = access.visibleOrganisationIDs != nil
            if Inbox.statuses(for: access.roles) != nil {
                nav.append(NavItem(title: answering ? "К исполнению" : "Входящие", href: base + "/inbox", active: active == "inbox"))
            }
            nav.append(NavItem(title: answering ? "Обращения организации" : "Все обращения", href: base + "/cases", active: active == "cases"))
            nav.append(NavItem(title: "Группы похожих", href: base + "/clusters", active: active == "clusters"))
            if access.mayRegisterCases {
                nav.append(NavItem(title: "Новое обращение", href: base + "/cases/new", active: active == "new"))
                nav.append(NavItem(title: "Загрузка выгрузок", href: base + "/imports", active: active == "imports"))
            }
            if access.readsAllRisks || access.visibleOrganisationIDs == nil {
                nav.append(NavItem(title: "Инфориски", href: base + "/risks", active: active == "risks"))
            }
            if access.visibleOrganisationIDs == nil {
                nav.append(NavItem(title: "МЦУ", href: base + "/centre", active: active == "centre"))
            }
            nav.append(NavItem(title: "Показатели", href: base + "/dashboard", active: active == "dashboard"))
            nav.append(NavItem(title: "Рейтинги", href: base + "/ratings", active: active == "ratings"))
            let unread = try await NotificationInbox(access).unreadCount(on: req.db)
            nav.append(NavItem(title: "Уведомления", href: base + "/notifications", active: active == "notifications",
                               badge: unread > 0 ? unread : nil))
            if access.administers {
                nav.append(NavItem(title: "Администрирование", href: base + "/admin", active: active == "admin"))
            } else if access.roles.contains(.mcuHead) {
                // The МЦУ head sets the channels' regulation with the administrator (decree 003).
                nav.append(NavItem(title: "Регламент", href: base + "/admin/regulation", active: active == "admin"))
            }
            let working: WorkSchedule
            if let schedule { working = schedule } else { working = try await TenantRegulation.schedule(tenantID: access.tenantID, on: req.db) }
            windows = workWindows(working, around: req.now)
            municipalityName = access.name
        }
        let roleTitles = (access.map { Array($0.roles) } ?? principal.grants.map(\.role)).map(\.title)
        return Layout(title: title, user: principal.label, roleTitles: Set(roleTitles).sorted().joined(separator: ", "),
                      municipality: municipalityName, slug: access?.slug, nav: nav, csrf: csrf(req), flash: flash,
                      flashError: flashError, workWindows: windows, now: Int(req.now.timeIntervalSince1970))
    }

    /// Working periods from yesterday to 60 days ahead, enough for every regulation term but the longest.
    static func workWindows(_ schedule: WorkSchedule, around now: Date) -> String {
        let today = schedule.localDay(of: Int(now.timeIntervalSince1970))
        var parts: [String] = []
        for day in (today - 1)...(today + 60) {
            if let p = schedule.period(day: day) { parts.append("[\(p.start),\(p.end)]") }
        }
        return "[" + parts.joined(separator: ",") + "]"
    }
}
