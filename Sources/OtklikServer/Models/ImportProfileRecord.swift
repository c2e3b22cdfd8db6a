import Fluent
import Foundation

/// A tenant's saved spreadsheet mapping profile; `definition_json` holds the core `ImportProfile`.
final class ImportProfileRecord: Model, @unchecked Sendable {
    static let schema = "import_profiles"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @Field(key: "channel") var channel: String
    @Field(key: "definition_json") var definitionJSON: String
    @Field(key: "version") var version: Int
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "updated_by") var updatedBy: String

    init() {}
}
