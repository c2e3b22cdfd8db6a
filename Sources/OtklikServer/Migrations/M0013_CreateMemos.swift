import Fluent
import SQLKit

/// The archive of weekly memos; one scheduled memo per municipality and week, whichever instance makes it.
struct M0013_CreateMemos: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("memos")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("period_from", .datetime, .required)
            .field("period_to", .datetime, .required)
            .field("trigger", .string, .required)
            .field("docx", .data, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "idx_memos_tenant_created").on("memos").column("tenant_id").column("created_at").run()
        // Partial unique index: the scheduled memo of a week exists once; manual ones as often as asked.
        try await sql.raw("CREATE UNIQUE INDEX uq_memos_scheduled_week ON memos (tenant_id, period_from) WHERE trigger = 'schedule'").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("memos").delete()
    }
}
