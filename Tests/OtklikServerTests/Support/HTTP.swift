import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

/// Whose credentials a test request carries.
struct Caller: Sendable {
    var headers: HTTPHeaders
    static let anonymous = Caller(headers: [:])
    static func token(_ token: String) -> Caller { Caller(headers: ["Authorization": "Bearer \(token)"]) }
}

extension Application {
    /// Sends one request; `json` is the raw body text (sent as application/json).
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, as caller: Caller = .anonymous, json: String? = nil,
              headers extra: HTTPHeaders = [:], body raw: String? = nil, live: Bool = false) async throws -> TestingHTTPResponse {
        var headers = caller.headers
        if json != nil { headers.contentType = .json }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        let tester = try testing(method: live ? .running(hostname: "127.0.0.1", port: 0) : .inMemory)
        return try await tester.sendRequest(method, path, headers: headers,
                                               body: (json ?? raw).map { ByteBuffer(string: $0) })
    }

    /// Signs in through the session API and returns a caller carrying the cookie and the CSRF token.
    func signIn(_ login: String, _ password: String = Fixture.password) async throws -> Caller {
        let res = try await call(.POST, "/api/v1/session", json: #"{"login":"\#(login)","password":"\#(password)"}"#)
        #expect(res.status == .ok, "вход \(login): \(res.body.string)")
        guard let cookie = res.headers.setCookie?["otklik_session"]?.string else {
            Issue.record("нет cookie сеанса для \(login)")
            return .anonymous
        }
        let csrf = res.json["csrf_token"]?.string ?? ""
        return Caller(headers: ["Cookie": "otklik_session=\(cookie)", "X-CSRF-Token": csrf])
    }
}

extension TestingHTTPResponse {
    var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(body.string.utf8))) ?? .null }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
    subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }
    var string: String? { if case .string(let s) = self { return s }; return nil }
    var int: Int? { if case .number(let n) = self { return Int(n) }; return nil }
    var double: Double? { if case .number(let n) = self { return n }; return nil }
    var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    var array: [JSONValue] { if case .array(let a) = self { return a }; return [] }
}

/// A JSON string literal with its characters escaped, for building request bodies in tests.
func jsonString(_ s: String) -> String {
    String(decoding: try! JSONEncoder().encode(s), as: UTF8.self)
}
