import Fluent
import Foundation

/// An in-app notification (reminder, overdue, escalation, return for rework…) for one user.
final class NotificationRecord: Model, @unchecked Sendable {
    static let schema = "notifications"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "kind") var kind: String
    @OptionalField(key: "case_id") var caseID: UUID?
    @OptionalField(key: "risk_id") var riskID: UUID?
    @OptionalField(key: "assignment_id") var assignmentID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?
    @Field(key: "dedupe_key") var dedupeKey: String

    init() {}
}
