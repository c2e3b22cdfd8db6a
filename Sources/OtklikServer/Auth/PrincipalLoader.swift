import Fluent
import Foundation
import OtklikCore
import Vapor

/// Loads a user's grants from `role_assignments`.
enum PrincipalLoader {
    static func principal(for user: User, on db: any Database) async throws -> Principal {
        let userID = try user.requireID()
        let rows = try await RoleAssignment.query(on: db).filter(\.$userID == userID).all()
        let grants = rows.compactMap { row -> Principal.Grant? in
            guard let role = Role(rawValue: row.role) else { return nil }
            return .init(role: role, tenantID: row.tenantID, regionID: row.regionID,
                         organisationID: row.organisationID, blockID: row.blockID)
        }
        return Principal(kind: .user, userID: userID, tokenID: nil, label: user.fullName, grants: grants,
                         mustChangePassword: user.mustChangePassword)
    }
}
