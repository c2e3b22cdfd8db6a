import Foundation
import OtklikCore
import Vapor

/// Runs an API handler for a web form: the form's fields become the JSON body the API takes, so the
/// administration pages and the API share every check, every Russian field error and every audit entry.
enum APIBridge {
    static func call<T>(_ req: Request, body: [String: JSONValue], parameters: [String: String] = [:],
                        _ handler: (Request) async throws -> T) async throws -> T {
        try await call(req, contentType: .json, body: JSONValue.object(body).jsonText, parameters: parameters, handler)
    }

    /// The same with a body the API takes as it is (an uploaded calendar file as XML).
    static func call<T>(_ req: Request, contentType: HTTPMediaType, body: String, parameters: [String: String] = [:],
                        _ handler: (Request) async throws -> T) async throws -> T {
        var headers = req.headers
        headers.contentType = contentType
        headers.remove(name: .contentLength)
        let sub = Request(application: req.application, method: req.method, url: req.url, headers: headers,
                          collectedBody: ByteBuffer(string: body), remoteAddress: req.remoteAddress,
                          logger: req.logger, on: req.eventLoop)
        sub.storage = req.storage
        sub.parameters = req.parameters
        for (k, v) in parameters { sub.parameters.set(k, to: v) }
        return try await handler(sub)
    }
}

/// A field of an administration form, with what the user typed and the error next to it.
struct AdminField: Encodable {
    enum Kind: String, Encodable { case text, number, select, textarea, time, checkbox }
    var name: String
    var label: String
    var kind: Kind
    var value: String = ""
    var options: [Choice] = []
    var hint: String?
    var error: String?
    var checked = false

    /// The JSON value of this field's form input: numbers as numbers, checkboxes as booleans, blanks as null.
    func json(from form: FormFields) -> JSONValue {
        switch kind {
        case .checkbox: return .bool(form.has(name))
        case .number:
            guard let raw = form[name] else { return .null }
            return Double(raw.replacingOccurrences(of: ",", with: ".")).map(JSONValue.number) ?? .string(raw)
        default:
            guard let raw = form.raw(name)?.trimmed, !raw.isEmpty else { return .null }
            return .string(raw)
        }
    }
}

/// One form on an administration page.
struct AdminForm: Encodable {
    var id: String
    var action: String
    var submit: String
    var fields: [AdminField]
    var formError: String?

    /// The JSON body of the submitted form; `only` leaves out fields the API must not receive as null.
    static func body(_ fields: [AdminField], form: FormFields, skipEmpty: Bool = false) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for f in fields {
            let v = f.json(from: form)
            if skipEmpty && v == .null { continue }
            out[f.name] = v
        }
        return out
    }

    /// The same form showing what was typed and the API's errors by field.
    func refilled(_ form: FormFields, problem: Problem) -> AdminForm {
        var copy = self
        let errors = problem.reasonsByField
        copy.fields = fields.map { f in
            var f = f
            f.value = form.raw(f.name) ?? ""
            f.checked = form.has(f.name)
            f.options = f.options.map { Choice(value: $0.value, title: $0.title, selected: $0.value == f.value) }
            f.error = errors[f.name]
            return f
        }
        let unmatched = errors.filter { k, _ in !fields.contains { $0.name == k } }.map { "\($0.key): \($0.value)" }
        if problem.errors == nil || !unmatched.isEmpty {
            copy.formError = ([problem.detail ?? problem.title] + unmatched).joined(separator: "; ")
        }
        return copy
    }
}
