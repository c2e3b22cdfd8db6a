import Foundation

/// Turns one loosely typed record (a JSON object from the API or a JSON Lines file, or a CSV row mapped
/// to the same field names) into a `CaseDraft`, collecting every problem instead of stopping at the first.
public struct CaseDraftParser: Sendable {
    public enum Outcome: Sendable {
        case valid(CaseDraft)
        case invalid([FieldIssue])
    }

    /// "Now", injected so tests control what counts as the future.
    public var now: Date
    /// When set, dates like `06.01.2026 14:05` (Russian exports) are read in this zone; otherwise refused.
    public var localTimeZone: TimeZone?

    public init(now: Date, localTimeZone: TimeZone? = nil) {
        self.now = now
        self.localTimeZone = localTimeZone
    }

    public func parse(_ record: [String: JSONValue]) -> Outcome {
        var reader = FieldReader(record: record, prefix: "", parser: self)
        let channel = reader.enumValue("channel", required: true) { CaseChannel(flexible: $0) } allowed: {
            CaseChannel.allCases.map(\.rawValue)
        }
        let externalID = reader.string("external_id", max: CaseDraft.Limits.externalIDCharacters, acceptNumber: true)
        let receivedAt = reader.date("received_at", required: true)
        let regime = reader.enumValue("legal_regime", required: false) { LegalRegime(rawValue: $0.lowercased()) }
            allowed: { LegalRegime.allCases.map(\.rawValue) }
        let title = reader.string("title", max: CaseDraft.Limits.titleCharacters)
        let text = reader.string("text", max: CaseDraft.Limits.textCharacters, required: true)
        let sourceURL = reader.url("source_url")
        let platform = reader.enumValue("platform", required: false) { Platform(rawValue: $0.lowercased()) }
            allowed: { Platform.allCases.map(\.rawValue) }
        let kind = reader.enumValue("publication_kind", required: false) { PublicationKind(rawValue: $0.lowercased()) }
            allowed: { PublicationKind.allCases.map(\.rawValue) }

        var author = CaseDraft.Author()
        if var sub = reader.object("author") {
            author.name = sub.string("name", max: CaseDraft.Limits.shortFieldCharacters)
            author.phone = sub.phone("phone")
            author.email = sub.email("email")
            author.profileURL = sub.url("profile_url")
            reader.issues += sub.issues
        }
        var location = CaseDraft.Location()
        if var sub = reader.object("location") {
            location.address = sub.string("address", max: CaseDraft.Limits.shortFieldCharacters)
            location.latitude = sub.number("latitude", range: -90...90)
            location.longitude = sub.number("longitude", range: -180...180)
            location.territoryRef = sub.string("territory", max: CaseDraft.Limits.shortFieldCharacters, acceptNumber: true)
            if (location.latitude == nil) != (location.longitude == nil), sub.issues.isEmpty {
                sub.issues.append(FieldIssue("location", "укажите обе координаты: широту и долготу"))
            }
            reader.issues += sub.issues
        }
        let attachments = reader.stringList("attachments", maxItems: CaseDraft.Limits.attachments,
                                            maxLength: CaseDraft.Limits.urlCharacters, urls: true)
        let sourceCategory = reader.string("source_category", max: CaseDraft.Limits.shortFieldCharacters)
        let sourceDeadline = reader.date("source_deadline", required: false, mayBeFuture: true)
        let category = reader.string("category", max: CaseDraft.Limits.shortFieldCharacters, acceptNumber: true)
        let tags = reader.stringList("tags", maxItems: CaseDraft.Limits.tags, maxLength: CaseDraft.Limits.tagCharacters)
        let urgent = reader.flag("urgent")

        if let text, text.trimmed.isEmpty {
            reader.issues.append(FieldIssue("text", "текст обращения пустой"))
        }
        if let receivedAt, let sourceDeadline, sourceDeadline < receivedAt {
            reader.issues.append(FieldIssue("source_deadline", "срок источника раньше даты поступления"))
        }
        guard reader.issues.isEmpty, let channel, let receivedAt, let text else {
            return .invalid(reader.issues)
        }
        return .valid(CaseDraft(
            channel: channel, externalID: externalID,
            // Whole seconds: sources never carry more, and exact values keep keyset pagination exact.
            receivedAt: Date(timeIntervalSince1970: receivedAt.timeIntervalSince1970.rounded(.down)),
            legalRegime: regime ?? .message, title: title, text: text, sourceURL: sourceURL,
            platform: platform, publicationKind: kind, author: author, location: location,
            attachments: attachments, sourceCategory: sourceCategory, sourceDeadline: sourceDeadline,
            categoryRef: category, tags: tags, urgent: urgent ?? false
        ))
    }
}

/// Reads typed fields out of a record and remembers what was wrong with each.
struct FieldReader {
    let record: [String: JSONValue]
    let prefix: String
    let parser: CaseDraftParser
    var issues: [FieldIssue] = []

    init(record: [String: JSONValue], prefix: String, parser: CaseDraftParser) {
        self.record = record; self.prefix = prefix; self.parser = parser
    }

    private func path(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

    /// The value, with null and blank strings treated as absent (CSV cells are never null).
    private func present(_ key: String) -> JSONValue? {
        switch record[key] {
        case nil, .null?: return nil
        case .string(let s)? where s.trimmed.isEmpty:
            return key == "text" ? .string(s) : nil
        case let v?: return v
        }
    }

    mutating func string(_ key: String, max: Int, required: Bool = false, acceptNumber: Bool = false) -> String? {
        guard let value = present(key) else {
            if required { issues.append(FieldIssue(path(key), "обязательное поле не заполнено")) }
            return nil
        }
        let text: String
        switch value {
        case .string(let s): text = s.trimmed
        case .number(let n) where acceptNumber && n == n.rounded() && abs(n) < 1e15: text = String(Int64(n))
        default:
            issues.append(FieldIssue(path(key), "ожидалась строка, получено: \(value.typeName)"))
            return nil
        }
        if text.count > max {
            issues.append(FieldIssue(path(key), "слишком длинное значение: \(text.count) символов при допустимых \(max)"))
            return nil
        }
        if text.unicodeScalars.contains(where: { $0.value == 0 }) {
            issues.append(FieldIssue(path(key), "значение содержит нулевой символ"))
            return nil
        }
        return text
    }

    mutating func enumValue<E>(_ key: String, required: Bool, _ make: (String) -> E?,
                               allowed: () -> [String]) -> E? {
        guard let raw = string(key, max: 100, required: required) else { return nil }
        guard let value = make(raw) else {
            issues.append(FieldIssue(path(key), "неизвестное значение «\(raw)»; допустимо: \(allowed().joined(separator: ", "))"))
            return nil
        }
        return value
    }

    mutating func date(_ key: String, required: Bool, mayBeFuture: Bool = false) -> Date? {
        guard let raw = string(key, max: 64, required: required) else { return nil }
        let date: Date
        do {
            if let zone = parser.localTimeZone, let local = try TimeText.parseRussianLocal(raw, in: zone) {
                date = local
            } else {
                date = try TimeText.parseRFC3339(raw)
            }
        } catch {
            issues.append(FieldIssue(path(key), "«\(raw)»: \(error.russian)"))
            return nil
        }
        if date.timeIntervalSince1970 < 946_684_800 { // 2000-01-01
            issues.append(FieldIssue(path(key), "дата раньше 2000 года"))
            return nil
        }
        if !mayBeFuture, date > parser.now.addingTimeInterval(CaseDraft.Limits.futureSkew) {
            issues.append(FieldIssue(path(key), "дата в будущем: \(raw)"))
            return nil
        }
        return date
    }

    mutating func number(_ key: String, range: ClosedRange<Double>) -> Double? {
        guard let value = present(key) else { return nil }
        let n: Double?
        switch value {
        case .number(let v): n = v
        case .string(let s): n = Double(s.trimmed.replacingOccurrences(of: ",", with: "."))
        default: n = nil
        }
        guard let n, n.isFinite else {
            issues.append(FieldIssue(path(key), "ожидалось число"))
            return nil
        }
        guard range.contains(n) else {
            issues.append(FieldIssue(path(key), "значение \(n) вне диапазона \(range.lowerBound)…\(range.upperBound)"))
            return nil
        }
        return n
    }

    mutating func url(_ key: String) -> String? {
        guard let text = string(key, max: CaseDraft.Limits.urlCharacters) else { return nil }
        guard Self.isWebURL(text) else {
            issues.append(FieldIssue(path(key), "«\(text.prefix(80))» не похоже на ссылку http(s)"))
            return nil
        }
        return text
    }

    mutating func email(_ key: String) -> String? {
        guard let text = string(key, max: 254) else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !text.contains(" ") else {
            issues.append(FieldIssue(path(key), "«\(text)» не похоже на адрес электронной почты"))
            return nil
        }
        return text
    }

    mutating func phone(_ key: String) -> String? {
        guard let text = string(key, max: 40, acceptNumber: true) else { return nil }
        let digits = text.filter(\.isNumber).count
        let allowed = text.allSatisfy { $0.isNumber || " +-()".contains($0) }
        guard allowed, (5...15).contains(digits) else {
            issues.append(FieldIssue(path(key), "«\(text)» не похоже на номер телефона"))
            return nil
        }
        return text
    }

    /// true/false in JSON; да/нет, 1/0, true/false in CSV cells.
    mutating func flag(_ key: String) -> Bool? {
        switch present(key) {
        case nil: return nil
        case .bool(let b)?: return b
        case .number(let n)? where n == 0 || n == 1: return n == 1
        case .string(let s)?:
            switch SearchText.normalize(s) {
            case "да", "true", "1", "yes", "срочно": return true
            case "нет", "false", "0", "no": return false
            default: break
            }
        default: break
        }
        issues.append(FieldIssue(path(key), "ожидалось да/нет (true/false)"))
        return nil
    }

    mutating func object(_ key: String) -> FieldReader? {
        guard let value = present(key) else { return nil }
        guard case .object(let dict) = value else {
            issues.append(FieldIssue(path(key), "ожидался объект, получено: \(value.typeName)"))
            return nil
        }
        return FieldReader(record: dict, prefix: path(key), parser: parser)
    }

    mutating func stringList(_ key: String, maxItems: Int, maxLength: Int, urls: Bool = false) -> [String] {
        guard let value = present(key) else { return [] }
        let items: [JSONValue]
        switch value {
        case .array(let a): items = a
        // CSV cells carry lists separated by `|`, `;` or new lines.
        case .string(let s): items = s.split(whereSeparator: { "|;\n".contains($0) }).map { .string(String($0)) }
        default:
            issues.append(FieldIssue(path(key), "ожидался массив строк, получено: \(value.typeName)"))
            return []
        }
        if items.count > maxItems {
            issues.append(FieldIssue(path(key), "слишком много элементов: \(items.count) при допустимых \(maxItems)"))
            return []
        }
        var out: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let raw) = item else {
                issues.append(FieldIssue("\(path(key))[\(index)]", "ожидалась строка"))
                continue
            }
            let s = raw.trimmed
            if s.isEmpty { continue }
            if s.count > maxLength {
                issues.append(FieldIssue("\(path(key))[\(index)]", "слишком длинное значение"))
            } else if urls && !Self.isWebURL(s) {
                issues.append(FieldIssue("\(path(key))[\(index)]", "«\(s.prefix(80))» не похоже на ссылку http(s)"))
            } else if !out.contains(s) {
                out.append(s)
            }
        }
        return out
    }

    static func isWebURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else { return false }
        return !text.contains(" ")
    }
}
