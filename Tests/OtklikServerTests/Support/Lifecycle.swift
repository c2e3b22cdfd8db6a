import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

/// Helpers for lifecycle tests: register a case, read its card, act on it with the version last seen.
struct CaseDriver {
    let app: Application
    let slug: String
    let caseID: String

    var base: String { "/api/v1/municipalities/\(slug)/cases/\(caseID)" }

    static func register(_ app: Application, _ f: Fixture, channel: String, external: String,
                         receivedAt: String = "2026-11-20T09:15:00+07:00", extra: String = "") async throws -> CaseDriver {
        let res = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                     json: caseJSON(external, channel: channel, receivedAt: receivedAt, extra: extra))
        #expect(res.status == .created, "\(res.body.string)")
        return CaseDriver(app: app, slug: "alpha", caseID: res.json["id"]?.string ?? "")
    }

    func card(_ caller: Caller) async throws -> JSONValue {
        let res = try await app.call(.GET, base, as: caller)
        #expect(res.status == .ok, "\(res.body.string)")
        return res.json
    }

    /// Acts with the current version (read first) unless `version` is given; `fields` are extra JSON members.
    @discardableResult
    func act(_ action: String, as caller: Caller, _ fields: String = "", version: Int? = nil,
             expect status: HTTPStatus = .ok, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let v: Int
        if let version { v = version } else { v = try await card(caller)["version"]?.int ?? 0 }
        let body = "{\"version\":\(v)" + (fields.isEmpty ? "" : "," + fields) + "}"
        let res = try await app.call(.POST, "\(base)/actions/\(action)", as: caller, json: body)
        #expect(res.status == status, "\(action): \(res.body.string)", sourceLocation: sourceLocation)
        return res.json
    }
}

extension JSONValue {
    /// The clock of a kind on a case card (the latest one started).
    func clock(_ kind: String) -> JSONValue? {
        self["clocks"]?.array.last { $0["kind"]?.string == kind }
    }
    var allowedActions: [String] { self["allowed_actions"]?.array.compactMap { $0["action"]?.string } ?? [] }
}

func at(_ text: String) -> Date { try! TimeText.parseRFC3339(text) }
