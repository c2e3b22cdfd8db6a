import Fluent
import Foundation

/// One entry of a translation table: a foreign value (category path, organisation, status…) → ours.
final class ImportValueMapping: Model, @unchecked Sendable {
    static let schema = "import_value_mappings"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "foreign_value") var foreignValue: String
    /// `foreign_value` in search form: the unique key, so «В работе» and «в  работе» are one entry.
    @Field(key: "foreign_key") var foreignKey: String
    @Field(key: "target") var target: String
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "updated_by") var updatedBy: String

    init() {}
}
