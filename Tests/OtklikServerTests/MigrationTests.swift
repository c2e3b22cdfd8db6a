import Fluent
import Foundation
@testable import OtklikServer
import SQLKit
import Testing
import Vapor

@Suite("Миграции")
struct MigrationTests {
    @Test("Все миграции откатываются и накатываются заново", arguments: TestDB.all)
    func upDownUp(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            try await app.autoRevert()
            let sql = app.db as! any SQLDatabase
            let tables: [String]
            switch db {
            case .sqlite:
                struct Row: Decodable { var name: String }
                tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    .all(decoding: Row.self).map(\.name)
            case .postgres:
                struct Row: Decodable { var tablename: String }
                tables = try await sql.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                    .all(decoding: Row.self).map(\.tablename)
            }
            #expect(tables.filter { $0 != "_fluent_migrations" }.isEmpty, "после отката остались таблицы: \(tables)")
            try await app.autoMigrate()
            _ = try await Fixture.make(app)
            #expect(try await Municipality.query(on: app.db).count() == 2)
        }
    }
}
