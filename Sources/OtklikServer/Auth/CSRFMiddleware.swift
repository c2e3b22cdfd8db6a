import Vapor

/// Requests authenticated by the session cookie must echo the session's CSRF token in `X-CSRF-Token`
/// for every method that changes data. Bearer-token requests carry no cookie and are exempt.
struct CSRFMiddleware: AsyncMiddleware {
    static let header = "X-CSRF-Token"
    static let sessionKey = "csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let safe: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]
        if !safe.contains(request.method),
           request.headers.bearerAuthorization == nil,
           request.hasSession, request.session.data[Self.sessionKey] != nil {
            guard let sent = request.headers.first(name: Self.header),
                  sent == request.session.data[Self.sessionKey] else {
                throw Problem(.forbidden, "Нет CSRF-токена",
                              detail: "Повторите действие: в запросе нет действующего заголовка \(Self.header).")
            }
        }
        return try await next.respond(to: request)
    }

    static func newToken() -> String {
        Data((0..<24).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }
}
