import Foundation

/// A validated case as it arrives from any channel, before it is stored. Territory and category are
/// still references (an id or a code) that the server resolves against the municipality's books.
public struct CaseDraft: Sendable, Equatable {
    public struct Author: Sendable, Equatable {
        public var name: String?
        public var phone: String?
        public var email: String?
        public var profileURL: String?
        public init(name: String? = nil, phone: String? = nil, email: String? = nil, profileURL: String? = nil) {
            self.name = name; self.phone = phone; self.email = email; self.profileURL = profileURL
        }
        public var isEmpty: Bool { name == nil && phone == nil && email == nil && profileURL == nil }
    }

    public struct Location: Sendable, Equatable {
        public var address: String?
        public var latitude: Double?
        public var longitude: Double?
        public var territoryRef: String?
        public init(address: String? = nil, latitude: Double? = nil, longitude: Double? = nil, territoryRef: String? = nil) {
            self.address = address; self.latitude = latitude; self.longitude = longitude; self.territoryRef = territoryRef
        }
    }

    public var channel: CaseChannel
    public var externalID: String?
    public var receivedAt: Date
    public var legalRegime: LegalRegime
    public let title: String?
    public let text: String
    public var sourceURL: String?
    public var platform: Platform?
    public var publicationKind: PublicationKind?
    public var author: Author
    public var location: Location
    public var attachments: [String]
    public var sourceCategory: String?
    public var sourceDeadline: Date?
    public var categoryRef: String?
    public var tags: [String]
    /// Marked urgent at the source (priority of the topic or platform): urgency overrides of the
    /// regulation apply from receipt.
    public var urgent: Bool
    /// Title and text in search form (see `SearchText`). Computed with the draft, so that bulk intake
    /// does it on the parsing core rather than on the database writer's.
    public var searchText: String { _searchText }
    private var _searchText: String

    public init(
        channel: CaseChannel, externalID: String? = nil, receivedAt: Date, legalRegime: LegalRegime = .message,
        title: String? = nil, text: String, sourceURL: String? = nil, platform: Platform? = nil,
        publicationKind: PublicationKind? = nil, author: Author = .init(), location: Location = .init(),
        attachments: [String] = [], sourceCategory: String? = nil, sourceDeadline: Date? = nil,
        categoryRef: String? = nil, tags: [String] = [], urgent: Bool = false
    ) {
        self.urgent = urgent
        self.channel = channel; self.externalID = externalID; self.receivedAt = receivedAt
        self.legalRegime = legalRegime; self.title = title; self.text = text; self.sourceURL = sourceURL
        self.platform = platform; self.publicationKind = publicationKind; self.author = author
        self.location = location; self.attachments = attachments; self.sourceCategory = sourceCategory
        self.sourceDeadline = sourceDeadline; self.categoryRef = categoryRef; self.tags = tags
        self._searchText = SearchText.normalize((title.map { $0 + " " } ?? "") + text)
    }

    /// Limits that keep one record from swamping the database or a reader.
    public enum Limits {
        public static let textCharacters = 100_000
        public static let titleCharacters = 500
        public static let externalIDCharacters = 200
        public static let urlCharacters = 2_048
        public static let shortFieldCharacters = 500
        public static let attachments = 50
        public static let tags = 30
        public static let tagCharacters = 100
        /// Clock skew tolerated between a source system and us before a date counts as "in the future".
        public static let futureSkew: TimeInterval = 10 * 60
    }
}
