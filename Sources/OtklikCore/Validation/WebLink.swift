import Foundation

/// A link a person pastes: to a post, a chat message, a publication, an official page. Only http(s)
/// with a real host name; the platform is recognised from the host so the officer need not pick it.
public struct WebLink: Sendable, Equatable {
    public let text: String
    public let host: String

    public static let maxLength = 2_000

    /// Reads a link; a Russian reason when it is not one.
    public static func parse(_ raw: String) -> Result<WebLink, FieldIssue.Reason> {
        let text = raw.trimmed
        if text.isEmpty { return .failure(.init("ссылка не указана")) }
        if text.count > maxLength { return .failure(.init("ссылка длиннее \(maxLength) символов")) }
        let shown = "«\(text.prefix(80))»"
        if text.contains(where: { $0.isWhitespace }) { return .failure(.init("\(shown) — в ссылке не может быть пробелов")) }
        // Cyrillic domains and paths (демянск.рф) are links too: URL wants them percent-encoded.
        let encoded = text.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed.union(.init(charactersIn: "%#"))) ?? text
        guard let url = URL(string: encoded), let scheme = url.scheme?.lowercased() else {
            return .failure(.init("\(shown) не похоже на ссылку: ожидается адрес вида https://vk.com/wall-123_456"))
        }
        guard scheme == "http" || scheme == "https" else {
            return .failure(.init("\(shown) — ссылка должна начинаться с https:// или http://"))
        }
        let host = (Self.host(of: text) ?? "").lowercased()
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), labels.last!.count >= 2,
              host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
            return .failure(.init("\(shown) — в ссылке нет адреса сайта (например, vk.com)"))
        }
        return .success(WebLink(text: text, host: host))
    }

    /// The host as typed (Cyrillic kept), without port and user.
    static func host(of text: String) -> String? {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let rest = text[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? ""
        return hostPort.split(separator: ":", omittingEmptySubsequences: false).first.map(String.init)
    }

    /// The platform a link belongs to, when its host says so.
    public var platform: Platform? {
        let h = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        func on(_ domains: String...) -> Bool { domains.contains { h == $0 || h.hasSuffix("." + $0) } }
        if on("vk.com", "vk.ru", "vkontakte.ru") { return .vk }
        if on("ok.ru", "odnoklassniki.ru") { return .ok }
        if on("t.me", "telegram.me", "telegram.org") { return .telegram }
        if on("max.ru") { return .max }
        if on("pos.gosuslugi.ru") { return .pos }
        return nil
    }
}

extension FieldIssue {
    /// A reason without a field yet: the caller knows which field it was.
    public struct Reason: Error, Sendable, Equatable, CustomStringConvertible {
        public var text: String
        public init(_ text: String) { self.text = text }
        public var description: String { text }
    }
}
