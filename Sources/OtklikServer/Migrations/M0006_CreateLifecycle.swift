import Fluent
import SQLKit

/// The lifecycle: state columns on cases, clocks, answer versions, regulation settings, notifications,
/// the tenants' production calendar years, and the indexes the queues and the deadline monitor read.
struct M0006_CreateLifecycle: AsyncMigration {
    /// Columns added to `cases` one statement each (SQLite alters one column at a time).
    static let caseColumns: [(String, DatabaseSchema.DataType, [DatabaseSchema.FieldConstraint])] = [
        ("urgent", .bool, [.required, .sql(.default(false))]),
        ("reopen_count", .int, [.required, .sql(.default(0))]),
        ("return_count", .int, [.required, .sql(.default(0))]),
        ("extensions_used", .int, [.required, .sql(.default(0))]),
        ("extension_request_json", .string, []),
        ("first_response_at", .datetime, []),
        ("duplicate_of_id", .uuid, []),
        ("forwarded_to", .string, []),
        ("feedback_rating", .int, []),
        ("feedback_comment", .string, []),
        ("accepted_by_silence", .bool, [.required, .sql(.default(false))]),
        ("closed_at", .datetime, []),
    ]

    func prepare(on database: any Database) async throws {
        for (name, type, constraints) in Self.caseColumns {
            var builder = database.schema("cases")
            builder = builder.field(.definition(name: .key(.init(stringLiteral: name)), dataType: type, constraints: constraints))
            try await builder.update()
        }

        try await database.schema("case_clocks")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("kind", .string, .required)
            .field("rule", .string, .required)
            .field("started_at", .datetime, .required)
            .field("due_at", .datetime, .required)
            .field("original_due_at", .datetime, .required)
            .field("remind_at", .datetime)
            .field("reminded_at", .datetime)
            .field("stopped_at", .datetime)
            .field("outcome", .string)
            .field("overdue_at", .datetime)
            .field("escalation_level", .int, .required)
            .field("next_escalation_at", .datetime)
            .field("used_fallback", .bool, .required)
            .create()

        try await database.schema("case_answers")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("version", .int, .required)
            .field("text", .string, .required)
            .field("result", .string, .required)
            .field("attachments_json", .string, .required)
            .field("author_user_id", .uuid, .references("users", "id"))
            .field("author_label", .string, .required)
            .field("created_at", .datetime, .required)
            .field("state", .string, .required)
            .field("review_comment", .string)
            .field("reviewer_label", .string)
            .field("reviewed_at", .datetime)
            .unique(on: "case_id", "version", name: "uq_case_answers_version")
            .create()

        try await database.schema("regulation_settings")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("scope", .string, .required)            // channel | override
            .field("profile_key", .string)                  // nil only for an override of every channel
            .field("category_id", .uuid, .references("rubrics", "id"))
            .field("urgent", .bool)
            .field("take_in_work", .string)
            .field("first_response", .string)
            .field("forward", .string)
            .field("final_answer", .string)
            .field("assignment_limit", .string)
            .field("feedback_window", .string)
            .field("silence_accepts", .bool)
            .field("max_extensions", .int)
            .field("max_extension_days", .int)
            .field("reminder_minutes", .int)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .create()

        try await database.schema("notifications")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("kind", .string, .required)
            .field("case_id", .uuid, .references("cases", "id"))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            // One notification per (event, recipient), whatever the number of app instances.
            .field("dedupe_key", .string, .required)
            .unique(on: "dedupe_key", name: "uq_notifications_dedupe")
            .create()

        try await database.schema("calendar_years")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("year", .int, .required)
            .field("days_json", .string, .required)
            .field("imported_at", .datetime, .required)
            .field("imported_by", .string, .required)
            .unique(on: "tenant_id", "year", name: "uq_calendar_years")
            .create()

        let sql = database as! any SQLDatabase
        // The deadline monitor's three scans, each over the open clocks only.
        try await sql.raw("CREATE INDEX idx_clocks_due ON case_clocks (due_at) WHERE stopped_at IS NULL AND overdue_at IS NULL").run()
        try await sql.raw("CREATE INDEX idx_clocks_remind ON case_clocks (remind_at) WHERE stopped_at IS NULL AND reminded_at IS NULL").run()
        try await sql.raw("CREATE INDEX idx_clocks_escalate ON case_clocks (next_escalation_at) WHERE stopped_at IS NULL").run()
        try await sql.create(index: "idx_clocks_case").on("case_clocks").column("case_id").run()
        try await sql.create(index: "idx_answers_case").on("case_answers").column("case_id").run()
        try await sql.create(index: "idx_regulation_tenant").on("regulation_settings").column("tenant_id").run()
        try await sql.create(index: "idx_notifications_user").on("notifications").column("user_id").column("created_at").run()
        // Queues: by status and by organisation, newest first.
        try await sql.create(index: "idx_cases_tenant_status").on("cases").column("tenant_id").column("status").column("received_at").run()
        try await sql.create(index: "idx_cases_tenant_org").on("cases").column("tenant_id").column("organisation_id").column("status").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX IF EXISTS idx_cases_tenant_status").run()
        try await sql.raw("DROP INDEX IF EXISTS idx_cases_tenant_org").run()
        for table in ["calendar_years", "notifications", "regulation_settings", "case_answers", "case_clocks"] {
            try await database.schema(table).delete()
        }
        for (name, _, _) in Self.caseColumns.reversed() {
            try await database.schema("cases").deleteField(.key(.init(stringLiteral: name))).update()
        }
    }
}
