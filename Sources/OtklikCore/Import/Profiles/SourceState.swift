import Foundation

/// What a foreign system says about a case now, besides what it said at intake: its status (raw and
/// translated), planned and actual completion, the author's rating, the decision type, the responsible
/// organisation, and the other columns the profile keeps. A re-import compares this with what the case
/// holds and records the differences as an event.
public struct SourceState: Sendable, Equatable {
    public var status: String?
    public var mappedStatus: CaseStatus?
    public var plannedAt: Date?
    public var completedAt: Date?
    public var rating: Int?
    public var result: CaseResult?
    /// Resolved organisation id (as text), when the export names one we know.
    public var organisationRef: String?
    /// Kept columns in file order: header → value (empty values left out).
    public var fields: [(String, String)]

    public init(status: String? = nil, mappedStatus: CaseStatus? = nil, plannedAt: Date? = nil, completedAt: Date? = nil,
                rating: Int? = nil, result: CaseResult? = nil, organisationRef: String? = nil, fields: [(String, String)] = []) {
        self.status = status; self.mappedStatus = mappedStatus; self.plannedAt = plannedAt; self.completedAt = completedAt
        self.rating = rating; self.result = result; self.organisationRef = organisationRef; self.fields = fields
    }

    public static func == (a: SourceState, b: SourceState) -> Bool {
        a.status == b.status && a.mappedStatus == b.mappedStatus && a.plannedAt == b.plannedAt
            && a.completedAt == b.completedAt && a.rating == b.rating && a.result == b.result
            && a.organisationRef == b.organisationRef && a.fields.elementsEqual(b.fields, by: ==)
    }

    /// Whether the source considers the case finished.
    public var isClosed: Bool { mappedStatus == .closed }
}

/// A foreign value that none of the mapping tables knows, for the preview's and report's lists.
public struct UnmappedValue: Sendable, Hashable, Comparable {
    public var kind: ImportMappings.Kind
    public var value: String
    public init(kind: ImportMappings.Kind, value: String) { self.kind = kind; self.value = value }
    public static func < (a: UnmappedValue, b: UnmappedValue) -> Bool {
        (a.kind.rawValue, a.value) < (b.kind.rawValue, b.value)
    }
}
