/// Which profile a case follows: its channel, or the 59-ФЗ regime whatever the channel.
public enum ProfileKey: Hashable, Sendable, CaseIterable {
    case channel(CaseChannel)
    case appeal59FZ

    public static let allCases: [ProfileKey] = CaseChannel.allCases.map(ProfileKey.channel) + [.appeal59FZ]

    public init(channel: CaseChannel, regime: LegalRegime) {
        self = regime == .appeal59FZ ? .appeal59FZ : .channel(channel)
    }

    public var rawValue: String {
        switch self {
        case .channel(let c): c.rawValue
        case .appeal59FZ: LegalRegime.appeal59FZ.rawValue
        }
    }

    public init?(rawValue: String) {
        if rawValue == LegalRegime.appeal59FZ.rawValue { self = .appeal59FZ; return }
        guard let c = CaseChannel(rawValue: rawValue) else { return nil }
        self = .channel(c)
    }

    public var title: String {
        switch self {
        case .channel(let c): c.title
        case .appeal59FZ: "Обращение по 59-ФЗ (любой канал)"
        }
    }
}

/// The deadlines a case follows: take in work, first response, final answer, the author's feedback.
/// Defaults are those of REGULATIONS.md; a tenant edits them per channel and overrides them per category
/// or urgency (`RegulationBook`).
public struct RegulationProfile: Sendable, Equatable {
    public var takeInWork: ClockRule?
    public var firstResponse: ClockRule?
    /// 59-ФЗ: forwarding to the competent body (with notice to the author).
    public var forward: ClockRule?
    /// The term of the final answer, counted from receipt, or from the assignment when `finalFromAssignment`.
    public var finalAnswer: ClockRule?
    /// «Инцидент Менеджмент»: the operator sets the term when assigning the executor.
    public var finalFromAssignment: Bool
    /// ПОС: the deadline that came with the message wins over `finalAnswer`.
    public var useSourceDeadline: Bool
    /// The latest deadline an operator may give an executor, counted like `finalAnswer`; nil: the final
    /// answer's own deadline is the bound.
    public var assignmentLimit: ClockRule?
    /// After publication: how long the author has to react; nil closes the case when the answer is published.
    public var feedbackWindow: ClockRule?
    /// True: silence until the window ends means the answer is accepted («Инцидент Менеджмент»).
    public var silenceAccepts: Bool
    /// How many extensions a case may get (nil: no limit) and how long each may be, in calendar days.
    public var maxExtensions: Int?
    public var maxExtensionDays: Int?
    /// Reminders go this many working minutes before a deadline.
    public var reminderMinutes: Int

    public init(takeInWork: ClockRule? = nil, firstResponse: ClockRule? = nil, forward: ClockRule? = nil,
                finalAnswer: ClockRule? = nil, finalFromAssignment: Bool = false, useSourceDeadline: Bool = false,
                assignmentLimit: ClockRule? = nil, feedbackWindow: ClockRule? = nil, silenceAccepts: Bool = false,
                maxExtensions: Int? = nil, maxExtensionDays: Int? = nil, reminderMinutes: Int = 60) {
        self.takeInWork = takeInWork
        self.firstResponse = firstResponse
        self.forward = forward
        self.finalAnswer = finalAnswer
        self.finalFromAssignment = finalFromAssignment
        self.useSourceDeadline = useSourceDeadline
        self.assignmentLimit = assignmentLimit
        self.feedbackWindow = feedbackWindow
        self.silenceAccepts = silenceAccepts
        self.maxExtensions = maxExtensions
        self.maxExtensionDays = maxExtensionDays
        self.reminderMinutes = reminderMinutes
    }
}

extension RegulationProfile {
    /// The defaults of REGULATIONS.md, row by row.
    public static func shipped(_ key: ProfileKey) -> RegulationProfile {
        // Feedback of channels with ratings: REGULATIONS.md gives no window; five working days keeps a
        // case from waiting forever and is editable (our choice, see docs/guide.md).
        let ratingWindow = ClockRule.workingDays(5)
        switch key {
        case .channel(.incidentManager):
            // First answer within 1 working hour; the final term is set at assignment (default 1 working
            // day = 9 working hours); 48 hours of every day for the author's comment, silence → accepted.
            return .init(firstResponse: .workingHours(minutes: 60), finalAnswer: .workingHours(minutes: 540),
                         finalFromAssignment: true, assignmentLimit: .workingDays(5),
                         feedbackWindow: .daily(minutes: 48 * 60), silenceAccepts: true)
        case .channel(.pos):
            // Taken in work the same working day; the ПОС deadline, or 8 working days; rating 1–5.
            return .init(takeInWork: .workingDays(0), finalAnswer: .workingDays(8), useSourceDeadline: true,
                         feedbackWindow: ratingWindow, silenceAccepts: true)
        case .channel(.regionalPlatform):
            // «Within 24 hours» on a Monday–Friday schedule = 9 working hours; 14 calendar days.
            return .init(takeInWork: .workingHours(minutes: 540), finalAnswer: .calendarDays(14))
        case .channel(.governorPages):
            // «В течение суток до 18.00», every day of the week.
            return .init(finalAnswer: .byLocalTime(hour: 18, minute: 0))
        case .appeal59FZ:
            // Registration within 3 days, forwarding within 7 with notice, 30 days, one extension ≤ 30 days.
            return .init(takeInWork: .calendarDays(3), forward: .calendarDays(7), finalAnswer: .calendarDays(30),
                         maxExtensions: 1, maxExtensionDays: 30)
        case .channel(.manualMonitoring), .channel(.officialPages):
            // Social-network sources: a first response within 1 working hour.
            return .init(takeInWork: .workingDays(0), firstResponse: .workingHours(minutes: 60),
                         finalAnswer: .workingDays(8), feedbackWindow: ratingWindow, silenceAccepts: true)
        case .channel(.hotline), .channel(.email), .channel(.personalReception), .channel(.webForm),
             .channel(.telegramBot), .channel(.open311):
            return .init(takeInWork: .workingDays(0), finalAnswer: .workingDays(8),
                         feedbackWindow: ratingWindow, silenceAccepts: true)
        }
    }
}
