import Foundation
import OtklikCore

/// What happened to one item of an intake (API call, batch item, line of an import file).
enum IntakeOutcome: Sendable, Equatable {
    case created(id: UUID, number: Int)
    case existing(id: UUID, number: Int)
    case rejected([FieldIssue])
}

/// Who is registering cases and through what, for the history and the audit log.
struct IntakeActor: Sendable {
    var userID: UUID?
    var label: String
    /// api, batch, import, demo…
    var source: String
}
