/// One problem with one input field, worded in Russian for the person who sent it.
public struct FieldIssue: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// JSON-pointer-like path of the field, e.g. `received_at` or `author.email`.
    public var field: String
    public var reason: String

    public init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
