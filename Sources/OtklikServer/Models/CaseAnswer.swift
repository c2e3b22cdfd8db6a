import Fluent
import Foundation

/// One version of a case's answer. Every submission is a new version; returns and approvals mark it.
final class CaseAnswer: Model, @unchecked Sendable {
    static let schema = "case_answers"
    enum State: String { case submitted, returned, approved, published }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "version") var version: Int
    @Field(key: "text") var text: String
    @Field(key: "result") var result: String
    @Field(key: "attachments_json") var attachmentsJSON: String
    @OptionalField(key: "author_user_id") var authorUserID: UUID?
    @Field(key: "author_label") var authorLabel: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "state") var state: String
    @OptionalField(key: "review_comment") var reviewComment: String?
    @OptionalField(key: "reviewer_label") var reviewerLabel: String?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?

    init() {}
}
