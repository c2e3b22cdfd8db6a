import Fluent
import SQLKit

/// SQLite (WAL) refuses to upgrade a transaction that has read to a writer once another writer has
/// committed (SQLITE_BUSY_SNAPSHOT, which the busy handler does not retry). Transactions that read and
/// then write start with a write, so they take the write lock first and wait for each other instead.
enum SQLiteWriteLock {
    static func acquire(_ tx: any Database) async throws {
        guard let sql = tx as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        // A write statement takes the lock even when it changes no row.
        try await sql.raw("UPDATE tenant_counters SET value = value WHERE name = ''").run()
    }
}
