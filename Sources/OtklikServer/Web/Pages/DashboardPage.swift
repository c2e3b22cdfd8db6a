import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Показатели»: the situation screen. The KPIs of the period and slice with their change, target and
/// formula, each linked to its cases; volume week by week and by channel, organisation, topic, territory.
struct DashboardPage {
    struct Tile: Encodable {
        var key: String; var title: String; var text: String; var change: String?; var changeLastYear: String?
        var target: String?; var meets: Bool?; var formula: String; var counts: String?; var href: String; var drillTitle: String
    }
    struct Chart: Encodable { var svg: String }
    struct Filters: Encodable {
        var from: String; var to: String
        var channels: [Choice]; var blocks: [Choice]; var organisations: [Choice]; var territories: [Choice]; var categories: [Choice]
    }
    struct Preset: Encodable { var title: String; var href: String }
    struct CaseLink: Encodable { var number: Int; var href: String }
    struct Growth: Encodable {
        var kind: String; var name: String; var explanation: String; var concentration: String?; var href: String; var count: Int
        var samples: [CaseLink]
    }
    struct Context: Encodable {
        var layout: Layout
        var periodText: String
        var comparedText: String
        var filters: Filters
        var presets: [Preset]
        var tiles: [Tile]
        var charts: [Chart]
        var growth: [Growth]
        var growthNote: String?
        var growthMethod: String
        var filterError: String?
        var memoHref: String
        var memoDocxHref: String
        var heatmapHref: String
        var mapHref: String
        var exportXLSX: String
        var exportCSV: String
        /// The control list of assignments (for those who read the centre's work): overdue, due this week.
        var control: Control? = nil
    }

    struct Control: Encodable { var overdue: Int; var week: Int; var href: String }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        let requested = ((try? req.query.decode([String: String].self)) ?? [:]).filter { !$0.value.isEmpty }
        let (slice, params, filterError) = try await AnalyticsSlice.forPage(requested, access: access, now: req.now, on: req.db)
        let (_, figures) = try await Dashboard.build(slice, zone: zone, now: req.now, on: req.db)
        let base = "/m/\(access.slug)"
        let tiles = figures.map { f in
            Tile(key: f.key, title: f.title, text: f.text,
                 change: f.key == "volume" ? KPISheet.changeText(f.changePrevious) : nil,
                 changeLastYear: f.key == "volume" ? KPISheet.changeText(f.changeLastYear) : nil,
                 target: f.target.map { "цель — не менее " + KPISheet.percent($0) }, meets: f.meetsTarget, formula: f.formula,
                 counts: f.denominator.map { d in f.numerator.map { "\(KPISheet.integer($0)) из \(KPISheet.integer(d))" } ?? "наблюдений: \(KPISheet.integer(d))" },
                 href: base + "/cases?" + Dashboard.casesQuery(f, slice: slice), drillTitle: Self.drillTitle(f.key))
        }
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let breakdown = VolumeBreakdown(db: req.db)
        var charts: [Chart] = []
        let weeks = try await breakdown.weekly(slice)
        let weekLabels = weeks.map { RussianDate.shortDate($0.start, in: zone) }
        let lastYearWeeks = try await breakdown.weekly(slice.over(slice.period.lastYear(in: zone)))
        charts.append(Chart(svg: SVGChart.lines(title: "Поступление по неделям (12 недель до конца периода) и те же недели год назад",
                                                labels: weekLabels,
                                                series: [.init(name: "этот год", values: weeks.map { Double($0.count) }),
                                                         .init(name: "год назад", values: lastYearWeeks.map { Double($0.count) })])))
        // Channels beyond the four largest are summed as «прочие», so the stack stays legible.
        let byChannel = try await breakdown.weeklyBy(.channel, slice)
        var stacks = byChannel.prefix(4).map { SVGChart.Series(name: Self.name($0.key, .channel, books), values: $0.counts.map(Double.init)) }
        if byChannel.count > 4 {
            stacks.append(.init(name: "прочие", values: (0..<weeks.count).map { i in Double(byChannel.dropFirst(4).reduce(0) { $0 + $1.counts[i] }) }))
        }
        charts.append(Chart(svg: SVGChart.stackedColumns(title: "Каналы по неделям", labels: weekLabels, series: stacks)))
        let byBlock = try await breakdown.weeklyBy(.block, slice)
        charts.append(Chart(svg: SVGChart.smallMultiples(title: "Тематические блоки по неделям (общая шкала)", labels: weekLabels,
                                                         series: byBlock.prefix(9).map { .init(name: Self.name($0.key, .block, books), values: $0.counts.map(Double.init)) })))
        for dimension in [VolumeBreakdown.Dimension.channel, .organisation, .category, .territory] {
            let items = try await breakdown.by(dimension, slice)
            let bars = items.map { item in
                SVGChart.Bar(label: Self.name(item.key, dimension, books), value: Double(item.count), comparison: Double(item.previous),
                             valueText: "\(item.count) (было \(item.previous))")
            }
            charts.append(Chart(svg: SVGChart.horizontalBars(title: dimension.title, bars: bars, comparisonLabel: "предыдущий период")))
        }
        let growth = try await GrowthQuery(db: req.db).factors(slice, zone: zone, books: books).map { f in
            Growth(kind: GrowthQuery.title(f.dimension), name: f.factor.name, explanation: f.explanation, concentration: f.concentration,
                   href: base + "/cases?" + QueuePage.encode(f.casesParameters), count: f.factor.current,
                   samples: f.samples.map { CaseLink(number: $0.number, href: base + "/cases/\($0.id.uuidString)") })
        }
        let judged = slice.period.length <= Double(GrowthQuery.maximumDays) * 86_400
        let from = RussianDate.isoDate(slice.period.from, in: zone)
        let lastDay = slice.period.to.addingTimeInterval(-1)
        let filters = Filters(from: from, to: RussianDate.isoDate(lastDay, in: zone),
                              channels: ReferenceOptions.options(CaseChannel.self, selected: slice.channels.first, empty: "Все каналы") { $0.title },
                              blocks: ReferenceOptions.options(books.blocks, selected: params["block"].flatMap { UUID(uuidString: $0) }, empty: "Все блоки"),
                              organisations: ReferenceOptions.options(books.organisations, selected: params["organisation"].flatMap { UUID(uuidString: $0) }, empty: "Все организации"),
                              territories: ReferenceOptions.options(books.territories, selected: params["territory"].flatMap { UUID(uuidString: $0) }, empty: "Все территории"),
                              categories: ReferenceOptions.options(books.rubrics, selected: params["category"].flatMap { UUID(uuidString: $0) }, empty: "Все темы"))
        let p = slice.period
        let context = Context(
            layout: try await WebPage.layout(req, title: "Показатели", active: "dashboard", access: access),
            periodText: "\(RussianDate.shortDate(p.from, in: zone)) — \(RussianDate.shortDate(lastDay, in: zone))",
            comparedText: "сравнение: предыдущий период \(RussianDate.shortDate(p.previous.from, in: zone)) — \(RussianDate.shortDate(p.from.addingTimeInterval(-1), in: zone)); год назад \(RussianDate.shortDate(p.lastYear(in: zone).from, in: zone)) — \(RussianDate.shortDate(p.lastYear(in: zone).to.addingTimeInterval(-1), in: zone))",
            filters: filters, presets: Self.presets(base: base, now: req.now, zone: zone), tiles: tiles, charts: charts,
            growth: growth,
            growthNote: !judged ? "Для периодов длиннее квартала рост не оценивается: выберите неделю или месяц."
                : growth.isEmpty ? "Аномального роста за период не выявлено." : nil,
            growthMethod: GrowthQuery.method, filterError: filterError,
            memoHref: base + "/memo?" + QueuePage.encode(params), memoDocxHref: base + "/memo.docx?" + QueuePage.encode(params),
            heatmapHref: base + "/heatmap?" + QueuePage.encode(params),
            mapHref: base + "/map?" + QueuePage.encode(params),
            exportXLSX: base + "/dashboard/export?" + QueuePage.encode(params.merging(["format": "xlsx"]) { _, n in n }),
            exportCSV: base + "/dashboard/export?" + QueuePage.encode(params.merging(["format": "csv"]) { _, n in n }))
        var shown = context
        if access.readsGovernance {
            let orders = Assignments(db: req.db, access: access, now: req.now)
            shown.control = Control(overdue: try await orders.count("overdue"), week: try await orders.count("week"),
                                    href: base + "/assignments?filter=week")
        }
        return try await WebPage.render(req, "dashboard", shown)
    }

    /// The figures and the volume breakdowns of the slice, as XLSX (a sheet each) or CSV (the figures).
    func export(req: Request) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        let format = try TableExport.format(req)
        var params = ((try? req.query.decode([String: String].self)) ?? [:]).filter { !$0.value.isEmpty }
        params["format"] = nil
        let slice = try await AnalyticsSlice.parse(params, access: access, now: req.now, on: req.db)
        let (_, figures) = try await Dashboard.build(slice, zone: zone, now: req.now, on: req.db)
        func number(_ v: Double?) -> XLSXWriter.Cell { v.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .empty }
        var sheets = [XLSXWriter.Sheet(
            name: "Показатели",
            header: ["Показатель", "Значение", "Значение числом", "Числитель", "Знаменатель", "Изменение к предыдущему периоду",
                     "Изменение к прошлому году", "Цель", "Как посчитано"],
            rows: figures.map { f in
                [.text(f.title), .text(f.text), number(f.value), f.numerator.map { .number(Double($0)) } ?? .empty,
                 f.denominator.map { .number(Double($0)) } ?? .empty, number(f.changePrevious), number(f.changeLastYear),
                 number(f.target), .text(f.formula)]
            }, widths: [36, 16, 14, 12, 12, 18, 18, 8, 80])]
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        for dimension in VolumeBreakdown.Dimension.allCases {
            let items = try await VolumeBreakdown(db: req.db).by(dimension, slice, limit: 1_000)
            sheets.append(XLSXWriter.Sheet(name: dimension.plural,
                                           header: ["Название", "Поступило", "Предыдущий период"],
                                           rows: items.map { [.text(Self.name($0.key, dimension, books)), .number(Double($0.count)), .number(Double($0.previous))] },
                                           widths: [40, 12, 18]))
        }
        return try TableExport.response(format, fileName: "pokazateli-\(RussianDate.isoDate(slice.period.from, in: zone))", sheets: sheets)
    }

    static func name(_ key: String?, _ dimension: VolumeBreakdown.Dimension, _ books: ReferenceOptions) -> String {
        guard let key else { return dimension == .channel ? "—" : "не указано" }
        if dimension == .channel { return CaseChannel(rawValue: key)?.title ?? key }
        return UUID(uuidString: key).flatMap { books.names[$0] } ?? "удалённая запись"
    }

    static func drillTitle(_ key: String) -> String {
        switch key {
        case "volume": "обращения периода"
        case "overdue_now": "просроченные"
        case "satisfaction": "оценки 4–5"
        case "accepted_by_silence": "принятые без возражений"
        case "reopen_rate": "повторные"
        case "resolved_share": "решённые"
        case let k where k.hasPrefix("on_time_") || k == "taken_on_time": "нарушения срока"
        default: "обращения периода"
        }
    }

    /// This week, last week, the last 30 days, this quarter, this year.
    static func presets(base: String, now: Date, zone: TimeZone) -> [Preset] {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        let week = AnalyticsPeriod.week(containing: now, in: zone)
        func link(_ title: String, _ from: Date, _ to: Date) -> Preset {
            Preset(title: title, href: base + "/dashboard?from=\(RussianDate.isoDate(from, in: zone))&to=\(RussianDate.isoDate(to.addingTimeInterval(-1), in: zone))")
        }
        let today = calendar.startOfDay(for: now)
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: today) ?? now
        let quarterStart: Date = {
            let c = calendar.dateComponents([.year, .month], from: now)
            return calendar.date(from: DateComponents(year: c.year, month: ((c.month ?? 1) - 1) / 3 * 3 + 1, day: 1)) ?? today
        }()
        let yearStart = calendar.date(from: DateComponents(year: calendar.component(.year, from: now), month: 1, day: 1)) ?? today
        return [
            link("Эта неделя", week.from, week.to),
            link("Прошлая неделя", week.previous.from, week.previous.to),
            link("30 дней", calendar.date(byAdding: .day, value: -29, to: today) ?? today, tomorrow),
            link("Квартал", quarterStart, tomorrow),
            link("Год", yearStart, tomorrow),
        ]
    }
}
