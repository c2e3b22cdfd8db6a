/// The text form of a clock rule, used in profiles stored by the server and typed by administrators:
/// `working_hours:60`, `working_days:8`, `calendar_days:14`, `daily:2880`, `by_local_time:18:00`.
extension ClockRule {
    public var spec: String {
        switch self {
        case .workingHours(let m): "working_hours:\(m)"
        case .workingDays(let n): "working_days:\(n)"
        case .calendarDays(let n): "calendar_days:\(n)"
        case .daily(let m): "daily:\(m)"
        case .byLocalTime(let h, let m): "by_local_time:\(WorkingHours.format(h * 60 + m))"
        }
    }

    /// Parses the text form; nil with a Russian reason on anything else.
    public static func parse(spec text: String) -> Result<ClockRule, ClockSpecError> {
        let trimmed = text.trimmed
        guard let colon = trimmed.firstIndex(of: ":") else { return .failure(.init(text: trimmed)) }
        let kind = trimmed[..<colon], value = String(trimmed[trimmed.index(after: colon)...])
        if kind == "by_local_time" {
            guard let minute = WorkingHours.minute(of: value) else { return .failure(.init(text: trimmed)) }
            return .success(.byLocalTime(hour: minute / 60, minute: minute % 60))
        }
        // Ten years of any unit is far beyond any regulation: larger numbers are typing mistakes.
        guard let n = Int(value), n >= 0 else { return .failure(.init(text: trimmed)) }
        switch kind {
        case "working_hours" where n <= 60 * 9 * 250 * 10: return .success(.workingHours(minutes: n))
        case "working_days" where n <= 2_500: return .success(.workingDays(n))
        case "calendar_days" where n <= 3_650: return .success(.calendarDays(n))
        case "daily" where n <= 60 * 24 * 3_650: return .success(.daily(minutes: n))
        default: return .failure(.init(text: trimmed))
        }
    }

    /// How a user reads the rule: «1 рабочий час», «8 рабочих дней», «до 18:00 (ежедневно)».
    public var russian: String {
        switch self {
        case .workingHours(let m):
            if m % 60 == 0 { return RussianPlural.count(m / 60, one: "рабочий час", few: "рабочих часа", many: "рабочих часов") }
            return RussianPlural.count(m, one: "рабочая минута", few: "рабочие минуты", many: "рабочих минут")
        case .workingDays(0): return "в тот же рабочий день"
        case .workingDays(let n): return RussianPlural.count(n, one: "рабочий день", few: "рабочих дня", many: "рабочих дней")
        case .calendarDays(let n): return RussianPlural.count(n, one: "календарный день", few: "календарных дня", many: "календарных дней")
        case .daily(let m):
            if m % 60 == 0 { return RussianPlural.count(m / 60, one: "час", few: "часа", many: "часов") + " (все дни недели)" }
            return RussianPlural.count(m, one: "минута", few: "минуты", many: "минут") + " (все дни недели)"
        case .byLocalTime(let h, let m): return "до \(WorkingHours.format(h * 60 + m)) (ежедневно)"
        }
    }
}

public struct ClockSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var description: String {
        "не удалось понять срок «\(text)»; примеры: working_hours:60, working_days:8, calendar_days:14, daily:2880, by_local_time:18:00"
    }
}
