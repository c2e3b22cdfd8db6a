import Fluent
import Foundation
import OtklikCore

/// The dashboard's figures for a slice, as the API and the page show them.
enum Dashboard {
    struct PeriodDTO: Codable, Sendable { var from: String; var to: String }

    struct FigureDTO: Codable, Sendable {
        var key: String
        var title: String
        var unit: String
        var value: Double?
        var text: String
        var numerator: Int?
        var denominator: Int?
        var formula: String
        var target: Double?
        var meets_target: Bool?
        var change_previous: Double?
        var change_last_year: Double?
        /// Query parameters of the case list that shows the cases behind the figure.
        var cases_query: String
    }

    struct DTO: Codable, Sendable {
        var period: PeriodDTO
        var previous: PeriodDTO
        var last_year: PeriodDTO
        var computed_at: String
        var figures: [FigureDTO]
    }

    static func build(_ slice: AnalyticsSlice, zone: TimeZone, now: Date, on db: any Database) async throws -> (DTO, [KPIFigure]) {
        let aggregates = try await KPIQuery(db: db, now: now).aggregates(slice, zone: zone)
        let figures = KPISheet.figures(aggregates)
        func period(_ p: AnalyticsPeriod) -> PeriodDTO { PeriodDTO(from: TimeText.formatRFC3339(p.from), to: TimeText.formatRFC3339(p.to)) }
        let dto = DTO(period: period(slice.period), previous: period(slice.period.previous), last_year: period(slice.period.lastYear(in: zone)),
                      computed_at: TimeText.formatRFC3339(now),
                      figures: figures.map { f in
                          FigureDTO(key: f.key, title: f.title, unit: f.unit.rawValue, value: f.value, text: f.text, numerator: f.numerator,
                                    denominator: f.denominator, formula: f.formula, target: f.target, meets_target: f.meetsTarget,
                                    change_previous: f.changePrevious, change_last_year: f.changeLastYear,
                                    cases_query: casesQuery(f, slice: slice))
                      })
        return (dto, figures)
    }

    /// The figure's own filter on top of the slice; «overdue now» is not limited to the period.
    static func casesQuery(_ f: KPIFigure, slice: AnalyticsSlice) -> String {
        var params = slice.listParameters
        if f.key == "overdue_now" { params["from"] = nil; params["to"] = nil }
        params.merge(f.drill) { _, new in new }
        return QueuePage.encode(params)
    }
}
