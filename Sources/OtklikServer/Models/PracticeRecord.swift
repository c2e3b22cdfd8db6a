import Fluent
import Foundation

/// A best practice or recommendation of the centre.
final class PracticeRecord: Model, @unchecked Sendable {
    static let schema = "practices"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @OptionalField(key: "basis") var basis: String?
    @OptionalField(key: "category_id") var categoryID: UUID?
    @OptionalField(key: "roadmap_id") var roadmapID: UUID?
    @OptionalField(key: "adopted_on") var adoptedOn: String?
    @Field(key: "window_days") var windowDays: Int
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}
