import Foundation

/// Which of a case's running clocks a foreign system's status stops, and with what outcome. The
/// source knows *that* a step happened but seldom *when*: a clock is judged met or missed only
/// against a moment we know (the export's completion date, or now when now is still within the term);
/// otherwise it is taken off as «снят», so imports never invent a violation or a success.
public enum SourceClockRule {
    public static func stop(_ kind: CaseClockKind, due: Date, state: SourceState, now: Date) -> (at: Date, outcome: ClockOutcome)? {
        guard let status = state.mappedStatus else { return nil }
        let answered: Set<CaseStatus> = [.published, .awaitingFeedback, .closed]
        let taken: Set<CaseStatus> = [.inWork, .assigned, .onReview, .returned, .approved]
        switch kind {
        case .takeInWork:
            guard answered.contains(status) || taken.contains(status) else { return nil }
            return judged(due: due, known: nil, now: now)
        case .firstResponse, .forward, .executor, .urgent, .finalAnswer:
            guard answered.contains(status) else { return nil }
            return judged(due: due, known: state.completedAt, now: now)
        case .feedback:
            guard status == .closed else { return nil }
            return (state.completedAt ?? now, .cancelled)
        }
    }

    private static func judged(due: Date, known: Date?, now: Date) -> (Date, ClockOutcome) {
        if let known { return (known, known <= due ? .met : .missed) }
        return (now, now <= due ? .met : .cancelled)
    }
}
