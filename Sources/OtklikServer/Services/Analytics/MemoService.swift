import Fluent
import Foundation
import OtklikCore

/// Gathers the memo's figures for a slice (the dashboard's KPIs, the topics, the organisations' rating and
/// workload) and renders it as DOCX.
enum MemoService {
    static func input(_ slice: AnalyticsSlice, access: TenantAccess, now: Date, on db: any Database) async throws -> WeeklyMemo.Input {
        try await input(slice, tenantID: access.tenantID, zone: access.zone, now: now, on: db)
    }

    static func input(_ slice: AnalyticsSlice, tenantID: UUID, zone: TimeZone, now: Date, on db: any Database) async throws -> WeeklyMemo.Input {
        let (_, figures) = try await Dashboard.build(slice, zone: zone, now: now, on: db)
        let books = try await ReferenceOptions.load(tenantID: tenantID, on: db)
        let topics = try await VolumeBreakdown(db: db).by(.category, slice, limit: 10).map { item in
            WeeklyMemo.Topic(name: DashboardPage.name(item.key, .category, books), count: item.count, previous: item.previous)
        }
        let query = RatingQuery(db: db, now: now)
        let (weights, _) = try await Ratings.loadWeights(tenantID: tenantID, on: db)
        let current = try await query.tallies(.organisation, slice)
        let previous = try await query.tallies(.organisation, slice.over(slice.period.previous))
        let workload = try await query.workload(.organisation, slice)
        var all = current
        for id in workload.keys where all[id] == nil { all[id] = RatingTally() }
        var names: [String: String] = [:]
        for o in try await Organisation.query(on: db).withDeleted().filter(\.$tenantID == tenantID).all() { names[o.id!.uuidString] = o.name }
        let rows = RatingSheet.rows(current: all, previous: previous, names: names, weights: weights)
        let municipality = try await Municipality.find(tenantID, on: db)?.name ?? ""
        let p = slice.period
        func span(_ x: AnalyticsPeriod) -> String {
            "\(RussianDate.shortDate(x.from, in: zone)) — \(RussianDate.shortDate(x.to.addingTimeInterval(-1), in: zone))"
        }
        return WeeklyMemo.Input(municipality: municipality, periodText: span(p),
                                previousText: "предыдущий период \(span(p.previous)), год назад \(span(p.lastYear(in: zone)))",
                                generatedText: RussianDate.dateTime(now, in: zone), figures: figures, topics: topics,
                                organisations: rows, workload: workload.mapValues { (open: $0.open, overdue: $0.overdue) })
    }

    static func docx(_ input: WeeklyMemo.Input) throws -> Data {
        try XLSXPackage.write(WeeklyMemo.docx(input).parts())
    }

    static let contentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    /// «zapiska-2026-11-16.docx»: ASCII, so every browser keeps it.
    static func fileName(_ slice: AnalyticsSlice, zone: TimeZone) -> String {
        "zapiska-\(RussianDate.isoDate(slice.period.from, in: zone)).docx"
    }
}
