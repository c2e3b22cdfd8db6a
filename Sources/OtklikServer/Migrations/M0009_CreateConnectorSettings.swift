import Fluent

/// Connectors, part two: the settings of the municipality's outside connections (VK communities, later
/// the Telegram bot, the mail relay, webhook subscribers), each with its secret kept apart from the rest.
struct M0009_CreateConnectorSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("connectors")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("config_json", .string, .required)
            .field("secret", .string)
            .field("enabled", .bool, .required)
            .field("version", .int, .required)
            .field("last_event_at", .datetime)
            .field("last_error", .string)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .unique(on: "tenant_id", "kind", "name", name: "uq_connectors_name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("connectors").delete()
    }
}
