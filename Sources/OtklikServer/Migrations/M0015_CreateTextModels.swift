import Fluent

/// The classifier's trained models (one per municipality and label: category, block, organisation) and
/// the municipality's text settings (auto-apply threshold, retraining period, the state of a training).
struct M0015_CreateTextModels: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("text_models")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("target", .string, .required)
            .field("model", .data, .required)
            .field("examples", .int, .required)
            .field("classes", .int, .required)
            .field("holdout_accuracy", .double)
            .field("holdout_macro_f1", .double)
            .field("report_json", .string, .required)
            .field("warnings_json", .string, .required)
            .field("trigger", .string, .required)
            .field("trained_at", .datetime, .required)
            .field("trained_by", .string, .required)
            .field("duration_ms", .int, .required)
            .unique(on: "tenant_id", "target", name: "uq_text_models_tenant_target")
            .create()

        try await database.schema("text_settings")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("auto_apply", .bool, .required)
            .field("threshold", .double, .required)
            .field("retrain_days", .int, .required)
            .field("training_started_at", .datetime)
            .field("training_by", .string)
            .field("last_error", .string)
            .field("version", .int, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .unique(on: "tenant_id", name: "uq_text_settings_tenant")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("text_settings").delete()
        try await database.schema("text_models").delete()
    }
}
