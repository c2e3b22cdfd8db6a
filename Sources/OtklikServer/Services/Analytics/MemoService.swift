import Fluent
import Foundation
import OtklikCore
import Vapor

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
        let (weights, _) = try await Ratings.loadWeights(tenantID: tenantID, on: db)
        let (rows, workload) = try await Ratings.ranked(.organisation, slice, weights: weights, now: now, on: db)
        let municipality = try await Municipality.find(tenantID, on: db)?.name ?? ""
        let judged = slice.period.length <= Double(GrowthQuery.maximumDays) * 86_400
        let growth = judged ? try await GrowthQuery(db: db).factors(slice, zone: zone, books: books, limit: 8).map { f in
            WeeklyMemo.Growth(kind: GrowthQuery.title(f.dimension), name: f.factor.name, count: f.factor.current, explanation: f.explanation,
                              concentration: f.concentration, caseNumbers: f.samples.map(\.number))
        } : nil
        let p = slice.period
        func span(_ x: AnalyticsPeriod) -> String {
            "\(RussianDate.shortDate(x.from, in: zone)) — \(RussianDate.shortDate(x.to.addingTimeInterval(-1), in: zone))"
        }
        var input = WeeklyMemo.Input(municipality: municipality, periodText: span(p),
                                     previousText: "предыдущий период \(span(p.previous)), год назад \(span(p.lastYear(in: zone)))",
                                     generatedText: RussianDate.dateTime(now, in: zone), figures: figures, topics: topics,
                                     organisations: rows, workload: workload.mapValues { (open: $0.open, overdue: $0.overdue) }, growth: growth)
        input.risks = try await risks(tenantID: tenantID, period: p, zone: zone, now: now, on: db)
        input.assignments = try await assignments(tenantID: tenantID, period: p, zone: zone, now: now, on: db)
        input.roadmaps = try await roadmaps(tenantID: tenantID, zone: zone, now: now, on: db)
        return input
    }

    /// Every roadmap with its steps' effect (as of the memo's making).
    static func roadmaps(tenantID: UUID, zone: TimeZone, now: Date, on db: any Database) async throws -> [WeeklyMemo.Roadmap] {
        guard let m = try await Municipality.find(tenantID, on: db) else { return [] }
        let access = TenantAccess.acting(in: m, roles: [.analyst], label: "аналитическая записка")
        let s = Roadmaps(db: db, access: access, now: now)
        var out: [WeeklyMemo.Roadmap] = []
        for r in try await s.list() {
            let d = try await s.dto(r)
            out.append(.init(title: d.title, target: d.target_title, steps: d.steps.map { ($0.title, $0.effect) }))
        }
        return out
    }

    /// The control list: open assignments due by the end of the week after the period, overdue first.
    static func assignments(tenantID: UUID, period: AnalyticsPeriod, zone: TimeZone, now: Date, on db: any Database) async throws -> [WeeklyMemo.Assignment] {
        let horizon = LocalDay(period.to, in: zone).adding(days: 7)
        let open = try await AssignmentRecord.query(on: db).filter(\.$tenantID == tenantID)
            .filter(\.$status ~~ [AssignmentStatus.onControl.rawValue, AssignmentStatus.reported.rawValue])
            .filter(\.$dueOn <= horizon.iso).sort(\.$dueAt).all()
        let orgs = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).withDeleted().filter(\.$tenantID == tenantID).all().map { ($0.id!, $0.name) })
        return open.map { a in
            WeeklyMemo.Assignment(number: a.number, text: a.text, executor: orgs[a.organisationID] ?? "—", due: LocalDay(a.dueOn)?.russian ?? a.dueOn,
                                  state: a.assignmentStatus.title, overdue: a.dueAt <= now)
        }
    }

    /// The period's risks: detected within it, or detected before its end and not closed before its start.
    static func risks(tenantID: UUID, period: AnalyticsPeriod, zone: TimeZone, now: Date, on db: any Database) async throws -> [WeeklyMemo.Risk] {
        let found = try await RiskRecord.query(on: db).filter(\.$tenantID == tenantID).filter(\.$detectedAt < period.to)
            .group(.or) { $0.filter(\.$closedAt == nil).filter(\.$closedAt >= period.from) }
            .sort(\.$detectedAt).all()
        return found.map { r in
            let inTime: Bool? = r.reactedAt.map { $0 <= r.reactionDueAt } ?? (r.reactionDueAt <= min(now, period.to) ? false : nil)
            return WeeklyMemo.Risk(number: r.number, title: r.title, criticality: r.riskCriticality.title, status: r.riskStatus.title,
                                   detected: RussianDate.dateTime(r.detectedAt, in: zone), reactedInTime: inTime, outcome: r.outcome)
        }
    }

    static func docx(_ input: WeeklyMemo.Input) throws -> Data {
        try XLSXPackage.write(WeeklyMemo.docx(input).parts())
    }

    /// The memo of the slice as a download «zapiska-2026-11-16.docx».
    static func download(_ slice: AnalyticsSlice, access: TenantAccess, now: Date, on db: any Database) async throws -> Response {
        let data = try docx(try await input(slice, access: access, now: now, on: db))
        return Download.attachment(data, contentType: Download.docx, fileName: "zapiska-\(RussianDate.isoDate(slice.period.from, in: access.zone)).docx")
    }
}
