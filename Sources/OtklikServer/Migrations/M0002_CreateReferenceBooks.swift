import Fluent
import SQLKit

/// Organisations, thematic blocks, the rubricator and territories: the municipality's reference books.
struct M0002_CreateReferenceBooks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("organisations")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("parent_id", .uuid, .references("organisations", "id"))
            .field("name", .string, .required)
            .field("short_name", .string)
            .field("kind", .string, .required)
            .field("email", .string)
            .field("phone", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("deleted_at", .datetime)
            .create()
        try await database.schema("thematic_blocks")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("lead_user_id", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("deleted_at", .datetime)
            .create()
        try await database.schema("rubrics")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("parent_id", .uuid, .references("rubrics", "id"))
            .field("level", .string, .required)
            .field("name", .string, .required)
            .field("code", .string)
            .field("default_block_id", .uuid, .references("thematic_blocks", "id"))
            .field("default_organisation_id", .uuid, .references("organisations", "id"))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("deleted_at", .datetime)
            .create()
        try await database.schema("territories")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("parent_id", .uuid, .references("territories", "id"))
            .field("name", .string, .required)
            .field("code", .string)
            .field("kind", .string, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("boundary_geojson", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("deleted_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        for table in ["organisations", "thematic_blocks", "rubrics", "territories"] {
            try await sql.create(index: "idx_\(table)_tenant").on(table).column("tenant_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["rubrics", "territories", "thematic_blocks", "organisations"] {
            try await database.schema(table).delete()
        }
    }
}
