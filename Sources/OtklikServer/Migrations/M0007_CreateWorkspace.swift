import Fluent
import SQLKit

/// The web workspace: the nearest open deadline kept on each case (the queue sorts and filters by it),
/// saved views of the queue, and answer templates.
struct M0007_CreateWorkspace: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cases").field("next_due_at", .datetime).update()
        let sql = database as! any SQLDatabase
        // Cases that already have clocks get their nearest open deadline (the author's rating window aside).
        try await sql.raw("""
            UPDATE cases SET next_due_at = (SELECT MIN(c.due_at) FROM case_clocks c
              WHERE c.case_id = cases.id AND c.stopped_at IS NULL AND c.kind <> 'feedback')
            """).run()
        try await sql.create(index: "idx_cases_tenant_due").on("cases").column("tenant_id").column("next_due_at").column("number").run()

        try await database.schema("saved_views")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("name", .string, .required)
            .field("query", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "tenant_id", "name", name: "uq_saved_views_name")
            .create()

        try await database.schema("answer_templates")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .unique(on: "tenant_id", "title", name: "uq_answer_templates_title")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("answer_templates").delete()
        try await database.schema("saved_views").delete()
        try await (database as! any SQLDatabase).raw("DROP INDEX IF EXISTS idx_cases_tenant_due").run()
        try await database.schema("cases").deleteField("next_due_at").update()
    }
}
