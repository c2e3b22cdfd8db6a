import Foundation
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

/// A browser-like visitor of the web pages: keeps the session cookie and reads the CSRF token from forms.
final class WebVisitor {
    let app: Application
    var cookie: String?

    init(app: Application) { self.app = app }

    /// Signs in through the login form, as a person does.
    static func signIn(_ app: Application, _ login: String, password: String = Fixture.password,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> WebVisitor {
        let v = WebVisitor(app: app)
        let res = try await v.submit("/login", ["login": login, "password": password], csrfFrom: "/login")
        #expect(res.status == .seeOther, "вход \(login): \(res.body.string.prefix(300))", sourceLocation: sourceLocation)
        return v
    }

    func get(_ path: String) async throws -> TestingHTTPResponse {
        let res = try await app.call(.GET, path, headers: headers)
        remember(res)
        return res
    }

    /// Posts a form; the CSRF token is taken from the page at `csrfFrom` (as the browser would have it).
    func submit(_ path: String, _ fields: [String: String], csrfFrom page: String? = nil,
                         csrf explicit: String? = nil) async throws -> TestingHTTPResponse {
        var token = explicit
        if token == nil, let page {
            token = Self.csrf(in: try await get(page).body.string)
        }
        var all = fields
        if let token { all["_csrf"] = token }
        let body = all.sorted { $0.key < $1.key }.map { k, v in
            "\(Self.encode(k))=\(Self.encode(v))"
        }.joined(separator: "&")
        var h = headers
        h.contentType = .urlEncodedForm
        let res = try await app.call(.POST, path, headers: h, body: body)
        remember(res)
        return res
    }

    /// Posts a multipart form with one file, as a browser's file input sends it.
    func upload(_ path: String, _ fields: [String: String], file: (field: String, name: String, data: Data),
                csrfFrom page: String) async throws -> TestingHTTPResponse {
        let boundary = "----otklik-test-\(UUID().uuidString)"
        var all = fields
        all["_csrf"] = Self.csrf(in: try await get(page).body.string) ?? ""
        var body = Data()
        for (k, v) in all.sorted(by: { $0.key < $1.key }) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(file.data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var h = headers
        h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let res = try await app.testing().sendRequest(.POST, path, headers: h, body: ByteBuffer(data: body))
        remember(res)
        return res
    }

    var headers: HTTPHeaders {
        var h: HTTPHeaders = ["Accept": "text/html,application/xhtml+xml"]
        if let cookie { h.add(name: "Cookie", value: "otklik_session=\(cookie)") }
        return h
    }

    private func remember(_ res: TestingHTTPResponse) {
        if let c = res.headers.setCookie?["otklik_session"]?.string { cookie = c }
    }

    static func csrf(in html: String) -> String? {
        guard let r = html.range(of: #"name="_csrf" value=""#) else { return nil }
        let rest = html[r.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

extension TestingHTTPResponse {
    var location: String? { headers.first(name: .location) }
}
