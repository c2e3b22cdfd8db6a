import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Volume of the slice split by one dimension, next to the previous period, and week by week.
struct VolumeBreakdown {
    enum Dimension: String, CaseIterable, Sendable {
        case channel, block, organisation, territory, category

        var column: String {
            switch self {
            case .channel: "channel"
            case .block: "block_id"
            case .organisation: "organisation_id"
            case .territory: "territory_id"
            case .category: "category_id"
            }
        }

        /// A spreadsheet's sheet name.
        var plural: String {
            switch self {
            case .channel: "Каналы"
            case .block: "Блоки"
            case .organisation: "Организации"
            case .territory: "Территории"
            case .category: "Темы"
            }
        }

        var title: String {
            switch self {
            case .channel: "По каналам"
            case .block: "По тематическим блокам"
            case .organisation: "По организациям"
            case .territory: "По территориям"
            case .category: "По темам"
            }
        }
    }

    struct Item: Sendable, Equatable {
        /// The channel code or the id as text; nil for cases without this attribute.
        var key: String?
        var count: Int
        var previous: Int
    }

    let db: any SQLDatabase

    init(db: any Database) { self.db = db as! any SQLDatabase }

    /// Largest first; at most `limit` items.
    func by(_ dimension: Dimension, _ slice: AnalyticsSlice, limit: Int = 12) async throws -> [Item] {
        // Channels are text, the others UUIDs (stored differently by the two drivers): decoded as such.
        struct TextRow: Decodable { var k: String?; var n: Int }
        struct IDRow: Decodable { var k: UUID?; var n: Int }
        func counts(_ s: AnalyticsSlice) async throws -> [String?: Int] {
            let q = db.select()
                .column(SQLColumn(dimension.column, table: "cases"), as: "k")
                .column(SQLRaw("COUNT(*)"), as: "n")
                .from("cases").where(s.conditions())
                .groupBy(SQLColumn(dimension.column, table: "cases"))
            if dimension == .channel {
                return Dictionary(try await q.all(decoding: TextRow.self).map { ($0.k, $0.n) }, uniquingKeysWith: +)
            }
            return Dictionary(try await q.all(decoding: IDRow.self).map { ($0.k?.uuidString, $0.n) }, uniquingKeysWith: +)
        }
        let now = try await counts(slice)
        let before = try await counts(slice.over(slice.period.previous))
        return now.map { Item(key: $0.key, count: $0.value, previous: before[$0.key] ?? 0) }
            .sorted { ($0.count, $0.key ?? "") > ($1.count, $1.key ?? "") }
            .prefix(limit).map { $0 }
    }

    /// Counts of the `weeks` weeks ending with the slice's period end (week = 7 days back from `to`).
    func weekly(_ slice: AnalyticsSlice, weeks: Int = 12) async throws -> [(start: Date, count: Int)] {
        let origin = slice.period.to.addingTimeInterval(-Double(weeks) * 7 * 86_400)
        var s = slice
        s.period = try AnalyticsPeriod(from: origin, to: slice.period.to)
        let bucket = Self.weekBucket(db, origin: origin)
        struct Row: Decodable { var b: Double; var n: Int }
        let rows = try await db.select().column(bucket, as: "b").column(SQLRaw("COUNT(*)"), as: "n")
            .from("cases").where(s.conditions()).groupBy(SQLRaw("1")).all(decoding: Row.self)
        var counts = Array(repeating: 0, count: weeks)
        for r in rows { let i = Int(r.b); if i >= 0 && i < weeks { counts[i] += r.n } }
        return counts.enumerated().map { (origin.addingTimeInterval(Double($0.offset) * 7 * 86_400), $0.element) }
    }

    /// Week-by-week counts per value of `dimension` over the `weeks` weeks ending with the period, largest
    /// totals first.
    func weeklyBy(_ dimension: Dimension, _ slice: AnalyticsSlice, weeks: Int = 12) async throws -> [(key: String?, counts: [Int])] {
        let origin = slice.period.to.addingTimeInterval(-Double(weeks) * 7 * 86_400)
        var s = slice
        s.period = try AnalyticsPeriod(from: origin, to: slice.period.to)
        let q = db.select().column(SQLColumn(dimension.column, table: "cases"), as: "k").column(Self.weekBucket(db, origin: origin), as: "b")
            .column(SQLRaw("COUNT(*)"), as: "n").from("cases").where(s.conditions()).groupBy(SQLRaw("1")).groupBy(SQLRaw("2"))
        struct TextRow: Decodable { var k: String?; var b: Double; var n: Int }
        struct IDRow: Decodable { var k: UUID?; var b: Double; var n: Int }
        let rows: [(String?, Double, Int)] = dimension == .channel
            ? try await q.all(decoding: TextRow.self).map { ($0.k, $0.b, $0.n) }
            : try await q.all(decoding: IDRow.self).map { ($0.k?.uuidString, $0.b, $0.n) }
        var out: [String?: [Int]] = [:]
        for (k, b, n) in rows where b >= 0 && Int(b) < weeks { out[k, default: Array(repeating: 0, count: weeks)][Int(b)] += n }
        return out.map { (key: $0.key, counts: $0.value) }
            .sorted { ($0.counts.reduce(0, +), $0.key ?? "") > ($1.counts.reduce(0, +), $1.key ?? "") }
    }

    /// Whole weeks since `origin` of a case's receipt, in SQL both databases read.
    static func weekBucket(_ db: any SQLDatabase, origin: Date) -> SQLQueryString {
        bucket(db, origin: origin, length: 7 * 86_400)
    }

    /// Whole periods of `length` seconds since `origin` of a case's receipt.
    static func bucket(_ db: any SQLDatabase, origin: Date, length: TimeInterval) -> SQLQueryString {
        db.dialect.name == "postgresql"
            ? SQLQueryString("FLOOR((EXTRACT(EPOCH FROM cases.received_at) - \(bind: origin.timeIntervalSince1970)) / \(unsafeRaw: String(Int(length))))")
            : SQLQueryString("CAST((cases.received_at - \(bind: origin.timeIntervalSince1970)) / \(unsafeRaw: String(Int(length))) AS INTEGER)")
    }
}
