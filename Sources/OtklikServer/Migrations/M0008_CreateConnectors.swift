import Fluent
import SQLKit

/// Connectors, part one: spreadsheet import profiles, the tables that translate foreign values to ours,
/// import runs with their files and reports, and what a case keeps of its source's state.
struct M0008_CreateConnectors: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per ALTER: SQLite adds a single column per statement.
        try await database.schema("cases").field("source_status", .string).update()
        try await database.schema("cases").field("source_fields_json", .string).update()

        try await database.schema("import_profiles")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("channel", .string, .required)
            .field("definition_json", .string, .required)
            .field("version", .int, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .unique(on: "tenant_id", "name", name: "uq_import_profiles_name")
            .create()

        try await database.schema("import_value_mappings")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("kind", .string, .required)
            .field("foreign_value", .string, .required)
            .field("foreign_key", .string, .required)
            .field("target", .string, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .unique(on: "tenant_id", "kind", "foreign_key", name: "uq_import_value_mappings_key")
            .create()

        try await database.schema("import_runs")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("profile_id", .uuid, .required, .references("import_profiles", "id"))
            .field("file_name", .string, .required)
            .field("file_size", .int, .required)
            .field("file_data", .data)
            .field("status", .string, .required)
            .field("preview_json", .string)
            .field("total_rows", .int, .required)
            .field("processed_rows", .int, .required)
            .field("created_count", .int, .required)
            .field("updated_count", .int, .required)
            .field("unchanged_count", .int, .required)
            .field("rejected_count", .int, .required)
            .field("report_json", .string)
            .field("error", .string)
            .field("created_by_id", .uuid)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "idx_import_runs_tenant_created").on("import_runs").column("tenant_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX IF EXISTS idx_import_runs_tenant_created").run()
        try await database.schema("import_runs").delete()
        try await database.schema("import_value_mappings").delete()
        try await database.schema("import_profiles").delete()
        try await database.schema("cases").deleteField("source_fields_json").update()
        try await database.schema("cases").deleteField("source_status").update()
    }
}
