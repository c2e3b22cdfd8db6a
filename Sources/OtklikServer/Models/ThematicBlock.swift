import Fluent
import Foundation

/// A thematic block (отраслевой блок) with its lead, e.g. «Образование» or «Дороги» (decree 004).
final class ThematicBlock: Model, @unchecked Sendable {
    static let schema = "thematic_blocks"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @OptionalField(key: "lead_user_id") var leadUserID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Timestamp(key: "deleted_at", on: .delete) var deletedAt: Date?

    init() {}
    init(id: UUID? = nil, tenantID: UUID, code: String, name: String, leadUserID: UUID? = nil) {
        self.id = id; self.tenantID = tenantID; self.code = code; self.name = name; self.leadUserID = leadUserID
    }
}
