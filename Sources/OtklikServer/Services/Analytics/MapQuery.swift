import Fluent
import Foundation
import OtklikCore
import SQLKit

/// What the municipality map shows for a slice: the territories that have a boundary with the tallies of
/// their cases (a microdistrict's cases count in the district that has the boundary), and the cases with
/// coordinates binned into a grid in SQL — a year of a large city is a few hundred circles, not a
/// hundred thousand points.
struct MapQuery {
    struct BoundedTerritory: Sendable {
        var id: UUID
        var name: String
        var shape: GeoShape
        var tally: HeatMapQuery.Tally
    }

    /// Grid cells across the picture's larger side.
    static let gridCells = 64.0

    let db: any SQLDatabase

    init(db: any Database) { self.db = db as! any SQLDatabase }

    func territories(_ slice: AnalyticsSlice, now: Date, books: ReferenceOptions, on database: any Database) async throws -> [BoundedTerritory] {
        let bounded = try await Territory.query(on: database).filter(\.$tenantID == slice.tenantID)
            .filter(\.$boundaryGeoJSON != nil).all()
        guard !bounded.isEmpty else { return [] }
        struct Row: Decodable { var k: UUID?; var n: Int; var overdue: Int?; var rated: Int?; var unhappy: Int? }
        let rows = try await db.select()
            .column(SQLColumn("territory_id", table: "cases"), as: "k")
            .column(SQLRaw("COUNT(*)"), as: "n")
            .column(SQLQueryString("SUM(CASE WHEN cases.next_due_at < \(bind: now) THEN 1 ELSE 0 END)"), as: "overdue")
            .column(SQLRaw("SUM(CASE WHEN feedback_rating IS NOT NULL THEN 1 ELSE 0 END)"), as: "rated")
            .column(SQLRaw("SUM(CASE WHEN feedback_rating <= 3 THEN 1 ELSE 0 END)"), as: "unhappy")
            .from("cases").where(slice.conditions()).where(SQLColumn("territory_id", table: "cases"), .isNot, SQLLiteral.null)
            .groupBy(SQLRaw("1")).all(decoding: Row.self)
        // Each case's territory goes to its nearest ancestor (or itself) that has a boundary.
        let boundedIDs = Set(bounded.compactMap(\.id))
        let parent = Dictionary(uniqueKeysWithValues: books.territories.map { ($0.id, $0.parentID) })
        func owner(_ id: UUID) -> UUID? {
            var current: UUID? = id, steps = 0
            while let c = current, steps < 64 {
                if boundedIDs.contains(c) { return c }
                current = parent[c] ?? nil; steps += 1
            }
            return nil
        }
        var tallies: [UUID: HeatMapQuery.Tally] = [:]
        for r in rows {
            guard let k = r.k, let o = owner(k) else { continue }
            tallies[o, default: .init()].count += r.n
            tallies[o, default: .init()].overdue += r.overdue ?? 0
            tallies[o, default: .init()].rated += r.rated ?? 0
            tallies[o, default: .init()].unhappy += r.unhappy ?? 0
        }
        return bounded.compactMap { t in
            // A boundary that no longer reads (stored before validation was strict) is left off, not fatal.
            guard let id = t.id, let text = t.boundaryGeoJSON, let shape = try? GeoJSONReader.shape(text) else { return nil }
            return BoundedTerritory(id: id, name: t.name, shape: shape, tally: tallies[id] ?? .init())
        }
    }

    /// Cases with coordinates in the slice, counted per grid cell; each cell at the mean position of its cases.
    func clusters(_ slice: AnalyticsSlice) async throws -> [MunicipalityMap.Cluster] {
        let located: [any SQLExpression] = slice.conditions() + [
            SQLBinaryExpression(SQLColumn("latitude", table: "cases"), .isNot, SQLLiteral.null),
            SQLBinaryExpression(SQLColumn("longitude", table: "cases"), .isNot, SQLLiteral.null),
        ]
        struct Box: Decodable { var a: Double?; var b: Double?; var c: Double?; var d: Double? }
        guard let box = try await db.select()
            .column(SQLFunction("MIN", args: SQLColumn("latitude")), as: "a").column(SQLFunction("MAX", args: SQLColumn("latitude")), as: "b")
            .column(SQLFunction("MIN", args: SQLColumn("longitude")), as: "c").column(SQLFunction("MAX", args: SQLColumn("longitude")), as: "d")
            .from("cases").where(located).first(decoding: Box.self),
            let minLat = box.a, let maxLat = box.b, let minLon = box.c, let maxLon = box.d else { return [] }
        // Cells square on the ground: a degree of longitude is cos(latitude) of a degree of latitude.
        let cosLat = max(cos((minLat + maxLat) / 2 * .pi / 180), 0.05)
        let cell = max(max(maxLat - minLat, (maxLon - minLon) * cosLat) / Self.gridCells, 0.0005)
        let cellLon = cell / cosLat
        func index(_ column: String, _ origin: Double, _ size: Double) -> SQLQueryString {
            db.dialect.name == "postgresql"
                ? SQLQueryString("FLOOR((cases.\(unsafeRaw: column) - \(bind: origin)) / \(bind: size))")
                : SQLQueryString("CAST((cases.\(unsafeRaw: column) - \(bind: origin)) / \(bind: size) AS INTEGER)")
        }
        struct Row: Decodable { var lat: Double; var lon: Double; var n: Int }
        return try await db.select()
            .column(SQLFunction("AVG", args: SQLColumn("latitude", table: "cases")), as: "lat")
            .column(SQLFunction("AVG", args: SQLColumn("longitude", table: "cases")), as: "lon")
            .column(SQLRaw("COUNT(*)"), as: "n")
            .from("cases").where(located)
            .groupBy(index("latitude", minLat, cell)).groupBy(index("longitude", minLon, cellLon))
            .all(decoding: Row.self)
            .map { MunicipalityMap.Cluster(point: GeoPoint(lon: $0.lon, lat: $0.lat), count: $0.n) }
    }
}
