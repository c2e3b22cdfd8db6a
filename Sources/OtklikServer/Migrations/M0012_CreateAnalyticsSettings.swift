import Fluent

/// Per-municipality analytics settings (rating weights).
struct M0012_CreateAnalyticsSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("analytics_settings")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("weights_json", .string, .required)
            .field("version", .int, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .unique(on: "tenant_id", name: "uq_analytics_settings_tenant")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("analytics_settings").delete()
    }
}
