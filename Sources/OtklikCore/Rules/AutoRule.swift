import Foundation

/// An auto-rule (автоправило) of a municipality: when every condition that is set holds for a new case,
/// the actions fill what the case still lacks. Rules run in their order; `stop` ends the run.
public struct AutoRule: Sendable, Equatable, Codable {
    public var name: String
    public var conditions: RuleConditions
    public var actions: RuleActions
    public var stop: Bool

    public init(name: String, conditions: RuleConditions, actions: RuleActions, stop: Bool = false) {
        self.name = name
        self.conditions = conditions
        self.actions = actions
        self.stop = stop
    }
}

/// What a rule looks at. Every list means «any of»; an empty or absent condition holds for every case.
public struct RuleConditions: Sendable, Equatable, Codable {
    public var channels: [String] = []
    public var platforms: [String] = []
    /// Words or phrases, matched on word stems («фонарь» finds «фонари», «фонарей»); a phrase's words must
    /// stand in its order, side by side (stop words aside).
    public var words: [String] = []
    /// A regular expression, case-insensitive, on the normalised text (lower case, ё→е, no HTML).
    public var pattern: String?
    public var territoryIDs: [UUID] = []
    public var categoryIDs: [UUID] = []
    /// A fragment of the author's name, e-mail, phone or profile link.
    public var author: String?
    /// Local days of receipt, 1 = Monday … 7 = Sunday.
    public var weekdays: [Int] = []
    /// Local time of receipt, minutes since midnight; `from > to` spans midnight (22:00–06:00).
    public var minuteFrom: Int?
    public var minuteTo: Int?
    /// A fragment of the source link (a community, a chat, a site).
    public var sourceURL: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case channels, platforms, words, pattern, author, weekdays
        case territoryIDs = "territory_ids", categoryIDs = "category_ids"
        case minuteFrom = "minute_from", minuteTo = "minute_to", sourceURL = "source_url"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        channels = try c.decodeIfPresent([String].self, forKey: .channels) ?? []
        platforms = try c.decodeIfPresent([String].self, forKey: .platforms) ?? []
        words = try c.decodeIfPresent([String].self, forKey: .words) ?? []
        pattern = try c.decodeIfPresent(String.self, forKey: .pattern)
        territoryIDs = try c.decodeIfPresent([UUID].self, forKey: .territoryIDs) ?? []
        categoryIDs = try c.decodeIfPresent([UUID].self, forKey: .categoryIDs) ?? []
        author = try c.decodeIfPresent(String.self, forKey: .author)
        weekdays = try c.decodeIfPresent([Int].self, forKey: .weekdays) ?? []
        minuteFrom = try c.decodeIfPresent(Int.self, forKey: .minuteFrom)
        minuteTo = try c.decodeIfPresent(Int.self, forKey: .minuteTo)
        sourceURL = try c.decodeIfPresent(String.self, forKey: .sourceURL)
    }

    public var isEmpty: Bool {
        channels.isEmpty && platforms.isEmpty && words.isEmpty && pattern == nil && territoryIDs.isEmpty && categoryIDs.isEmpty
            && author == nil && weekdays.isEmpty && minuteFrom == nil && minuteTo == nil && sourceURL == nil
    }
}

/// What a rule does. Values fill only what is still empty: a source's category, an earlier rule's choice
/// or a person's decision is never overwritten; tags are added; `urgent` only ever switches on.
public struct RuleActions: Sendable, Equatable, Codable {
    public var categoryID: UUID?
    public var blockID: UUID?
    public var organisationID: UUID?
    public var executorID: UUID?
    public var urgent = false
    public var tags: [String] = []
    /// Roles of the municipality to notify in the app (mcu_head, channel_operator…).
    public var notifyRoles: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case urgent, tags
        case categoryID = "category_id", blockID = "block_id", organisationID = "organisation_id", executorID = "executor_id"
        case notifyRoles = "notify_roles"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        categoryID = try c.decodeIfPresent(UUID.self, forKey: .categoryID)
        blockID = try c.decodeIfPresent(UUID.self, forKey: .blockID)
        organisationID = try c.decodeIfPresent(UUID.self, forKey: .organisationID)
        executorID = try c.decodeIfPresent(UUID.self, forKey: .executorID)
        urgent = try c.decodeIfPresent(Bool.self, forKey: .urgent) ?? false
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        notifyRoles = try c.decodeIfPresent([String].self, forKey: .notifyRoles) ?? []
    }

    public var isEmpty: Bool {
        categoryID == nil && blockID == nil && organisationID == nil && executorID == nil && !urgent && tags.isEmpty && notifyRoles.isEmpty
    }
}
