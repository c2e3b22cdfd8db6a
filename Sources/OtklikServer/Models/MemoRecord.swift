import Fluent
import Foundation

/// A generated weekly memo kept as the DOCX the head received: the archive of «аналитические записки».
final class MemoRecord: Model, @unchecked Sendable {
    static let schema = "memos"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "period_from") var periodFrom: Date
    @Field(key: "period_to") var periodTo: Date
    /// `schedule` (Monday morning) or `manual`.
    @Field(key: "trigger") var trigger: String
    @Field(key: "docx") var docx: Data
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "created_by") var createdBy: String
    init() {}
}
