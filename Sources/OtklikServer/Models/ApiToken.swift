import Fluent
import Foundation

/// A bearer token for an integration. Only its SHA-256 is stored; the token is shown once at creation.
final class ApiToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    /// First characters of the token, so that people can tell their tokens apart.
    @Field(key: "prefix") var prefix: String
    /// The role the integration acts with (e.g. channel_operator for intake).
    @Field(key: "role") var role: String
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}
    init(id: UUID? = nil, tenantID: UUID, name: String, tokenHash: String, prefix: String, role: String, createdBy: UUID?) {
        self.id = id; self.tenantID = tenantID; self.name = name; self.tokenHash = tokenHash
        self.prefix = prefix; self.role = role; self.createdBy = createdBy
    }
}
