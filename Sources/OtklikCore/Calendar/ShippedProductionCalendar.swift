// Generated from the xmlcalendar files of the Russian production calendar (reference/calendar/ru/YYYY.xml)
// for 2024–2027: facts of the government's annual decrees on moving days off. Regenerate, do not edit.
// Each entry: (month, day, kind, moved from "MM.DD" or nil). Kinds: 1 day off, 2 shortened working day,
// 3 working weekend day. Weekends not listed are days off.

extension ProductionCalendar {
    /// The calendar shipped with Otklik; an administrator can load more years in the same format.
    public static let shipped: ProductionCalendar = {
        var calendar = ProductionCalendar()
        calendar.load(year: 2024, days: [(1, 1, 1, nil), (1, 2, 1, nil), (1, 3, 1, nil), (1, 4, 1, nil), (1, 5, 1, nil), (1, 6, 1, nil), (1, 7, 1, nil), (1, 8, 1, nil), (2, 22, 2, nil), (2, 23, 1, nil), (3, 7, 2, nil), (3, 8, 1, nil), (4, 27, 3, nil), (4, 29, 1, "04.27"), (4, 30, 1, "11.02"), (5, 1, 1, nil), (5, 8, 2, nil), (5, 9, 1, nil), (5, 10, 1, "01.06"), (6, 11, 2, nil), (6, 12, 1, nil), (11, 2, 2, nil), (11, 4, 1, nil), (12, 28, 3, nil), (12, 30, 1, "12.28"), (12, 31, 1, "01.07")])
        calendar.load(year: 2025, days: [(1, 1, 1, nil), (1, 2, 1, nil), (1, 3, 1, nil), (1, 4, 1, nil), (1, 5, 1, nil), (1, 6, 1, nil), (1, 7, 1, nil), (1, 8, 1, nil), (2, 23, 1, nil), (3, 7, 2, nil), (3, 8, 1, nil), (4, 30, 2, nil), (5, 1, 1, nil), (5, 2, 1, "01.04"), (5, 8, 1, "02.23"), (5, 9, 1, nil), (6, 11, 2, nil), (6, 12, 1, nil), (6, 13, 1, "03.08"), (11, 1, 2, nil), (11, 3, 1, "11.01"), (11, 4, 1, nil), (12, 31, 1, "01.05")])
        calendar.load(year: 2026, days: [(1, 1, 1, nil), (1, 2, 1, nil), (1, 3, 1, nil), (1, 4, 1, nil), (1, 5, 1, nil), (1, 6, 1, nil), (1, 7, 1, nil), (1, 8, 1, nil), (1, 9, 1, "01.03"), (2, 23, 1, nil), (3, 8, 1, nil), (3, 9, 1, "03.08"), (4, 30, 2, nil), (5, 1, 1, nil), (5, 8, 2, nil), (5, 9, 1, nil), (5, 11, 1, "05.09"), (6, 11, 2, nil), (6, 12, 1, nil), (11, 3, 2, nil), (11, 4, 1, nil), (12, 31, 1, "01.04")])
        calendar.load(year: 2027, days: [(1, 1, 1, nil), (1, 2, 1, nil), (1, 3, 1, nil), (1, 4, 1, nil), (1, 5, 1, nil), (1, 6, 1, nil), (1, 7, 1, nil), (1, 8, 1, nil), (2, 20, 2, nil), (2, 22, 1, "02.20"), (2, 23, 1, nil), (3, 8, 1, nil), (4, 30, 2, nil), (5, 1, 1, nil), (5, 3, 1, "05.01"), (5, 9, 1, nil), (5, 10, 1, "05.09"), (6, 11, 2, nil), (6, 12, 1, nil), (6, 14, 1, "06.12"), (11, 3, 2, nil), (11, 4, 1, nil), (11, 5, 1, "01.02"), (12, 31, 1, "01.03")])
        return calendar
    }()
}
