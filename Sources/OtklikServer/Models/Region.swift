import Fluent
import Foundation

/// A region (субъект РФ): the level above municipalities that a regional centre (ЦУР) reads.
/// Regions sit above tenants, so this is one of the few tables without `tenant_id`.
final class Region: Model, @unchecked Sendable {
    static let schema = "regions"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "code") var code: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(id: UUID? = nil, name: String, code: String) {
        self.id = id; self.name = name; self.code = code
    }
}
