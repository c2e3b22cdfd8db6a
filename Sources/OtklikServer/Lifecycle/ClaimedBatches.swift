import Fluent
import Foundation
import SQLKit

/// The monitors' way through due rows: claim up to `batch` rows whose `condition` holds at `now`
/// (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so each instance takes its own), apply and save them in one
/// transaction, repeat until a claim comes back short. Returns how many rows were claimed.
enum ClaimedBatches {
    private struct ClaimedID: Decodable { var id: UUID }

    static func drain<M: Model>(_ type: M.Type, on db: any Database, where condition: String, now: Date, order: String, batch: Int = 100,
                                _ apply: @escaping @Sendable (M, any Database) async throws -> Void) async throws -> Int where M.IDValue == UUID {
        var total = 0
        while true {
            let claimed = try await db.transaction { tx in
                try await SQLiteWriteLock.acquire(tx)
                let sql = tx as! any SQLDatabase
                let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
                let ids = try await sql.raw("SELECT id FROM \(unsafeRaw: M.schema) WHERE \(unsafeRaw: condition) \(bind: now) ORDER BY \(unsafeRaw: order) LIMIT \(unsafeRaw: String(batch))\(unsafeRaw: lock)")
                    .all(decoding: ClaimedID.self).map(\.id)
                guard !ids.isEmpty else { return 0 }
                for row in try await M.query(on: tx).filter(\._$id ~~ ids).all() {
                    try await apply(row, tx)
                    try await row.update(on: tx)
                }
                return ids.count
            }
            total += claimed
            if claimed < batch { return total }
        }
    }
}
