import Crypto
import Fluent
import Foundation
import OtklikCore
import Vapor

/// `Authorization: Bearer otk_…` for integrations. Tokens are looked up by their SHA-256.
struct TokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        request.auth.login(try await Self.principal(token: bearer.token, on: request.db))
    }

    /// The integration a token stands for; also the `api_key` of Open311 clients.
    static func principal(token raw: String, on db: any Database) async throws -> Principal {
        let hash = ApiTokens.hash(raw)
        guard let token = try await ApiToken.query(on: db)
            .filter(\.$tokenHash == hash).filter(\.$revokedAt == nil).first(),
            let role = Role(rawValue: token.role) else {
            // A wrong token is an error, not an anonymous request: say so plainly.
            throw Problem(.unauthorized, "Неверный API-токен", detail: "Токен не найден или отозван.")
        }
        let now = Date()
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            token.lastUsedAt = now
            try await token.save(on: db)
        }
        return Principal(kind: .token, userID: nil, tokenID: token.id, label: "API-токен «\(token.name)»",
                         grants: [.init(role: role, tenantID: token.tenantID)])
    }
}

enum ApiTokens {
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new token: `otk_` and 43 URL-safe characters (256 random bits).
    static func generate() -> String {
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        return "otk_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
