/// One editable setting of a profile: inherit the level above, switch the clock off, or set it.
public enum ClockSetting: Sendable, Equatable {
    case inherit
    case off
    case set(ClockRule)

    /// Stored text: NULL inherits, "off" switches off, otherwise the rule's spec.
    public init(stored: String?) throws(ClockSpecError) {
        guard let stored, !stored.trimmed.isEmpty else { self = .inherit; return }
        if stored.trimmed == "off" { self = .off; return }
        switch ClockRule.parse(spec: stored) {
        case .success(let rule): self = .set(rule)
        case .failure(let e): throw e
        }
    }

    public var stored: String? {
        switch self {
        case .inherit: nil
        case .off: "off"
        case .set(let r): r.spec
        }
    }

    func apply(to value: inout ClockRule?) {
        switch self {
        case .inherit: break
        case .off: value = nil
        case .set(let r): value = r
        }
    }
}

/// A tenant's change to a profile: for a whole channel, or an override for one category (and its
/// subcategories) or for urgent cases. Unset fields inherit.
public struct ProfilePatch: Sendable, Equatable {
    public var takeInWork: ClockSetting = .inherit
    public var firstResponse: ClockSetting = .inherit
    public var forward: ClockSetting = .inherit
    public var finalAnswer: ClockSetting = .inherit
    public var assignmentLimit: ClockSetting = .inherit
    public var feedbackWindow: ClockSetting = .inherit
    public var silenceAccepts: Bool?
    public var maxExtensions: Int?
    public var maxExtensionDays: Int?
    public var reminderMinutes: Int?

    public init() {}

    public func applied(to base: RegulationProfile) -> RegulationProfile {
        var p = base
        takeInWork.apply(to: &p.takeInWork)
        firstResponse.apply(to: &p.firstResponse)
        forward.apply(to: &p.forward)
        finalAnswer.apply(to: &p.finalAnswer)
        assignmentLimit.apply(to: &p.assignmentLimit)
        feedbackWindow.apply(to: &p.feedbackWindow)
        if let v = silenceAccepts { p.silenceAccepts = v }
        if let v = maxExtensions { p.maxExtensions = v }
        if let v = maxExtensionDays { p.maxExtensionDays = v }
        if let v = reminderMinutes { p.reminderMinutes = v }
        return p
    }
}

/// What a tenant has changed, and how a case finds its profile: shipped default → the tenant's channel
/// settings → an urgency override → a category override (the nearest category up the rubricator wins;
/// the most specific rule is applied last).
public struct RegulationBook: Sendable {
    public struct Override: Sendable, Equatable {
        public var key: ProfileKey?          // nil: every channel
        public var categoryID: String?       // nil: any category
        public var urgent: Bool?             // nil: urgent or not
        public var patch: ProfilePatch

        public init(key: ProfileKey?, categoryID: String?, urgent: Bool?, patch: ProfilePatch) {
            self.key = key; self.categoryID = categoryID; self.urgent = urgent; self.patch = patch
        }
    }

    public var channelPatches: [ProfileKey: ProfilePatch]
    public var overrides: [Override]

    public init(channelPatches: [ProfileKey: ProfilePatch] = [:], overrides: [Override] = []) {
        self.channelPatches = channelPatches
        self.overrides = overrides
    }

    /// The tenant's profile of a channel, without overrides.
    public func channelProfile(_ key: ProfileKey) -> RegulationProfile {
        let base = RegulationProfile.shipped(key)
        return channelPatches[key].map { $0.applied(to: base) } ?? base
    }

    /// The profile of one case. `categoryPath` lists the case's category and its ancestors, nearest first.
    public func profile(for key: ProfileKey, categoryPath: [String], urgent: Bool) -> RegulationProfile {
        var profile = channelProfile(key)
        let matching = overrides.compactMap { o -> (rank: Int, patch: ProfilePatch)? in
            if let k = o.key, k != key { return nil }
            if let u = o.urgent, u != urgent { return nil }
            var rank = 0
            if let c = o.categoryID {
                guard let depth = categoryPath.firstIndex(of: c) else { return nil }
                rank += 1_000 - depth     // a nearer category is more specific
            }
            if o.urgent != nil { rank += 10 }
            if o.key != nil { rank += 1 }
            return (rank, o.patch)
        }
        for m in matching.sorted(by: { $0.rank < $1.rank }) { profile = m.patch.applied(to: profile) }
        return profile
    }
}
