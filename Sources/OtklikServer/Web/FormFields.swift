import Foundation
import OtklikCore
import Vapor

/// The fields of a submitted HTML form (`application/x-www-form-urlencoded`), multi-valued for checkboxes.
/// Parsed by hand so that every form handler sees the same rules: UTF-8, `+` is a space, a limit on size.
struct FormFields: Sendable {
    private(set) var values: [String: [String]] = [:]

    init(_ pairs: [(String, String)]) {
        for (k, v) in pairs { values[k, default: []].append(v) }
    }

    init(request: Request) throws {
        guard let type = request.headers.contentType, type.type == "application", type.subType == "x-www-form-urlencoded" else {
            throw Problem(.unsupportedMediaType, "Неподдерживаемый тип формы", detail: "Ожидалась обычная HTML-форма.")
        }
        let body = request.body.data.map { String(buffer: $0) } ?? ""
        self.init(Self.parse(body))
    }

    static func parse(_ text: String) -> [(String, String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value, trimmed; nil when absent or blank.
    subscript(_ key: String) -> String? {
        guard let v = values[key]?.first?.trimmed, !v.isEmpty else { return nil }
        return v
    }

    /// The raw first value (text areas keep their inner line breaks), nil when absent.
    func raw(_ key: String) -> String? { values[key]?.first }

    func all(_ key: String) -> [String] { values[key] ?? [] }

    func has(_ key: String) -> Bool { values[key] != nil }

    /// What the user typed, to show the form again after a refusal (the CSRF token left out).
    var typed: [String: String] {
        var out: [String: String] = [:]
        for (k, v) in values where k != "_csrf" { out[k] = v.first }
        return out
    }

    /// Non-empty form fields as a JSON object for the services the API also calls; `except` leaves out
    /// the page's own fields (the CSRF token, the version).
    func json(except: Set<String> = ["_csrf"]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (k, vs) in values where !except.contains(k) {
            guard let v = vs.first else { continue }
            let t = v.trimmed
            out[k] = t.isEmpty ? .null : .string(t)
        }
        return out
    }
}

extension Problem {
    /// The field errors of a 422, keyed by field name, for showing each next to its input.
    var reasonsByField: [String: String] {
        var out: [String: String] = [:]
        for issue in errors ?? [] { out[issue.field] = issue.reason }
        return out
    }
}
