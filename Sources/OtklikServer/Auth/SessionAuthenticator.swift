import Fluent
import Foundation
import Vapor

/// Restores the signed-in user from the session cookie.
struct SessionAuthenticator: AsyncSessionAuthenticator {
    typealias User = Principal

    func authenticate(sessionID: String, for request: Request) async throws {
        guard let id = UUID(uuidString: sessionID),
              let user = try await OtklikServer.User.find(id, on: request.db), user.isActive else { return }
        request.auth.login(try await PrincipalLoader.principal(for: user, on: request.db))
    }
}

extension Principal: SessionAuthenticatable {
    var sessionID: String { userID?.uuidString ?? "" }
}
