import Foundation

/// A clock about to start on a case: its deadline and when to remind about it.
public struct PlannedClock: Sendable, Equatable {
    public var kind: CaseClockKind
    /// The rule's spec, or `source_deadline` / `set_by_operator` when the deadline came from elsewhere.
    public var rule: String
    public var startedAt: Date
    public var due: Date
    public var remindAt: Date?
    /// The calendar did not know a year the deadline crossed (Monday–Friday assumed).
    public var usedFallback: Bool
}

/// Which clocks start when, computed once and stored: a later change of the profile never moves them.
public enum ClockPlanner {
    public static func start(_ kind: CaseClockKind, rule: ClockRule, at start: Date, schedule: WorkSchedule,
                             reminderMinutes: Int) -> PlannedClock {
        let d = schedule.deadline(rule, from: start)
        let remind = kind == .feedback ? nil : schedule.reminder(for: rule, due: d.due, minutesBefore: reminderMinutes)
        return PlannedClock(kind: kind, rule: rule.spec, startedAt: start, due: d.due,
                            remindAt: remind.flatMap { $0 > start ? $0 : nil }, usedFallback: d.usedFallback)
    }

    /// A clock with a deadline given by a person or a source system rather than by a rule.
    public static func fixed(_ kind: CaseClockKind, due: Date, rule: String, at start: Date, schedule: WorkSchedule,
                             reminderMinutes: Int, everyHourCounts: Bool = false) -> PlannedClock {
        let remind = everyHourCounts ? due.addingTimeInterval(-Double(reminderMinutes * 60))
                                     : schedule.instant(reminderMinutes, workingMinutesBefore: due)
        return PlannedClock(kind: kind, rule: rule, startedAt: start, due: due,
                            remindAt: remind > start ? remind : nil, usedFallback: false)
    }

    /// The clocks that start when a case arrives.
    public static func atIntake(_ profile: RegulationProfile, receivedAt: Date, sourceDeadline: Date?,
                                schedule: WorkSchedule) -> [PlannedClock] {
        var out: [PlannedClock] = []
        let r = profile.reminderMinutes
        if let rule = profile.takeInWork { out.append(start(.takeInWork, rule: rule, at: receivedAt, schedule: schedule, reminderMinutes: r)) }
        if let rule = profile.firstResponse { out.append(start(.firstResponse, rule: rule, at: receivedAt, schedule: schedule, reminderMinutes: r)) }
        if let rule = profile.forward { out.append(start(.forward, rule: rule, at: receivedAt, schedule: schedule, reminderMinutes: r)) }
        if !profile.finalFromAssignment {
            if profile.useSourceDeadline, let due = sourceDeadline {
                out.append(fixed(.finalAnswer, due: due, rule: "source_deadline", at: receivedAt, schedule: schedule, reminderMinutes: r))
            } else if let rule = profile.finalAnswer {
                out.append(start(.finalAnswer, rule: rule, at: receivedAt, schedule: schedule, reminderMinutes: r))
            }
        }
        return out
    }

    /// The latest deadline an operator may give an executor at `now`, for a case whose final-answer
    /// clock (if running) is due at `finalDue`. nil: no bound.
    public static func assignmentBound(_ profile: RegulationProfile, now: Date, finalDue: Date?,
                                       schedule: WorkSchedule) -> Date? {
        if let limit = profile.assignmentLimit {
            let bound = schedule.deadline(limit, from: now).due
            if let finalDue, !profile.finalFromAssignment { return min(bound, finalDue) }
            return bound
        }
        return finalDue
    }

    /// Russian reading of a stored rule.
    public static func russian(rule: String) -> String {
        switch rule {
        case "source_deadline": return "срок из системы-источника"
        case "set_by_operator": return "срок, установленный оператором"
        case "extended": return "продлённый срок"
        case "regulation": return "срок по регламенту канала"
        default:
            if case .success(let r) = ClockRule.parse(spec: rule) { return r.russian }
            return rule
        }
    }
}
