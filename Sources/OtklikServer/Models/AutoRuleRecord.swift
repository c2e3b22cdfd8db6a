import Fluent
import Foundation
import OtklikCore

/// A stored auto-rule: its conditions and actions as the JSON of `RuleConditions` / `RuleActions`.
final class AutoRuleRecord: Model, @unchecked Sendable {
    static let schema = "auto_rules"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @Field(key: "enabled") var enabled: Bool
    @Field(key: "stop") var stop: Bool
    @Field(key: "conditions_json") var conditionsJSON: String
    @Field(key: "actions_json") var actionsJSON: String
    @Field(key: "version") var version: Int
    @Field(key: "matched_count") var matchedCount: Int
    @OptionalField(key: "last_matched_at") var lastMatchedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "created_by") var createdBy: String
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "updated_by") var updatedBy: String
    init() {}

    var rule: AutoRule {
        let decoder = JSONDecoder()
        let conditions = (try? decoder.decode(RuleConditions.self, from: Data(conditionsJSON.utf8))) ?? RuleConditions()
        let actions = (try? decoder.decode(RuleActions.self, from: Data(actionsJSON.utf8))) ?? RuleActions()
        return AutoRule(name: name, conditions: conditions, actions: actions, stop: stop)
    }
}
