import Fluent
import OtklikCore
import Vapor

/// The production calendar of a municipality: `/api/v1/municipalities/{m}/calendar/{year}`. Reading is
/// open to the tenant; the administrator imports a year in the xmlcalendar format (replacing the shipped
/// year for this municipality, e.g. with a regional holiday) or returns to the shipped one.
struct CalendarController: RouteCollection {
    struct Day: Content { var date: String; var kind: String; var title: String }
    struct YearDTO: Content {
        var year: Int
        /// shipped | imported | fallback (Monday–Friday: the year is not loaded)
        var source: String
        var imported_at: String?
        var imported_by: String?
        var working_days: Int
        var days: [Day]
    }

    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("calendar")
        r.get(":year", use: show)
        r.on(.PUT, ":year", body: .collect(maxSize: "2mb"), use: importYear)
        r.delete(":year", use: reset)
        r.put(":year", "days", ":date", use: editDay)
    }

    /// One day made working, a day off or shortened (a regional holiday, a moved day): the year is stored
    /// for this municipality as its own, as an import would, and audited.
    func editDay(req: Request) async throws -> YearDTO {
        let access = try req.tenant
        try access.requireAdministration()
        let year = try Self.year(req)
        let raw = req.parameters.get("date") ?? ""
        let parts = raw.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, parts[0] == year, CivilDate.epochDay(year: parts[0], month: parts[1], day: parts[2]) != nil else {
            throw Problem.validation([FieldIssue("date", "«\(raw)»: ожидалась дата ГГГГ-ММ-ДД в \(year) году")])
        }
        var p = PayloadReader(try req.jsonObject())
        let choice = p.oneOf("kind", CalendarDayChoice.self, required: true)
        try p.check()
        let schedule = try await TenantRegulation.schedule(tenantID: access.tenantID, on: req.db)
        let days = ProductionCalendar.editing(schedule.calendar.exceptions(year: year), year: year, month: parts[1], day: parts[2], to: choice!)
        let existing = try await CalendarYear.query(on: req.db).filter(\.$tenantID == access.tenantID).filter(\.$year == year).first()
        let row = existing ?? CalendarYear()
        let before = existing?.daysJSON
        if existing == nil { row.id = TimeOrderedUUID.make(); row.tenantID = access.tenantID; row.year = year }
        row.daysJSON = CalendarDays.encode(days)
        row.importedAt = req.now
        row.importedBy = access.principal.label
        try await req.db.transaction { tx in
            try await row.save(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "calendar.day",
                                   entity: "calendar_year", entityID: raw, before: before, after: ["date": raw, "kind": choice!.rawValue])
        }
        return try await show(req: req)
    }

    func show(req: Request) async throws -> YearDTO {
        let access = try req.tenant
        let year = try Self.year(req)
        let schedule = try await TenantRegulation.schedule(tenantID: access.tenantID, on: req.db)
        let row = try await CalendarYear.query(on: req.db).filter(\.$tenantID == access.tenantID).filter(\.$year == year).first()
        let calendar = schedule.calendar
        var days: [Day] = []
        var working = 0
        let first = CivilDate.epochDay(year: year, month: 1, day: 1)!, next = CivilDate.epochDay(year: year + 1, month: 1, day: 1)!
        for epoch in first..<next {
            let (day, _) = calendar.day(epoch)
            let weekend = ProductionCalendar.weekday(epoch) >= 5
            let (y, m, d) = CivilDate.civil(fromEpochDay: epoch)
            let date = String(format: "%04d-%02d-%02d", y, m, d)
            switch day {
            case .working(let shortened):
                working += 1
                if shortened { days.append(Day(date: date, kind: "shortened", title: "Сокращённый рабочий день")) }
                else if weekend { days.append(Day(date: date, kind: "working_weekend", title: "Рабочий выходной день")) }
            case .off:
                if !weekend { days.append(Day(date: date, kind: "day_off", title: "Нерабочий день")) }
            }
        }
        let source = row != nil ? "imported" : (calendar.years.contains(year) ? "shipped" : "fallback")
        return YearDTO(year: year, source: source, imported_at: row.map { TimeText.formatRFC3339($0.importedAt) },
                       imported_by: row?.importedBy, working_days: working, days: days)
    }

    func importYear(req: Request) async throws -> YearDTO {
        let access = try req.tenant
        try access.requireAdministration()
        let year = try Self.year(req)
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw Problem(.badRequest, "Пустой запрос", detail: "Передайте файл производственного календаря в формате xmlcalendar.")
        }
        guard let text = String(bytes: buffer.readableBytesView, encoding: .utf8) else {
            throw Problem.validation([FieldIssue("file", "файл не в кодировке UTF-8")])
        }
        let parsed: (year: Int, days: [(Int, Int, Int, String?)])
        do { parsed = try XMLCalendarImport.parse(text) } catch {
            throw Problem.validation([FieldIssue("file", error.russian)])
        }
        guard parsed.year == year else {
            throw Problem.validation([FieldIssue("year", "в файле календарь на \(parsed.year) год, а загружается \(year)")])
        }
        let existing = try await CalendarYear.query(on: req.db).filter(\.$tenantID == access.tenantID).filter(\.$year == year).first()
        let row = existing ?? CalendarYear()
        let before = existing?.daysJSON
        if existing == nil { row.id = TimeOrderedUUID.make(); row.tenantID = access.tenantID; row.year = year }
        row.daysJSON = CalendarDays.encode(parsed.days)
        row.importedAt = req.now
        row.importedBy = access.principal.label
        try await req.db.transaction { tx in
            try await row.save(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "calendar.import",
                                   entity: "calendar_year", entityID: String(year), before: before, after: row.daysJSON)
        }
        return try await show(req: req)
    }

    func reset(req: Request) async throws -> HTTPStatus {
        let access = try req.tenant
        try access.requireAdministration()
        let year = try Self.year(req)
        guard let row = try await CalendarYear.query(on: req.db).filter(\.$tenantID == access.tenantID).filter(\.$year == year).first() else {
            throw Problem.notFound("Для \(year) года загруженного календаря нет: действует поставляемый.")
        }
        try await req.db.transaction { tx in
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "calendar.reset",
                                   entity: "calendar_year", entityID: String(year), before: row.daysJSON)
            try await row.delete(on: tx)
        }
        return .noContent
    }

    static func year(_ req: Request) throws -> Int {
        guard let y = req.parameters.get("year", as: Int.self), (2000...2100).contains(y) else {
            throw Problem.validation([FieldIssue("year", "год — число от 2000 до 2100")])
        }
        return y
    }
}
