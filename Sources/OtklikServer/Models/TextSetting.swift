import Fluent
import Foundation

/// A municipality's text settings: whether and above which confidence suggestions apply themselves, how
/// often the models are retrained, and the claim of a training under way (one at a time per municipality).
final class TextSetting: Model, @unchecked Sendable {
    static let schema = "text_settings"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "auto_apply") var autoApply: Bool
    @Field(key: "threshold") var threshold: Double
    @Field(key: "retrain_days") var retrainDays: Int
    @OptionalField(key: "training_started_at") var trainingStartedAt: Date?
    @OptionalField(key: "training_by") var trainingBy: String?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "version") var version: Int
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "updated_by") var updatedBy: String
    init() {}
}
