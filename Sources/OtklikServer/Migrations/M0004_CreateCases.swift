import Fluent
import SQLKit

/// Cases and their append-only event history.
struct M0004_CreateCases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cases")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("number", .int, .required)
            .field("channel", .string, .required)
            .field("external_id", .string)
            .field("received_at", .datetime, .required)
            .field("legal_regime", .string, .required)
            .field("status", .string, .required)
            .field("result", .string)
            .field("title", .string)
            .field("text", .string, .required)
            .field("search_text", .string, .required)
            .field("source_url", .string)
            .field("platform", .string)
            .field("publication_kind", .string)
            .field("author_name", .string)
            .field("author_phone", .string)
            .field("author_email", .string)
            .field("author_profile_url", .string)
            .field("address", .string)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("territory_id", .uuid, .references("territories", "id"))
            .field("attachments_json", .string, .required)
            .field("source_category", .string)
            .field("source_deadline", .datetime)
            .field("category_id", .uuid, .references("rubrics", "id"))
            .field("block_id", .uuid, .references("thematic_blocks", "id"))
            .field("organisation_id", .uuid, .references("organisations", "id"))
            .field("executor_id", .uuid, .references("users", "id"))
            .field("tags_json", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            // Idempotent intake: the same message from the same channel is one case.
            .unique(on: "tenant_id", "channel", "external_id", name: "uq_cases_source")
            .unique(on: "tenant_id", "number", name: "uq_cases_number")
            .create()
        try await database.schema("case_events")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("kind", .string, .required)
            .field("actor_user_id", .uuid, .references("users", "id"))
            .field("actor_label", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("comment", .string)
            .field("details_json", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        // The list's default order (newest first) and its keyset cursor.
        try await sql.create(index: "idx_cases_tenant_received").on("cases")
            .column("tenant_id").column("received_at").column("number").run()
        // Indexes for queues (status, organisation, deadline) come with the queries that need them.
        try await sql.create(index: "idx_case_events_case").on("case_events").column("case_id").column("occurred_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("case_events").delete()
        try await database.schema("cases").delete()
    }
}
