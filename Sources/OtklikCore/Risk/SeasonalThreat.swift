import Foundation

/// A threat that comes back every year (decree 001: «перечень потенциальных информационных угроз,
/// имеющих сезонный/ежегодный характер»): its season by local calendar dates and how many days ahead
/// the centre wants to be reminded to prepare a preventive campaign.
public struct SeasonalThreat: Sendable, Equatable {
    public var title: String
    public var startMonth: Int, startDay: Int
    public var endMonth: Int, endDay: Int
    public var leadDays: Int
    public var topic: String

    public init(title: String, start: (Int, Int), end: (Int, Int), leadDays: Int, topic: String) {
        self.title = title
        (startMonth, startDay) = start
        (endMonth, endDay) = end
        self.leadDays = leadDays
        self.topic = topic
    }

    /// The shipped list the centre edits: what Russian municipalities meet every year.
    public static let defaults: [SeasonalThreat] = [
        .init(title: "Вывоз ТКО после новогодних праздников", start: (1, 1), end: (1, 15), leadDays: 21, topic: "Вывоз мусора"),
        .init(title: "Гололёд на тротуарах и дорогах", start: (11, 15), end: (3, 31), leadDays: 14, topic: "Дороги и тротуары"),
        .init(title: "Уборка снега во дворах и на дорогах", start: (12, 1), end: (3, 15), leadDays: 14, topic: "Дороги и тротуары"),
        .init(title: "Сход снега и наледи с крыш", start: (2, 15), end: (4, 10), leadDays: 14, topic: "ЖКХ"),
        .init(title: "Паводок", start: (3, 25), end: (5, 15), leadDays: 21, topic: "Безопасность"),
        .init(title: "Ямы на дорогах после зимы", start: (4, 1), end: (6, 1), leadDays: 14, topic: "Дороги и тротуары"),
        .init(title: "Клещи", start: (4, 15), end: (7, 31), leadDays: 14, topic: "Здравоохранение"),
        .init(title: "Лесные пожары и палы травы", start: (4, 1), end: (9, 30), leadDays: 14, topic: "Безопасность"),
        .init(title: "Отключения горячей воды на время ремонта", start: (5, 15), end: (8, 31), leadDays: 14, topic: "ЖКХ"),
        .init(title: "Подготовка школ к учебному году", start: (8, 1), end: (9, 1), leadDays: 21, topic: "Образование"),
        .init(title: "Начало отопительного сезона", start: (9, 15), end: (10, 15), leadDays: 21, topic: "ЖКХ"),
    ]

    /// Checks a typed season; Russian reasons per field.
    public static func issues(start: (Int, Int), end: (Int, Int), leadDays: Int) -> [FieldIssue] {
        var out: [FieldIssue] = []
        if !valid(start) { out.append(FieldIssue("start", "нет такой даты: \(start.1).\(start.0) (ожидается ДД.ММ)")) }
        if !valid(end) { out.append(FieldIssue("end", "нет такой даты: \(end.1).\(end.0) (ожидается ДД.ММ)")) }
        if !(0...180).contains(leadDays) { out.append(FieldIssue("lead_days", "напоминать можно за 0–180 дней до начала сезона")) }
        return out
    }

    static func valid(_ d: (Int, Int)) -> Bool {
        let days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains(d.0) && d.1 >= 1 && d.1 <= days[d.0 - 1]
    }

    /// The next season start on or after the local day `today` (29 February falls back to 28 in common years).
    public func nextStart(onOrAfter today: DateComponents) -> DateComponents {
        let year = today.year!
        let thisYear = Self.day(year, startMonth, startDay)
        return (thisYear.month!, thisYear.day!) >= (today.month!, today.day!) ? thisYear : Self.day(year + 1, startMonth, startDay)
    }

    /// The reminder is due on `today` when today lies between the reminder day and the season start:
    /// the start it is for, or nil. A server that was off on the reminder day still reminds late.
    public func dueReminder(today: DateComponents, calendar: Calendar) -> DateComponents? {
        let start = nextStart(onOrAfter: today)
        let remind = reminderDay(for: start, calendar: calendar)
        let t = (today.year!, today.month!, today.day!), r = (remind.year!, remind.month!, remind.day!)
        return t >= r ? start : nil
    }

    /// The day to remind on for the season starting at `start`.
    public func reminderDay(for start: DateComponents, calendar: Calendar) -> DateComponents {
        let date = calendar.date(from: start)!
        let remind = calendar.date(byAdding: .day, value: -leadDays, to: date)!
        return calendar.dateComponents([.year, .month, .day], from: remind)
    }

    static func day(_ y: Int, _ m: Int, _ d: Int) -> DateComponents {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        return DateComponents(year: y, month: m, day: m == 2 && d == 29 && !leap ? 28 : d)
    }

    /// «15.03–15.05».
    public var seasonText: String {
        func f(_ m: Int, _ d: Int) -> String { String(format: "%02d.%02d", d, m) }
        return "\(f(startMonth, startDay))–\(f(endMonth, endDay))"
    }

    /// Reads «15.03» into (month, day).
    public static func parseDay(_ text: String) -> (Int, Int)? {
        let parts = text.trimmed.split(separator: ".")
        guard parts.count == 2, let d = Int(parts[0]), let m = Int(parts[1]), valid((m, d)) else { return nil }
        return (m, d)
    }
}
