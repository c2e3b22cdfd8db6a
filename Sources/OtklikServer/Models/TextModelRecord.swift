import Fluent
import Foundation

/// A trained classifier of one municipality for one label (category, block, organisation): the model file
/// as `otklik model train` writes it, with the figures of its held-out check.
final class TextModelRecord: Model, @unchecked Sendable {
    static let schema = "text_models"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "target") var target: String
    @Field(key: "model") var model: Data
    @Field(key: "examples") var examples: Int
    @Field(key: "classes") var classes: Int
    @OptionalField(key: "holdout_accuracy") var holdoutAccuracy: Double?
    @OptionalField(key: "holdout_macro_f1") var holdoutMacroF1: Double?
    /// The held-out per-class rows as JSON [{label, precision, recall, f1, support}].
    @Field(key: "report_json") var reportJSON: String
    @Field(key: "warnings_json") var warningsJSON: String
    /// schedule | manual | demo
    @Field(key: "trigger") var trigger: String
    @Field(key: "trained_at") var trainedAt: Date
    @Field(key: "trained_by") var trainedBy: String
    @Field(key: "duration_ms") var durationMS: Int
    init() {}
}
