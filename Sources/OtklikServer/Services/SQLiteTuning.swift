import FluentSQLiteDriver

/// Per-connection SQLite settings for bulk writing. sqlite-kit has no hook at connection open, so the
/// intake applies them on the connection it writes with (they are cheap and idempotent).
enum SQLiteTuning {
    static func apply(_ db: any SQLiteDatabase) async throws {
        // The default page cache (2 MB a connection) is smaller than one municipality's case indexes.
        _ = try await db.query("PRAGMA cache_size = -65536", []).get()
        // In WAL mode NORMAL is SQLite's recommended setting: crash-safe and never corrupt; a power cut can
        // lose the last commit. FULL costs an fsync of the log at every commit.
        _ = try await db.query("PRAGMA synchronous = NORMAL", []).get()
        // A bulk commit writes megabytes of log; checkpointing every 4 MB (the default) copies the same
        // index pages back again and again. 32 MB keeps the log small and the copying rarer.
        _ = try await db.query("PRAGMA wal_autocheckpoint = 8192", []).get()
    }
}
