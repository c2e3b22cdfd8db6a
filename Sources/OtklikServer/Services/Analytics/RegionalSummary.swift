import Fluent
import Foundation
import OtklikCore

/// The regional centre's picture: every municipality it oversees side by side, the same KPIs each in its
/// own time zone, ranked by a regional score.
enum RegionalSummary {
    struct Row: Sendable {
        var municipality: Municipality
        /// The period in the municipality's own zone.
        var period: AnalyticsPeriod
        var figures: [String: KPIFigure]
        /// Mean of the shares that have data (taken on time, final answer on time, ratings 4–5, «решено») × 100.
        var score: Double?
        var rank: Int?
    }

    static let scoreKeys = ["taken_on_time", "on_time_final_answer", "satisfaction", "resolved_share"]
    static let formula = "Балл МО = среднее из долей «Взяты в работу в срок», «В срок: окончательный ответ», «Оценки 4–5» и «Решено», по которым есть данные, × 100."

    /// The municipalities where the principal holds the regional centre's role (or runs the platform).
    static func municipalities(of principal: Principal, on db: any Database) async throws -> [Municipality] {
        try await Municipality.query(on: db).sort(\.$name).all().filter { m in
            principal.grants(in: m).contains { $0.role == .regionalCentre || $0.role == .platformAdmin }
        }
    }

    static func rows(_ params: [String: String], principal: Principal, now: Date, on db: any Database) async throws -> [Row] {
        var rows: [Row] = []
        for m in try await municipalities(of: principal, on: db) {
            guard let access = try await TenantAccess.make(principal: principal, municipality: m, on: db) else { continue }
            let slice = try await AnalyticsSlice.parse(params, access: access, now: now, on: db)
            let figures = KPISheet.figures(try await KPIQuery(db: db, now: now).aggregates(slice, zone: access.zone))
            let byKey = Dictionary(uniqueKeysWithValues: figures.map { ($0.key, $0) })
            let shares = scoreKeys.compactMap { byKey[$0]?.value }
            rows.append(Row(municipality: m, period: slice.period, figures: byKey, score: shares.isEmpty ? nil : shares.reduce(0, +) / Double(shares.count) * 100))
        }
        rows.sort { ($0.score ?? -1, $1.municipality.name) > ($1.score ?? -1, $0.municipality.name) }
        var rank = 0
        for i in rows.indices where rows[i].score != nil { rank += 1; rows[i].rank = rank }
        return rows
    }

    /// The regional memo: the table of municipalities and what stands out.
    static func docx(_ rows: [Row], periodText: String, region: String, generated: String) -> DOCXWriter {
        let columns = ["volume", "taken_on_time", "on_time_final_answer", "overdue_now", "satisfaction", "resolved_share"]
        let titles = ["Поступило", "Взяты в срок", "Ответ в срок", "Просрочено", "Оценки 4–5", "Решено"]
        var blocks: [DOCXWriter.Block] = [
            .title("Аналитическая записка по региону"), .paragraph(region, bold: true),
            .paragraph("Период: \(periodText). Подготовлено в Отклике \(generated).", small: true),
            .heading("1. Муниципальные образования"), .paragraph(formula, small: true),
            .table(header: ["Место", "Муниципальное образование", "Балл"] + titles,
                   rows: rows.map { r in
                       [r.rank.map(String.init) ?? "—", r.municipality.name,
                        r.score.map { String(format: "%.1f", $0).replacingOccurrences(of: ".", with: ",") } ?? "—"]
                           + columns.map { r.figures[$0]?.text ?? "—" }
                   }, widths: [2, 7, 2, 3, 3, 3, 3, 3, 3]),
            .heading("2. На что обратить внимание"),
        ]
        var notes: [String] = []
        for r in rows {
            if let s = r.figures["satisfaction"], s.meetsTarget == false {
                notes.append("\(r.municipality.name): оценки 4–5 — \(s.text) при цели 60 %.")
            }
            if let o = r.figures["overdue_now"], let v = o.value, v > 0, let volume = r.figures["volume"]?.value, volume > 0, v / volume > 0.2 {
                notes.append("\(r.municipality.name): просрочено сейчас \(o.text) — больше пятой части поступившего за период.")
            }
        }
        blocks.append(.bullets(notes.isEmpty ? ["Отклонений, требующих внимания регионального центра, не выявлено."] : notes))
        return DOCXWriter(title: "Записка по региону: \(periodText)", author: "Отклик", blocks: blocks)
    }
}
