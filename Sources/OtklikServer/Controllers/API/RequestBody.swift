import OtklikCore
import Vapor

extension Request {
    /// The body as a JSON object, with a Russian 400/415 when it is missing, not JSON or not an object.
    func jsonObject() throws -> [String: JSONValue] {
        guard let type = headers.contentType, type.type == "application",
              type.subType == "json" || type.subType.hasSuffix("+json") else {
            throw Problem(.unsupportedMediaType, "Неподдерживаемый тип содержимого",
                          detail: "Передайте тело в формате JSON с заголовком Content-Type: application/json.")
        }
        guard let buffer = body.data, buffer.readableBytes > 0 else {
            throw Problem(.badRequest, "Пустой запрос", detail: "Тело запроса пустое: ожидался JSON-объект.")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(buffer.readableBytesView))
        } catch {
            throw Problem(.badRequest, "Некорректный JSON", detail: "Тело запроса не является корректным JSON: \(error.reason) (символ \(error.offset + 1)).")
        }
        guard case .object(let object) = value else {
            throw Problem(.badRequest, "Некорректный JSON", detail: "Ожидался JSON-объект, получено: \(value.typeName).")
        }
        return object
    }
}

/// Typed readers for small admin payloads (organisations, users…), collecting Russian field errors.
struct PayloadReader {
    let object: [String: JSONValue]
    var issues: [FieldIssue] = []

    init(_ object: [String: JSONValue]) { self.object = object }

    func has(_ key: String) -> Bool { object[key] != nil }

    mutating func string(_ key: String, required: Bool = false, max: Int = 500) -> String? {
        switch object[key] {
        case nil, .null?:
            if required { issues.append(FieldIssue(key, "обязательное поле не заполнено")) }
            return nil
        case .string(let s)?:
            let t = s.trimmed
            if t.isEmpty {
                if required { issues.append(FieldIssue(key, "обязательное поле не заполнено")) }
                return nil
            }
            if t.count > max { issues.append(FieldIssue(key, "длиннее \(max) символов")); return nil }
            return t
        case let v?:
            issues.append(FieldIssue(key, "ожидалась строка, получено: \(v.typeName)"))
            return nil
        }
    }

    /// An e-mail address letters can be sent to; empty means none.
    mutating func email(_ key: String) -> String? {
        guard let raw = string(key, max: 254) else { return nil }
        guard let address = MailAddress(raw) else { issues.append(FieldIssue(key, "адрес e-mail вида ivanova@admin.example")); return nil }
        return address.address
    }

    mutating func uuid(_ key: String, required: Bool = false) -> UUID? {
        guard let s = string(key, required: required, max: 64) else { return nil }
        guard let id = UUID(uuidString: s) else { issues.append(FieldIssue(key, "ожидался идентификатор UUID")); return nil }
        return id
    }

    mutating func double(_ key: String, range: ClosedRange<Double>) -> Double? {
        switch object[key] {
        case nil, .null?: return nil
        case .number(let n)? where range.contains(n): return n
        default:
            issues.append(FieldIssue(key, "ожидалось число от \(range.lowerBound) до \(range.upperBound)"))
            return nil
        }
    }

    mutating func int(_ key: String, range: ClosedRange<Int>, required: Bool = false, message: String? = nil) -> Int? {
        switch object[key] {
        case nil, .null?:
            if required { issues.append(FieldIssue(key, "обязательное поле не заполнено")) }
            return nil
        case .number(let n)? where n == n.rounded() && n >= Double(range.lowerBound) && n <= Double(range.upperBound):
            return Int(n)
        default:
            issues.append(FieldIssue(key, message ?? "ожидалось целое число от \(range.lowerBound) до \(range.upperBound)"))
            return nil
        }
    }

    /// An instant in RFC 3339 with a zone (the API never guesses a zone).
    mutating func date(_ key: String, required: Bool = false) -> Date? {
        guard let text = string(key, required: required, max: 64) else { return nil }
        do { return try TimeText.parseRFC3339(text) } catch {
            issues.append(FieldIssue(key, error.russian))
            return nil
        }
    }

    /// A calendar day typed as 2026-12-10 or 10.12.2026.
    mutating func day(_ key: String, required: Bool = false) -> LocalDay? {
        guard let text = string(key, required: required, max: 20) else { return nil }
        guard let day = LocalDay(text) else { issues.append(FieldIssue(key, "дата вида 2026-12-10 или 10.12.2026")); return nil }
        return day
    }

    mutating func strings(_ key: String, maxCount: Int, maxLength: Int) -> [String] {
        switch object[key] {
        case nil, .null?: return []
        case .array(let items)? where items.count <= maxCount:
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item, !s.trimmed.isEmpty, s.count <= maxLength else {
                    issues.append(FieldIssue(key, "ожидался список строк длиной до \(maxLength) символов")); return []
                }
                out.append(s.trimmed)
            }
            return out
        default:
            issues.append(FieldIssue(key, "ожидался список не более чем из \(maxCount) строк")); return []
        }
    }

    mutating func bool(_ key: String) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        default: issues.append(FieldIssue(key, "ожидалось true или false")); return nil
        }
    }

    mutating func oneOf<E: RawRepresentable>(_ key: String, _ type: E.Type, required: Bool = false) -> E?
    where E.RawValue == String, E: CaseIterable {
        guard let raw = string(key, required: required, max: 100) else { return nil }
        guard let value = E(rawValue: raw) else {
            issues.append(FieldIssue(key, "неизвестное значение «\(raw)»; допустимо: \(E.allCases.map(\.rawValue).joined(separator: ", "))"))
            return nil
        }
        return value
    }

    func check() throws {
        if !issues.isEmpty { throw Problem.validation(issues) }
    }
}
