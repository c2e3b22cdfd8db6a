/// The link of the ПОС («Платформа обратной связи») widget on an official page. The platform issues it
/// in one shape — `https://pos.gosuslugi.ru/form/?opaId=<number>` with optional utm_* marks — and pages
/// often carry a broken copy: another host, http, a lost or mangled `opaId`. Each problem is named.
public enum PosWidgetLink {
    public struct Check: Sendable, Equatable {
        /// Empty: the link is well-formed.
        public var problems: [String]
        /// The organisation's number on the platform, when it could be read.
        public var opaID: Int?
        public var isWellFormed: Bool { problems.isEmpty }

        public init(problems: [String], opaID: Int?) {
            self.problems = problems
            self.opaID = opaID
        }
    }

    public static func check(_ raw: String) -> Check {
        let text = raw.trimmed
        var problems: [String] = []
        if text.contains(where: { $0.isWhitespace }) { problems.append("в ссылке есть пробелы") }
        let lower = text.lowercased()
        guard let schemeEnd = lower.range(of: "://") else {
            return Check(problems: ["это не ссылка: ожидается https://pos.gosuslugi.ru/form/?opaId=…"], opaID: nil)
        }
        if lower[..<schemeEnd.lowerBound] != "https" { problems.append("ссылка должна начинаться с https://") }
        let rest = text[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let afterHost = rest.dropFirst(authority.count)
        if authority.lowercased() != "pos.gosuslugi.ru" {
            problems.append("адрес сайта «\(authority)» вместо pos.gosuslugi.ru")
        }
        let path = afterHost.prefix { $0 != "?" && $0 != "#" }
        if path != "/form/" && path != "/form" { problems.append("путь «\(path.isEmpty ? "/" : String(path))» вместо /form/") }
        let query = afterHost.dropFirst(path.count).drop { $0 == "?" }.prefix { $0 != "#" }
        var opaValues: [Substring] = []
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == "opaId" { opaValues.append(parts.count > 1 ? parts[1] : "") }
            else if parts[0].lowercased() == "opaid" { problems.append("параметр «\(parts[0])» написан с другими буквами: нужно opaId") }
        }
        var opaID: Int?
        switch opaValues.count {
        case 0: if !problems.contains(where: { $0.contains("opaId") }) { problems.append("нет параметра opaId (номер организации на ПОС)") }
        case 1:
            if let n = Int(opaValues[0]), n > 0, opaValues[0].allSatisfy(\.isASCII) { opaID = n }
            else { problems.append("opaId «\(opaValues[0])» — должен быть положительным числом") }
        default: problems.append("параметр opaId указан \(opaValues.count) раза")
        }
        return Check(problems: problems, opaID: opaID)
    }
}
