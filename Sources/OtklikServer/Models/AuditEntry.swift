import Fluent
import Foundation

/// One audited write: who, when, what, before and after. `tenant_id` is nil for platform-level writes.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_log"
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "tenant_id") var tenantID: UUID?
    @OptionalField(key: "actor_user_id") var actorUserID: UUID?
    @Field(key: "actor_label") var actorLabel: String
    @Field(key: "action") var action: String
    @Field(key: "entity") var entity: String
    @OptionalField(key: "entity_id") var entityID: String?
    @OptionalField(key: "before_json") var beforeJSON: String?
    @OptionalField(key: "after_json") var afterJSON: String?
    @Field(key: "occurred_at") var occurredAt: Date

    init() {}
    init(tenantID: UUID?, actorUserID: UUID?, actorLabel: String, action: String, entity: String,
         entityID: String?, beforeJSON: String?, afterJSON: String?, occurredAt: Date) {
        self.tenantID = tenantID; self.actorUserID = actorUserID; self.actorLabel = actorLabel
        self.action = action; self.entity = entity; self.entityID = entityID
        self.beforeJSON = beforeJSON; self.afterJSON = afterJSON; self.occurredAt = occurredAt
    }
}
