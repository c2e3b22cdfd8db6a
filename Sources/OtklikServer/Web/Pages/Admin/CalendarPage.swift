import Fluent
import Foundation
import OtklikCore
import Vapor

/// The production calendar of the municipality: a year at a glance, one day changed, a year file loaded,
/// or back to the calendar shipped with Otklik. Writes go through the API's calendar controller.
struct CalendarPage {
    struct Cell: Encodable { var day: String; var cls: String; var title: String }
    struct Month: Encodable { var name: String; var weeks: [[Cell]] }
    struct Context: Encodable {
        var layout: Layout
        var year: Int
        var prev: Int
        var next: Int
        var source: String
        var workingDays: Int
        var months: [Month]
        var exceptions: [String]
        var imported: Bool
        var choices: [Choice]
        var defaultDate: String
    }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = access.zone
        let current = gregorian.component(.year, from: req.now)
        let year = (try? req.query.get(Int.self, at: "year")).flatMap { (2000...2100).contains($0) ? $0 : nil } ?? current
        let dto = try await APIBridge.call(req, body: [:], parameters: ["year": String(year)]) { sub in
            try await CalendarController().show(req: sub)
        }
        let schedule = try await TenantRegulation.schedule(tenantID: access.tenantID, on: req.db)
        var months: [Month] = []
        for month in 1...12 {
            let first = CivilDate.epochDay(year: year, month: month, day: 1)!
            let next = month == 12 ? CivilDate.epochDay(year: year + 1, month: 1, day: 1)! : CivilDate.epochDay(year: year, month: month + 1, day: 1)!
            var weeks: [[Cell]] = []
            var week = Array(repeating: Cell(day: "", cls: "pad", title: ""), count: ProductionCalendar.weekday(first))
            for epoch in first..<next {
                let weekend = ProductionCalendar.weekday(epoch) >= 5
                let (_, _, d) = CivilDate.civil(fromEpochDay: epoch)
                let cell: Cell
                switch schedule.calendar.day(epoch).day {
                case .off: cell = Cell(day: String(d), cls: weekend ? "off" : "holiday", title: weekend ? "выходной" : "нерабочий день")
                case .working(shortened: true): cell = Cell(day: String(d), cls: "short", title: "сокращённый день")
                case .working: cell = Cell(day: String(d), cls: weekend ? "workweekend" : "", title: weekend ? "рабочий выходной" : "рабочий день")
                }
                week.append(cell)
                if week.count == 7 { weeks.append(week); week = [] }
            }
            if !week.isEmpty { weeks.append(week + Array(repeating: Cell(day: "", cls: "pad", title: ""), count: 7 - week.count)) }
            months.append(Month(name: RussianDate.monthName(month).capitalized, weeks: weeks))
        }
        let source = ["imported": "загружен или изменён для муниципалитета" + (dto.imported_by.map { " (\($0))" } ?? ""),
                      "shipped": "поставляется с «Откликом»",
                      "fallback": "не загружен: считается пятидневка, сроки помечаются"][dto.source] ?? dto.source
        return try await WebPage.render(req, "admin/calendar", Context(
            layout: try await WebPage.layout(req, title: "Производственный календарь \(year)", active: "admin", access: access,
                                             schedule: schedule),
            year: year, prev: year - 1, next: year + 1, source: source, workingDays: dto.working_days, months: months,
            exceptions: dto.days.map { "\($0.date): \($0.title.lowercased())" }, imported: dto.source == "imported",
            choices: CalendarDayChoice.allCases.map { Choice(value: $0.rawValue, title: $0.title, selected: false) },
            defaultDate: "\(year)-01-01"))
    }

    func editDay(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let date = form["date"] ?? ""
        let year = Int(date.prefix(4)) ?? 0
        let back = "/m/\(access.slug)/admin/calendar?year=\(year)"
        do {
            _ = try await APIBridge.call(req, body: ["kind": form["kind"].map(JSONValue.string) ?? .null],
                                         parameters: ["year": String(year), "date": date]) { sub in
                try await CalendarController().editDay(req: sub)
            }
            let title = CalendarDayChoice(rawValue: form["kind"] ?? "")?.title ?? ""
            return WebPage.redirect(req, to: back, flash: "\(date) — теперь \(title). Новые сроки учитывают это; сроки открытых обращений не меняются.")
        } catch let problem as Problem where problem.statusCode == 422 {
            return WebPage.redirect(req, to: year > 0 ? back : "/m/\(access.slug)/admin/calendar",
                                    flash: "День не изменён: " + ((problem.errors ?? []).map(\.reason).joined(separator: "; ")), error: true)
        }
    }

    struct Upload: Content { var year: Int?; var file: File? }

    func importYear(req: Request) async throws -> Response {
        let access = try req.tenant
        let upload = try req.content.decode(Upload.self)
        let year = upload.year ?? 0
        let back = "/m/\(access.slug)/admin/calendar?year=\(year)"
        guard let file = upload.file, file.data.readableBytes > 0 else {
            return WebPage.redirect(req, to: back, flash: "Выберите файл календаря (формат xmlcalendar, .xml).", error: true)
        }
        do {
            let dto = try await APIBridge.call(req, contentType: .xml, body: String(buffer: file.data),
                                               parameters: ["year": String(year)]) { sub in
                try await CalendarController().importYear(req: sub)
            }
            return WebPage.redirect(req, to: back, flash: "Календарь \(dto.year) года загружен: \(dto.working_days) рабочих дней.")
        } catch let problem as Problem where problem.statusCode == 422 || problem.statusCode == 400 {
            return WebPage.redirect(req, to: back, flash: "Файл не загружен: " + ((problem.errors ?? []).map(\.reason).first ?? problem.detail ?? problem.title), error: true)
        }
    }

    func reset(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let year = form["year"] ?? ""
        _ = try await APIBridge.call(req, body: [:], parameters: ["year": year]) { sub in try await CalendarController().reset(req: sub) }
        return WebPage.redirect(req, to: "/m/\(access.slug)/admin/calendar?year=\(year)", flash: "Для \(year) года снова действует календарь, поставляемый с «Откликом».")
    }
}
