/// What «Входящие» shows each role by default: the statuses in which the case waits for that role.
/// Statuses where the case waits for someone else (the executor, the author's rating) stay out of the
/// queue's inbox and in the executor's, and the other way round.
public enum Inbox {
    /// nil when none of the roles has cases to act on (analysts, the head): the page shows open cases.
    public static func statuses(for roles: Set<Role>) -> [CaseStatus]? {
        var wanted = Set<CaseStatus>()
        for role in roles { wanted.formUnion(waiting(on: role)) }
        return wanted.isEmpty ? nil : CaseStatus.allCases.filter(wanted.contains)
    }

    static func waiting(on role: Role) -> Set<CaseStatus> {
        switch role {
        // Take in work, assign, accept or return the answer, publish it, close a published one.
        case .channelOperator, .mcuHead: [.new, .inWork, .reopened, .onReview, .approved, .published]
        // Answer, rework a returned answer.
        case .executor, .organisationHead: [.assigned, .returned]
        // Approve or return answers (block leads: their block's, filtered by the page).
        case .curator, .blockLead: [.onReview]
        // Publish approved texts.
        case .editor: [.approved]
        default: []
        }
    }

    /// Statuses of cases still in processing (the fallback view and the «open» filter).
    public static let open: [CaseStatus] = CaseStatus.allCases.filter { $0 != .closed }
}
