import Fluent
import OtklikCore
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

    /// A new version of a case's answer, time-ordered by when it was written.
    init(tenantID: UUID, caseID: UUID, version: Int, text: String, result: String, attachmentsJSON: String,
         authorUserID: UUID?, authorLabel: String, at now: Date, state: State) {
        id = TimeOrderedUUID.make(at: now)
        self.tenantID = tenantID
        self.caseID = caseID
        self.version = version
        self.text = text
        self.result = result
        self.attachmentsJSON = attachmentsJSON
        self.authorUserID = authorUserID
        self.authorLabel = authorLabel
        createdAt = now
        self.state = state.rawValue
    }
}
