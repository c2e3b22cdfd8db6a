import Fluent
import SQLKit

/// Outbound webhooks: one row per case event per subscriber, with its attempts — the delivery log.
struct M0010_CreateWebhookDeliveries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("webhook_deliveries")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("connector_id", .uuid, .required, .references("connectors", "id", onDelete: .cascade))
            .field("event_id", .uuid, .required)
            .field("case_id", .uuid, .required)
            .field("case_number", .int, .required)
            .field("event_kind", .string, .required)
            .field("payload_json", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime)
            .field("last_status_code", .int)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("delivered_at", .datetime)
            .unique(on: "connector_id", "event_id", name: "uq_webhook_deliveries_event")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "idx_webhook_deliveries_due").on("webhook_deliveries").column("status").column("next_attempt_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("webhook_deliveries").delete()
    }
}
