import Vapor

/// Pages need a signed-in user: anyone else goes to the sign-in page and comes back afterwards. A user
/// with a one-time password changes it before anything else.
struct WebSignedIn: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let principal = request.auth.get(Principal.self), principal.kind == .user else {
            let back = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            return WebPage.redirect(request, to: "/login?next=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        if principal.mustChangePassword, request.url.path != "/password" {
            return WebPage.redirect(request, to: "/password")
        }
        return try await next.respond(to: request)
    }
}

/// Every form that changes something carries the session's token in `_csrf`; a form from elsewhere (or
/// from a page older than the session) is refused before any handler runs.
struct WebCSRF: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method != .GET && request.method != .HEAD {
            // File uploads come as multipart; their token is read the same way, by field name.
            struct Token: Content { var _csrf: String? }
            let isMultipart = request.headers.contentType?.subType == "form-data"
            if isMultipart, request.body.data == nil {
                // A large file is still streaming when middleware runs (routes collect after it): read it
                // here, up to the largest upload a page takes, but only for a signed-in user.
                guard request.auth.has(Principal.self) else {
                    throw Problem(.forbidden, "Форма устарела", detail: "Войдите в систему и повторите загрузку файла.")
                }
                _ = try await request.body.collect(max: ImportRuns.maxUploadBytes).get()
            }
            let form = isMultipart ? FormFields([]) : try FormFields(request: request)
            let sent = isMultipart ? (try? request.content.decode(Token.self))?._csrf : form.raw("_csrf")
            guard request.hasSession, let expected = request.session.data[CSRFMiddleware.sessionKey],
                  let sent, sent == expected else {
                throw Problem(.forbidden, "Форма устарела",
                              detail: "Страница была открыта до входа в систему или в другом сеансе. Обновите страницу и повторите действие.")
            }
            request.storage[FormFieldsKey.self] = form
        }
        return try await next.respond(to: request)
    }
}

struct FormFieldsKey: StorageKey { typealias Value = FormFields }

extension Request {
    /// The submitted form, parsed once by `WebCSRF`.
    var form: FormFields {
        get throws {
            if let form = storage[FormFieldsKey.self] { return form }
            return try FormFields(request: self)
        }
    }
}
