import Foundation
import OtklikCore
import Vapor

/// Who is acting: a signed-in user or an integration's API token, with the roles they hold.
struct Principal: Authenticatable, Sendable {
    enum Kind: Sendable { case user, token }

    struct Grant: Sendable, Equatable {
        var role: Role
        var tenantID: UUID?
        var regionID: UUID?
        var organisationID: UUID?
        var blockID: UUID?
    }

    var kind: Kind
    var userID: UUID?
    var tokenID: UUID?
    /// How the actor is named in histories and the audit log.
    var label: String
    var grants: [Grant]
    /// A one-time password from the administrator must be replaced before any work (web pages).
    var mustChangePassword = false

    var isPlatformAdmin: Bool { grants.contains { $0.role == .platformAdmin } }

    /// The grants that apply inside one municipality.
    func grants(in municipality: Municipality) -> [Grant] {
        grants.filter { grant in
            switch grant.role.scope {
            case .platform: true
            case .region: grant.regionID != nil && grant.regionID == municipality.regionID
            case .municipality: grant.tenantID == municipality.id
            }
        }
    }
}

extension Request {
    /// The authenticated principal, or a 401 problem.
    func principal() throws -> Principal {
        guard let principal = auth.get(Principal.self) else { throw Problem.unauthorized }
        return principal
    }
}
