import Fluent
import Foundation
import OtklikCore

/// One entry of a case's append-only history: who did what, when, with which details.
final class CaseEvent: Model, @unchecked Sendable {
    static let schema = "case_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "kind") var kind: String
    @OptionalField(key: "actor_user_id") var actorUserID: UUID?
    @Field(key: "actor_label") var actorLabel: String
    @Field(key: "occurred_at") var occurredAt: Date
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "details_json") var detailsJSON: String

    init() {}

    /// A history entry with a fresh time-ordered id, as the lifecycle, the monitor and imports write them.
    init(tenantID: UUID, caseID: UUID, kind: String, actorUserID: UUID?, actorLabel: String, at now: Date,
         comment: String? = nil, details: [String: String]) {
        self.id = TimeOrderedUUID.make(at: now)
        self.tenantID = tenantID
        self.caseID = caseID
        self.kind = kind
        self.actorUserID = actorUserID
        self.actorLabel = actorLabel
        self.occurredAt = now
        self.comment = comment
        self.detailsJSON = JSONText.object(details)
    }
}
