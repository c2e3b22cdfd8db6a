import Foundation
import OtklikCore

/// The value of an `<input type="datetime-local">` («2026-11-23T17:00»), read in the municipality's zone.
enum LocalDateTime {
    static func parse(_ text: String, zone: TimeZone) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2 else { return nil }
        let d = parts[0].split(separator: "-").compactMap { Int($0) }
        let t = parts[1].split(separator: ":").compactMap { Int($0) }
        guard d.count == 3, t.count >= 2, CivilDate.epochDay(year: d[0], month: d[1], day: d[2]) != nil,
              (0..<24).contains(t[0]), (0..<60).contains(t[1]) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        return cal.date(from: DateComponents(year: d[0], month: d[1], day: d[2], hour: t[0], minute: t[1]))
    }

    /// The form's value for a date, for putting back what the user typed.
    static func format(_ date: Date, zone: TimeZone) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// Replaces a local `deadline` field by RFC 3339 for the lifecycle service; a malformed one is a field error.
    static func convert(_ payload: inout [String: JSONValue], key: String = "deadline", zone: TimeZone) throws {
        guard case .string(let raw)? = payload[key] else { return }
        if (try? TimeText.parseRFC3339(raw)) != nil { return }
        guard let date = parse(raw, zone: zone) else {
            throw Problem.validation([FieldIssue(key, "укажите дату и время, например 23.11.2026 17:00")])
        }
        payload[key] = .string(TimeText.formatRFC3339(date))
    }
}
