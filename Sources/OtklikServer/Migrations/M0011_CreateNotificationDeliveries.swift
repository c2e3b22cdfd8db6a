import Fluent
import SQLKit

/// Notifications leaving Otklik by e-mail and to the Telegram alert chat: the outbox and its log.
struct M0011_CreateNotificationDeliveries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("notification_deliveries")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("connector_id", .uuid, .required, .references("connectors", "id", onDelete: .cascade))
            .field("channel", .string, .required)
            .field("dedupe_key", .string, .required)
            .field("kind", .string, .required)
            .field("case_id", .uuid)
            .field("user_id", .uuid)
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .unique(on: "connector_id", "dedupe_key", name: "uq_notification_deliveries_key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "idx_notification_deliveries_due").on("notification_deliveries").column("status").column("next_attempt_at").run()
        try await sql.create(index: "idx_notification_deliveries_log").on("notification_deliveries").column("connector_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("notification_deliveries").delete()
    }
}
