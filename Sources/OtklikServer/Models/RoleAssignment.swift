import Fluent
import Foundation

/// One role a user holds: in a municipality (`tenant_id`), in a region (`region_id`, for ЦУР) or on the
/// whole platform (both nil). Executors and organisation heads name their organisation; block leads their block.
final class RoleAssignment: Model, @unchecked Sendable {
    static let schema = "role_assignments"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @OptionalField(key: "tenant_id") var tenantID: UUID?
    @OptionalField(key: "region_id") var regionID: UUID?
    @Field(key: "role") var role: String
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "block_id") var blockID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(id: UUID? = nil, userID: UUID, tenantID: UUID?, regionID: UUID? = nil, role: String,
         organisationID: UUID? = nil, blockID: UUID? = nil) {
        self.id = id; self.userID = userID; self.tenantID = tenantID; self.regionID = regionID
        self.role = role; self.organisationID = organisationID; self.blockID = blockID
    }
}
