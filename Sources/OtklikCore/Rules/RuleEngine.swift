import Foundation

/// What a rule can see of a case.
public struct RuleSubject: Sendable {
    public var channel: String
    public var platform: String?
    public var text: String
    public var territoryID: UUID?
    public var categoryID: UUID?
    public var authorFields: [String]
    public var receivedAt: Date
    public var sourceURL: String?

    public init(channel: String, platform: String?, text: String, territoryID: UUID?, categoryID: UUID?,
                authorFields: [String], receivedAt: Date, sourceURL: String?) {
        self.channel = channel
        self.platform = platform
        self.text = text
        self.territoryID = territoryID
        self.categoryID = categoryID
        self.authorFields = authorFields
        self.receivedAt = receivedAt
        self.sourceURL = sourceURL
    }
}

/// The fields rules fill, as they stand.
public struct RuleTarget: Sendable, Equatable {
    public var categoryID: UUID?
    public var blockID: UUID?
    public var organisationID: UUID?
    public var executorID: UUID?
    public var urgent: Bool
    public var tags: [String]

    public init(categoryID: UUID? = nil, blockID: UUID? = nil, organisationID: UUID? = nil, executorID: UUID? = nil,
                urgent: Bool = false, tags: [String] = []) {
        self.categoryID = categoryID
        self.blockID = blockID
        self.organisationID = organisationID
        self.executorID = executorID
        self.urgent = urgent
        self.tags = tags
    }
}

/// One rule that matched and what it changed (possibly nothing, when everything was already set).
public struct RuleApplication: Sendable, Equatable {
    public var index: Int
    public var name: String
    public var changed: [String]
    public var notifyRoles: [String]
    public var stopped: Bool
}

/// Rules compiled once (stems of their phrases, their regular expressions) and run over many cases.
public struct RuleEngine: Sendable {
    public enum Problem: Error, Equatable, Sendable {
        case badPattern(rule: String, reason: String)
        case badTime(rule: String)
        case badWeekday(rule: String, Int)

        public var russian: String {
            switch self {
            case .badPattern(let rule, let reason): "Правило «\(rule)»: регулярное выражение не разбирается (\(reason))."
            case .badTime(let rule): "Правило «\(rule)»: время суток — от 00:00 до 23:59."
            case .badWeekday(let rule, let d): "Правило «\(rule)»: день недели \(d) — допустимо от 1 (понедельник) до 7 (воскресенье)."
            }
        }
    }

    struct Compiled: @unchecked Sendable {   // NSRegularExpression is immutable and thread-safe
        var rule: AutoRule
        var phrases: [[String]]
        var regex: NSRegularExpression?
    }

    /// Regular expressions look at this much of a text: a runaway expression cannot stall intake on a
    /// 100 000-character message.
    public static let patternWindow = 20_000

    let compiled: [Compiled]
    let zone: TimeZone

    public init(_ rules: [AutoRule], zone: TimeZone) throws(Problem) {
        var out: [Compiled] = []
        for rule in rules {
            out.append(try Self.compile(rule))
        }
        compiled = out
        self.zone = zone
    }

    /// Checks a rule before it is saved: its expression, times and days.
    public static func validate(_ rule: AutoRule) throws(Problem) { _ = try compile(rule) }

    static func compile(_ rule: AutoRule) throws(Problem) -> Compiled {
        let c = rule.conditions
        var regex: NSRegularExpression?
        if let pattern = c.pattern, !pattern.isEmpty {
            do { regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) }
            catch { throw .badPattern(rule: rule.name, reason: "проверьте скобки, `\\`, `*`, `+`, `?`") }
        }
        for minute in [c.minuteFrom, c.minuteTo].compactMap({ $0 }) where !(0..<1440).contains(minute) {
            throw .badTime(rule: rule.name)
        }
        if let d = c.weekdays.first(where: { !(1...7).contains($0) }) { throw .badWeekday(rule: rule.name, d) }
        let phrases = c.words.map { TextPipeline.terms($0) }.filter { !$0.isEmpty }
        return Compiled(rule: rule, phrases: phrases, regex: regex)
    }

    /// Runs the rules in order over one case; `target` is updated, the applications say what each did.
    public func run(_ subject: RuleSubject, target: inout RuleTarget) -> [RuleApplication] {
        var applications: [RuleApplication] = []
        var lazyTerms: [String]?
        var lazyText: String?
        for (index, c) in compiled.enumerated() {
            guard matches(c, subject, terms: &lazyTerms, normalized: &lazyText) else { continue }
            let changed = Self.apply(c.rule.actions, to: &target)
            applications.append(RuleApplication(index: index, name: c.rule.name, changed: changed,
                                                notifyRoles: c.rule.actions.notifyRoles, stopped: c.rule.stop))
            if c.rule.stop { break }
        }
        return applications
    }

    func matches(_ c: Compiled, _ s: RuleSubject, terms: inout [String]?, normalized: inout String?) -> Bool {
        let k = c.rule.conditions
        if !k.channels.isEmpty && !k.channels.contains(s.channel) { return false }
        if !k.platforms.isEmpty && !(s.platform.map(k.platforms.contains) ?? false) { return false }
        if !k.territoryIDs.isEmpty && !(s.territoryID.map(k.territoryIDs.contains) ?? false) { return false }
        if !k.categoryIDs.isEmpty && !(s.categoryID.map(k.categoryIDs.contains) ?? false) { return false }
        if let author = k.author?.lowercased(), !author.isEmpty,
           !s.authorFields.contains(where: { $0.lowercased().contains(author) }) { return false }
        if let url = k.sourceURL?.lowercased(), !url.isEmpty, !(s.sourceURL?.lowercased().contains(url) ?? false) { return false }
        if !k.weekdays.isEmpty || k.minuteFrom != nil || k.minuteTo != nil {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let parts = calendar.dateComponents([.weekday, .hour, .minute], from: s.receivedAt)
            let weekday = ((parts.weekday ?? 1) + 5) % 7 + 1   // Calendar: 1 = Sunday → ours: 7 = Sunday
            if !k.weekdays.isEmpty && !k.weekdays.contains(weekday) { return false }
            let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
            let from = k.minuteFrom ?? 0, to = k.minuteTo ?? 1439
            let inside = from <= to ? (from...to).contains(minute) : (minute >= from || minute <= to)
            if !inside { return false }
        }
        if !c.phrases.isEmpty {
            if terms == nil { terms = TextPipeline.terms(s.text) }
            guard c.phrases.contains(where: { Self.contains(terms!, $0) }) else { return false }
        }
        if let regex = c.regex {
            if normalized == nil { normalized = String(TextPipeline.normalizedText(s.text).prefix(Self.patternWindow)) }
            let text = normalized!
            guard regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil else { return false }
        }
        return true
    }

    static func contains(_ terms: [String], _ phrase: [String]) -> Bool {
        guard phrase.count <= terms.count, let first = phrase.first else { return false }
        var i = 0
        while i + phrase.count <= terms.count {
            if terms[i] == first && Array(terms[i..<(i + phrase.count)]) == phrase { return true }
            i += 1
        }
        return false
    }

    /// Fills the empty fields; returns the names of what changed.
    static func apply(_ a: RuleActions, to t: inout RuleTarget) -> [String] {
        var changed: [String] = []
        if let v = a.categoryID, t.categoryID == nil { t.categoryID = v; changed.append("category") }
        if let v = a.blockID, t.blockID == nil { t.blockID = v; changed.append("block") }
        if let v = a.organisationID, t.organisationID == nil { t.organisationID = v; changed.append("organisation") }
        if let v = a.executorID, t.executorID == nil { t.executorID = v; changed.append("executor") }
        if a.urgent && !t.urgent { t.urgent = true; changed.append("urgent") }
        let newTags = a.tags.filter { !t.tags.contains($0) }
        if !newTags.isEmpty { t.tags += newTags; changed.append("tags") }
        return changed
    }
}
