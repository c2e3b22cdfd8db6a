import Foundation
import OtklikCore

/// How much time a clock has left, read the way the case card and the queue both show it.
struct ClockReading {
    var seconds: Int
    var everyHour: Bool
    var text: String
    /// overdue | soon (two hours or less) | ""
    var state: String

    init(_ c: CaseClock, now: Date, schedule: WorkSchedule) {
        everyHour = c.rule.hasPrefix("daily") || c.rule.hasPrefix("by_local_time") || c.kind == CaseClockKind.urgent.rawValue
        seconds = everyHour ? Int(c.dueAt.timeIntervalSince(now)) : schedule.workingSeconds(from: now, to: c.dueAt)
        let span = WorkingSpan.russian(seconds: seconds, working: !everyHour)
        text = seconds >= 0 ? "осталось " + span : "просрочено на " + span
        state = seconds < 0 ? "overdue" : (seconds <= 2 * 3600 ? "soon" : "")
    }
}
