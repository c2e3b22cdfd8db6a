import Fluent
import Foundation
import OtklikCore

/// Working time and regulation of one municipality, loaded for a request, an intake or a monitor pass:
/// the shipped calendar with the tenant's imported years, its zone and hours, and its profile settings.
struct TenantRegulation: Sendable {
    let tenantID: UUID
    let schedule: WorkSchedule
    let book: RegulationBook
    /// Rubric → parent, to find overrides set on a category for cases filed under its subcategories.
    let rubricParents: [UUID: UUID]

    static func load(tenantID: UUID, on db: any Database) async throws -> TenantRegulation {
        let schedule = try await schedule(tenantID: tenantID, on: db)
        let settings = try await RegulationSetting.query(on: db).filter(\.$tenantID == tenantID).all()
        var parents: [UUID: UUID] = [:]
        for rubric in try await Rubric.query(on: db).withDeleted().filter(\.$tenantID == tenantID).all() {
            if let id = rubric.id, let parent = rubric.parentID { parents[id] = parent }
        }
        return TenantRegulation(tenantID: tenantID, schedule: schedule, book: try RegulationSettings.book(settings),
                                rubricParents: parents)
    }

    /// Working time alone (the shipped calendar with the tenant's years, zone, hours): all a case card needs.
    static func schedule(tenantID: UUID, on db: any Database) async throws -> WorkSchedule {
        guard let m = try await Municipality.find(tenantID, on: db) else {
            throw Problem.notFound("Муниципальное образование не найдено.")
        }
        var calendar = ProductionCalendar.shipped
        for year in try await CalendarYear.query(on: db).filter(\.$tenantID == tenantID).all() {
            calendar.load(year: year.year, days: CalendarDays.decode(year.daysJSON))
        }
        return WorkSchedule(calendar: calendar, zone: TimeZone(identifier: m.timeZone) ?? .gmt, hours: m.workingHours)
    }

    func profile(channel: String, regime: String, categoryID: UUID?, urgent: Bool) -> RegulationProfile {
        let key = ProfileKey(channel: CaseChannel(rawValue: channel) ?? .manualMonitoring,
                             regime: LegalRegime(rawValue: regime) ?? .message)
        var path: [String] = []
        var current = categoryID
        while let id = current, path.count < 10 {
            path.append(id.uuidString)
            current = rubricParents[id]
        }
        return book.profile(for: key, categoryPath: path, urgent: urgent)
    }

    func profile(of c: CaseRecord) -> RegulationProfile {
        profile(channel: c.channel, regime: c.legalRegime, categoryID: c.categoryID, urgent: c.urgent)
    }
}

/// Stored calendar days: [["MM.DD", kind], …].
enum CalendarDays {
    static func encode(_ days: [(Int, Int, Int, String?)]) -> String {
        JSONValue.array(days.map { m, d, k, _ in
            .array([.string(String(format: "%02d.%02d", m, d)), .number(Double(k))])
        }).jsonText
    }

    static func decode(_ text: String) -> [(Int, Int, Int, String?)] {
        guard case .array(let items)? = try? JSONParser.parse(text) else { return [] }
        return items.compactMap { item in
            guard case .array(let pair) = item, pair.count == 2, case .string(let md) = pair[0],
                  case .number(let k) = pair[1] else { return nil }
            let parts = md.split(separator: ".")
            guard parts.count == 2, let m = Int(parts[0]), let d = Int(parts[1]) else { return nil }
            return (m, d, Int(k), nil)
        }
    }
}
