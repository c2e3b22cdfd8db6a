import Fluent
import Foundation

/// One running or stopped clock of a case. Deadlines are computed once when the clock starts and kept:
/// a later change of the regulation never moves them; only an approved extension does (recorded).
final class CaseClock: Model, @unchecked Sendable {
    static let schema = "case_clocks"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "rule") var rule: String
    @Field(key: "started_at") var startedAt: Date
    @Field(key: "due_at") var dueAt: Date
    @Field(key: "original_due_at") var originalDueAt: Date
    @OptionalField(key: "remind_at") var remindAt: Date?
    @OptionalField(key: "reminded_at") var remindedAt: Date?
    @OptionalField(key: "stopped_at") var stoppedAt: Date?
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "overdue_at") var overdueAt: Date?
    @Field(key: "escalation_level") var escalationLevel: Int
    @OptionalField(key: "next_escalation_at") var nextEscalationAt: Date?
    @Field(key: "used_fallback") var usedFallback: Bool

    init() {}
}
