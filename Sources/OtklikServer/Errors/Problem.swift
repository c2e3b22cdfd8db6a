import OtklikCore
import Vapor

/// An RFC 9457 problem: what the API answers for every error, in Russian, naming the fields at fault.
public struct Problem: AbortError, DebuggableError, Content, Sendable {
    public var type: String
    public var title: String
    public var statusCode: Int
    public var detail: String?
    public var errors: [FieldIssue]?
    /// For a conflict on a case (409): the case as it is now, so the client can show what changed.
    var current: CaseDTO?

    enum CodingKeys: String, CodingKey {
        case type, title, detail, errors, current
        case statusCode = "status"
    }

    public init(_ status: HTTPResponseStatus, _ title: String, detail: String? = nil,
                errors: [FieldIssue]? = nil, type: String? = nil) {
        self.statusCode = Int(status.code)
        self.title = title
        self.detail = detail
        self.errors = errors
        self.type = type ?? "about:blank"
    }

    public var status: HTTPResponseStatus {
        get { HTTPResponseStatus(statusCode: statusCode) }
        set { statusCode = Int(newValue.code) }
    }
    public var reason: String { detail ?? title }
    public var identifier: String { type }

    // Frequent ones.
    public static func validation(_ errors: [FieldIssue], detail: String? = nil) -> Problem {
        Problem(.unprocessableEntity, "Данные не прошли проверку",
                detail: detail ?? errors.map(\.description).joined(separator: "; "), errors: errors,
                type: "https://otklik.example/problems/validation")
    }
    public static func notFound(_ what: String) -> Problem {
        Problem(.notFound, "Не найдено", detail: what)
    }
    public static func forbidden(_ why: String) -> Problem {
        Problem(.forbidden, "Доступ запрещён", detail: why)
    }
    public static func conflict(_ detail: String) -> Problem {
        Problem(.conflict, "Конфликт", detail: detail, type: "https://otklik.example/problems/conflict")
    }
    public static let unauthorized = Problem(.unauthorized, "Требуется вход",
                                             detail: "Войдите в систему или передайте API-токен в заголовке Authorization: Bearer …")
}

/// Russian titles for statuses that Vapor or NIO raise on their own (payload too large, bad JSON…).
enum ProblemTitles {
    static func title(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "Некорректный запрос"
        case 401: "Требуется вход"
        case 403: "Доступ запрещён"
        case 404: "Не найдено"
        case 405: "Метод не поддерживается"
        case 409: "Конфликт"
        case 413: "Слишком большой запрос"
        case 415: "Неподдерживаемый тип содержимого"
        case 422: "Данные не прошли проверку"
        case 429: "Слишком много запросов"
        default: status.code >= 500 ? "Внутренняя ошибка сервера" : "Ошибка запроса"
        }
    }
}
