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
        try await store(days, year: year, access: access, now: req.now, action: "calendar.day", entityID: raw,
                        after: ["date": raw, "kind": choice!.rawValue], on: req.db)
        return try await show(req: req)
    }

    func show(req: Request) async throws -> YearDTO {
        let access = try req.tenant
        let year = try Self.year(req)
        let schedule = try await TenantRegulation.schedule(tenantID: access.tenantID, on: req.db)
        let row = try await CalendarYear.query(on: req.db).filter(\.$tenantID == access.tenantID).filter(\.$year == year).first()
        let calendar = schedule.calendar
        let first = CivilDate.epochDay(year: year, month: 1, day: 1)!, next = CivilDate.epochDay(year: year + 1, month: 1, day: 1)!
        let working = (first..<next).filter { calendar.day($0).day.isWorking }.count
        // The year's exceptions to the week, as the calendar itself lists them.
        let kinds: [Int: (String, String)] = [
            ProductionCalendar.DayKind.dayOff.rawValue: ("day_off", "Нерабочий день"),
            ProductionCalendar.DayKind.shortened.rawValue: ("shortened", "Сокращённый рабочий день"),
            ProductionCalendar.DayKind.workingWeekend.rawValue: ("working_weekend", "Рабочий выходной день"),
        ]
        let days = calendar.exceptions(year: year).compactMap { m, d, kind, _ in
            kinds[kind].map { Day(date: String(format: "%04d-%02d-%02d", year, m, d), kind: $0.0, title: $0.1) }
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
        try await store(parsed.days, year: year, access: access, now: req.now, action: "calendar.import",
                        entityID: String(year), after: nil, on: req.db)
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

    /// Saves a year as this municipality's own (replacing a stored one) and audits it; `after` defaults to
    /// the stored days.
    private func store(_ days: [(Int, Int, Int, String?)], year: Int, access: TenantAccess, now: Date, action: String,
                       entityID: String, after: [String: String]?, on db: any Database) async throws {
        let existing = try await CalendarYear.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$year == year).first()
        let row = existing ?? CalendarYear()
        let before = existing?.daysJSON
        if existing == nil { row.id = TimeOrderedUUID.make(); row.tenantID = access.tenantID; row.year = year }
        row.daysJSON = CalendarDays.encode(days)
        row.importedAt = now
        row.importedBy = access.principal.label
        let audited: any Encodable & Sendable
        if let after { audited = after } else { audited = row.daysJSON }
        try await db.transaction { tx in
            try await row.save(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: action,
                                   entity: "calendar_year", entityID: entityID, before: before, after: audited)
        }
    }

    static func year(_ req: Request) throws -> Int {
        guard let y = req.parameters.get("year", as: Int.self), (2000...2100).contains(y) else {
            throw Problem.validation([FieldIssue("year", "год — число от 2000 до 2100")])
        }
        return y
    }
}
