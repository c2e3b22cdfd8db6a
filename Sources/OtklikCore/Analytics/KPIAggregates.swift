/// What the database counts for one slice and period; `KPISheet` turns it into figures with formulas.
public struct KPIAggregates: Sendable, Equatable {
    /// Per clock kind, among the cases received in the period: stopped in time, stopped late, still open
    /// with the deadline passed (those count as late already; cancelled clocks count nowhere).
    public struct ClockTally: Sendable, Equatable {
        public var met = 0, missed = 0, openOverdue = 0
        public init(met: Int = 0, missed: Int = 0, openOverdue: Int = 0) { self.met = met; self.missed = missed; self.openOverdue = openOverdue }
        public var decided: Int { met + missed + openOverdue }
    }

    /// Elapsed minutes: how many observations, the median and the 90th percentile (nearest rank).
    public struct Durations: Sendable, Equatable {
        public var count = 0
        public var median: Double?
        public var p90: Double?
        public init(count: Int = 0, median: Double? = nil, p90: Double? = nil) { self.count = count; self.median = median; self.p90 = p90 }
    }

    public var volume = 0
    public var volumePrevious = 0
    public var volumeLastYear = 0
    public var clocks: [CaseClockKind: ClockTally] = [:]
    public var takeInWork = Durations()
    public var firstResponse = Durations()
    /// Open cases whose nearest deadline has passed now, whenever they came in.
    public var overdueNow = 0
    public var rated = 0
    public var rated45 = 0
    public var acceptedBySilence = 0
    /// Cases of the period whose answer was published (published, awaiting feedback, reopened, closed with an answer).
    public var answered = 0
    public var reopened = 0
    public var resolved = 0
    public var explained = 0

    public init() {}
}
