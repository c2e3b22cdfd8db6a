import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Factors of growth for a slice: the topics, territories and organisations whose volume in the period
/// is abnormal against their own preceding periods (and the same dates last year when history reaches),
/// each with the cases that make the spike and where they concentrate.
struct GrowthQuery {
    struct Sample: Sendable { var id: UUID; var number: Int }

    struct Found: Sendable {
        var dimension: VolumeBreakdown.Dimension
        var factor: GrowthDetector.Factor
        var explanation: String
        /// The case list of the spike: the slice, the period and this item.
        var casesParameters: [String: String]
        /// Up to five latest cases of the spike.
        var samples: [Sample]
        /// Where the spike concentrates: the largest other attribute («в основном: Микрорайон Первый, 9 из 15»).
        var concentration: String?
    }

    static let dimensions: [VolumeBreakdown.Dimension] = [.category, .territory, .organisation]

    let db: any SQLDatabase

    init(db: any Database) { self.db = db as! any SQLDatabase }

    /// Longer periods are not judged: eight of them back would reach years into the past.
    static let maximumDays = 92

    func factors(_ slice: AnalyticsSlice, zone: TimeZone, books: ReferenceOptions, limit: Int = 10) async throws -> [Found] {
        let p = slice.period
        guard p.length <= Double(Self.maximumDays) * 86_400 else { return [] }
        let n = GrowthDetector.baselinePeriods
        let origin = p.from.addingTimeInterval(-Double(n) * p.length)
        let lastYear = p.lastYear(in: zone)
        let lyOrigin = lastYear.from.addingTimeInterval(-Double(n) * p.length)
        // Periods before the municipality's first case are not «zero cases»: they are left out of the baseline
        // (the period holding the first case counts).
        struct First: Decodable { var first: Date? }
        let earliest = try await db.select().column(SQLFunction("MIN", args: SQLColumn("received_at")), as: "first").from("cases")
            .where(SQLColumn("tenant_id"), .equal, SQLBind(slice.tenantID)).first(decoding: First.self)?.first
        guard let earliest else { return [] }
        let firstBucket = max(0, Int((earliest.timeIntervalSince(origin) / p.length).rounded(.down)))
        let seasonal = earliest < lyOrigin.addingTimeInterval(p.length)

        // One pass per range for all three dimensions: grouped by topic, territory, organisation and period.
        let (now, period) = try await counts(slice, origin: origin, buckets: n + 1)
        let before = seasonal ? try await counts(slice, origin: lyOrigin, buckets: n + 1).0 : [:]
        var found: [(VolumeBreakdown.Dimension, GrowthDetector.Factor, Int)] = []
        for dimension in Self.dimensions {
            let series = (now[dimension] ?? [:]).compactMap { key, buckets -> GrowthDetector.Series? in
                guard let key else { return nil }   // «no topic» is a data gap, not a cause
                let past = before[dimension]?[key]
                return GrowthDetector.Series(
                    key: key, name: DashboardPage.name(key, dimension, books), current: buckets[n],
                    baseline: Array(buckets[min(firstBucket, n)..<n]),
                    lastYear: seasonal ? (past?[n] ?? 0) : nil,
                    lastYearBaseline: seasonal ? Array((past ?? Array(repeating: 0, count: n + 1))[0..<n]) : nil)
            }
            found += GrowthDetector.detect(series).map { (dimension, $0, n - min(firstBucket, n)) }
        }
        found.sort { $0.1.score > $1.1.score }
        var out: [Found] = []
        for (dimension, factor, baselineCount) in found.prefix(limit) {
            var params = slice.listParameters
            params[dimension == .category ? "category" : dimension.rawValue] = factor.key
            var s = slice
            switch dimension {
            case .category: s.categoryIDs = UUID(uuidString: factor.key).map { [$0] }
            case .territory: s.territoryIDs = UUID(uuidString: factor.key).map { [$0] }
            default: s.organisationIDs = UUID(uuidString: factor.key).map { [$0] }
            }
            out.append(Found(dimension: dimension, factor: factor,
                             explanation: GrowthDetector.explanation(factor, baselineCount: baselineCount),
                             casesParameters: params, samples: try await samples(s),
                             concentration: Self.concentration(period, key: factor.key, of: dimension, total: factor.current, books: books)))
        }
        return out
    }

    /// dimension → key → counts per bucket of the period's length from `origin` (the last bucket is the period itself).
    /// The period's own rows (the last bucket) come back too: where a spike concentrates is read from them.
    private func counts(_ slice: AnalyticsSlice, origin: Date, buckets: Int) async throws
        -> ([VolumeBreakdown.Dimension: [String?: [Int]]], [Cell]) {
        var s = slice
        s.period = try AnalyticsPeriod(from: origin, to: origin.addingTimeInterval(Double(buckets) * slice.period.length))
        struct Row: Decodable { var c: UUID?; var t: UUID?; var o: UUID?; var b: Double; var n: Int }
        let rows = try await db.select()
            .column(SQLColumn("category_id", table: "cases"), as: "c")
            .column(SQLColumn("territory_id", table: "cases"), as: "t")
            .column(SQLColumn("organisation_id", table: "cases"), as: "o")
            .column(VolumeBreakdown.bucket(db, origin: origin, length: slice.period.length), as: "b")
            .column(SQLRaw("COUNT(*)"), as: "n")
            .from("cases").where(s.conditions())
            .groupBy(SQLRaw("1")).groupBy(SQLRaw("2")).groupBy(SQLRaw("3")).groupBy(SQLRaw("4"))
            .all(decoding: Row.self)
        var out: [VolumeBreakdown.Dimension: [String?: [Int]]] = [:]
        var period: [Cell] = []
        for r in rows {
            let i = Int(r.b)
            guard i >= 0 && i < buckets else { continue }
            if i == buckets - 1 { period.append(Cell(category: r.c, territory: r.t, organisation: r.o, count: r.n)) }
            for (dimension, key) in [(VolumeBreakdown.Dimension.category, r.c), (.territory, r.t), (.organisation, r.o)] {
                out[dimension, default: [:]][key?.uuidString, default: Array(repeating: 0, count: buckets)][i] += r.n
            }
        }
        return (out, period)
    }

    struct Cell: Sendable { var category: UUID?; var territory: UUID?; var organisation: UUID?; var count: Int }

    private func samples(_ slice: AnalyticsSlice) async throws -> [Sample] {
        struct Row: Decodable { var id: UUID; var number: Int }
        return try await db.select().column("id").column("number").from("cases").where(slice.conditions())
            .orderBy("received_at", .descending).limit(5).all(decoding: Row.self).map { Sample(id: $0.id, number: $0.number) }
    }

    /// The largest share of the spike by a second attribute: a topic's territory, a territory's or an
    /// organisation's topic. Said only when it is at least a third of the cases.
    static func concentration(_ cells: [Cell], key: String, of dimension: VolumeBreakdown.Dimension, total: Int,
                              books: ReferenceOptions) -> String? {
        let other: VolumeBreakdown.Dimension = dimension == .category ? .territory : .category
        func value(_ c: Cell, _ d: VolumeBreakdown.Dimension) -> UUID? {
            switch d {
            case .category: c.category
            case .territory: c.territory
            default: c.organisation
            }
        }
        var counts: [UUID: Int] = [:]
        for c in cells where value(c, dimension)?.uuidString == key {
            if let o = value(c, other) { counts[o, default: 0] += c.count }
        }
        guard let top = counts.max(by: { ($0.value, $1.key.uuidString) < ($1.value, $0.key.uuidString) }), total > 0, top.value * 3 >= total else { return nil }
        let what = other == .territory ? "территория" : "тема"
        return "чаще всего \(what) «\(DashboardPage.name(top.key.uuidString, other, books))» — \(top.value) из \(total)"
    }
}

extension GrowthQuery {
    struct FactorDTO: Codable, Sendable {
        var dimension: String
        var dimension_title: String
        var key: String
        var name: String
        var current: Int
        var expected: Double
        var baseline_mean: Double
        var seasonal: Double?
        var ratio: Double?
        var score: Double
        var explanation: String
        var concentration: String?
        var sample_numbers: [Int]
        /// Query parameters of the case list with the spike's cases.
        var cases_query: String
    }

    struct DTO: Codable, Sendable {
        var period: Dashboard.PeriodDTO
        /// False for periods longer than a quarter (not judged).
        var judged: Bool
        var method: String
        var factors: [FactorDTO]
    }

    static let method = "Ожидаемое число = среднее за \(GrowthDetector.baselinePeriods) предыдущих периодов той же длины × сезонный коэффициент "
        + "((те же даты прошлого года + 1) ÷ (среднее за \(GrowthDetector.baselinePeriods) периодов перед ними + 1), в пределах 0,5…3; "
        + "без истории за год — 1). Рост аномален, если обращений не меньше \(GrowthDetector.minimumCount), не меньше ожидаемого × 1,5 "
        + "и отклонение (факт − ожидание) ÷ √max(дисперсия базы; ожидание; 1) не меньше \(Int(GrowthDetector.minimumScore)) σ."

    static func title(_ d: VolumeBreakdown.Dimension) -> String {
        switch d {
        case .category: "Тема"
        case .territory: "Территория"
        case .organisation: "Организация"
        case .block: "Блок"
        case .channel: "Канал"
        }
    }

    static func dto(_ found: [Found], slice: AnalyticsSlice) -> DTO {
        DTO(period: .init(from: TimeText.formatRFC3339(slice.period.from), to: TimeText.formatRFC3339(slice.period.to)),
            judged: slice.period.length <= Double(maximumDays) * 86_400, method: method,
            factors: found.map { f in
                FactorDTO(dimension: f.dimension.rawValue, dimension_title: title(f.dimension), key: f.factor.key, name: f.factor.name,
                          current: f.factor.current, expected: (f.factor.expected * 100).rounded() / 100,
                          baseline_mean: (f.factor.baselineMean * 100).rounded() / 100,
                          seasonal: f.factor.seasonal.map { ($0 * 1000).rounded() / 1000 }, ratio: f.factor.ratio.map { ($0 * 100).rounded() / 100 },
                          score: (f.factor.score * 100).rounded() / 100, explanation: f.explanation, concentration: f.concentration,
                          sample_numbers: f.samples.map(\.number), cases_query: QueuePage.encode(f.casesParameters))
            })
    }
}
