import FluentKit
import FluentSQLiteDriver
import Foundation
import SQLKit

/// A value of a bulk-inserted row, before it is encoded for a particular database.
enum SQLCell: Sendable {
    case null, text(String), int(Int), double(Double), uuid(UUID), date(Date), bool(Bool)

    static func text(_ s: String?) -> SQLCell { s.map(SQLCell.text) ?? .null }
    static func double(_ d: Double?) -> SQLCell { d.map(SQLCell.double) ?? .null }
    static func uuid(_ u: UUID?) -> SQLCell { u.map(SQLCell.uuid) ?? .null }
    static func date(_ d: Date?) -> SQLCell { d.map(SQLCell.date) ?? .null }
    static func int(_ i: Int?) -> SQLCell { i.map(SQLCell.int) ?? .null }

    /// Exactly what sqlite-kit's encoder produces for the same Swift value (UUIDs as their uppercase
    /// string, dates as seconds since 1970), so rows written here read back through Fluent models.
    var sqlite: SQLiteData {
        switch self {
        case .null: .null
        case .text(let s): .text(s)
        case .int(let i): .integer(i)
        case .double(let d): .float(d)
        case .uuid(let u): .text(u.upperHexString)
        case .date(let d): .float(d.timeIntervalSince1970)
        case .bool(let b): .integer(b ? 1 : 0)
        }
    }

    /// A literal NULL rather than a typed bind: PostgreSQL refuses a NULL typed as text in a uuid column.
    var expression: any SQLExpression {
        switch self {
        case .null: SQLLiteral.null
        case .text(let s): SQLBind(s)
        case .int(let i): SQLBind(i)
        case .double(let d): SQLBind(d)
        case .uuid(let u): SQLBind(u)
        case .date(let d): SQLBind(d)
        case .bool(let b): SQLBind(b)
        }
    }
}

/// Multi-row INSERT. On SQLite the statement text is built once and values are bound directly, which
/// halves the cost of bulk intake compared with SQLKit's generic serialisation and `Encodable` binding
/// (measured by bench/); other databases go through SQLKit. Both paths are covered by the same tests.
enum BulkInsert {
    static func run(on db: any Database, table: String, columns: [String], rows: [[SQLCell]],
                    rowsPerStatement: Int) async throws {
        guard !rows.isEmpty else { return }
        if let sqlite = db as? any SQLiteDatabase {
            let head = "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES "
            let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            for chunk in rows.chunked(rowsPerStatement) {
                let sql = head + Array(repeating: tuple, count: chunk.count).joined(separator: ", ")
                var binds: [SQLiteData] = []
                binds.reserveCapacity(chunk.count * columns.count)
                for row in chunk { for cell in row { binds.append(cell.sqlite) } }
                _ = try await sqlite.query(sql, binds).get()
            }
        } else {
            let sql = db as! any SQLDatabase
            for chunk in rows.chunked(rowsPerStatement) {
                let insert = sql.insert(into: table).columns(columns)
                for row in chunk { insert.values(row.map(\.expression)) }
                try await insert.run()
            }
        }
    }
}
