import FluentKit
import OtklikCore
import Vapor

/// Turns every error into an `application/problem+json` response with Russian texts. Replaces Vapor's
/// default error middleware so that no English reason or stack detail ever reaches a user.
struct ProblemMiddleware: AsyncMiddleware {
    let maxBodyBytes: Int

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let problem = problem(for: error, request: request)
            if problem.statusCode >= 500 {
                request.logger.report(error: error)
            }
            if Self.wantsPage(request) { return await Self.page(problem, for: request) }
            return Self.response(problem, for: request)
        }
    }

    /// A person in a browser (not the API, not a script) gets an HTML page, not problem JSON.
    static func wantsPage(_ request: Request) -> Bool {
        let path = request.url.path
        guard !path.hasPrefix("/api/"), path != "/openapi.json", path != "/health" else { return false }
        return request.headers.first(name: .accept)?.contains("text/html") ?? false
    }

    /// The Russian error page; a page behind sign-in sends the visitor to sign in first.
    static func page(_ problem: Problem, for request: Request) async -> Response {
        if problem.statusCode == 401 {
            return WebPage.redirect(request, to: "/login")
        }
        struct Context: Encodable { var title: String; var detail: String; var status: Int }
        let context = Context(title: problem.title, detail: problem.detail ?? "", status: problem.statusCode)
        if let response = try? await WebPage.render(request, "error", context, status: problem.status) { return response }
        return response(problem, for: request)
    }

    static func response(_ problem: Problem, for request: Request) -> Response {
        let response = Response(status: problem.status)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            response.body = .init(data: try encoder.encode(problem))
        } catch {
            response.body = .init(string: #"{"title":"Внутренняя ошибка сервера","status":500}"#)
        }
        response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json",
                                                     parameters: ["charset": "utf-8"])
        return response
    }

    func problem(for error: any Error, request: Request) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let decoding as DecodingError:
            return Problem(.badRequest, "Некорректный JSON", detail: Self.describe(decoding))
        case let abort as any AbortError:
            return Problem(abort.status, ProblemTitles.title(for: abort.status),
                           detail: russianDetail(for: abort.status, request: request))
        case let db as any DatabaseError where db.isConstraintFailure:
            return Problem(.conflict, "Конфликт данных",
                           detail: "Запись противоречит уже существующим данным (например, повторяется уникальное значение).")
        default:
            return Problem(.internalServerError, "Внутренняя ошибка сервера",
                           detail: "Запрос не выполнен, данные не изменены. Сообщите администратору время запроса.")
        }
    }

    private func russianDetail(for status: HTTPResponseStatus, request: Request) -> String {
        switch status.code {
        case 400: "Запрос не удалось разобрать. Проверьте формат тела (JSON в UTF-8) и параметры."
        case 401: Problem.unauthorized.detail!
        case 404: "Адрес \(request.url.path) не найден."
        case 405: "Метод \(request.method.rawValue) не поддерживается для \(request.url.path)."
        case 413: "Тело запроса больше допустимых \(maxBodyBytes / (1 << 20)) МБ. Разбейте данные на части (пакет — не более 10 000 обращений)."
        case 415: "Ожидалось тело в формате application/json."
        default: ProblemTitles.title(for: status)
        }
    }

    /// Names the JSON path and the reason of a decoding failure in Russian.
    static func describe(_ error: DecodingError) -> String {
        func path(_ ctx: DecodingError.Context) -> String {
            let p = ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "тело запроса" : "поле «\(p)»"
        }
        switch error {
        case .dataCorrupted(let ctx):
            return "\(path(ctx)): тело не является корректным JSON"
        case .keyNotFound(let key, let ctx):
            let parent = path(ctx)
            return "не заполнено обязательное поле «\(key.stringValue)»" + (ctx.codingPath.isEmpty ? "" : " в \(parent)")
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
            return "\(path(ctx)): неверный тип значения"
        @unknown default:
            return "тело запроса не удалось разобрать"
        }
    }
}
