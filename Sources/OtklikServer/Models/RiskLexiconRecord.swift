import Fluent
import Foundation

/// A municipality's own word list for one risk signal (JSON array of entries).
final class RiskLexiconRecord: Model, @unchecked Sendable {
    static let schema = "risk_lexicons"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "signal") var signal: String
    @Field(key: "entries_json") var entriesJSON: String
    @Field(key: "version") var version: Int
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "updated_by") var updatedBy: String
    init() {}
}
