import Foundation

/// Answer templates (шаблоны ответов) with placeholders in double braces: «Уважаемый(ая) {{имя}}!».
/// A placeholder without a value for this case is left as a visible mark, so nobody sends «Уважаемый !».
public enum AnswerTemplate {
    public struct Placeholder: Sendable, Equatable {
        public var key: String
        public var meaning: String
    }

    public static let placeholders: [Placeholder] = [
        .init(key: "имя", meaning: "имя заявителя"),
        .init(key: "адрес", meaning: "адрес из обращения"),
        .init(key: "номер", meaning: "номер обращения в МЦУ"),
        .init(key: "дата", meaning: "дата поступления"),
        .init(key: "срок", meaning: "срок ответа по обращению"),
        .init(key: "организация", meaning: "ответственная организация"),
        .init(key: "исполнитель", meaning: "кто готовит ответ"),
    ]

    /// Placeholders named in `body` that are not known: a template with them is refused on save.
    public static func unknownPlaceholders(in body: String) -> [String] {
        let known = Set(placeholders.map(\.key))
        var out: [String] = []
        for name in names(in: body) where !known.contains(name) && !out.contains(name) { out.append(name) }
        return out
    }

    /// The text with every placeholder replaced; missing values become «[не указано: адрес]».
    public static func render(_ body: String, values: [String: String]) -> String {
        var out = ""
        var rest = Substring(body)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else { out += rest[open.lowerBound...]; return out }
            let name = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces).lowercased()
            if let value = values[name], !value.isEmpty { out += value } else { out += "[не указано: \(name)]" }
            rest = after[close.upperBound...]
        }
        return out + rest
    }

    static func names(in body: String) -> [String] {
        var out: [String] = []
        var rest = Substring(body)
        while let open = rest.range(of: "{{") {
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else { break }
            out.append(after[..<close.lowerBound].trimmingCharacters(in: .whitespaces).lowercased())
            rest = after[close.upperBound...]
        }
        return out
    }
}
