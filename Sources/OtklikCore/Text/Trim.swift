extension String {
    /// The text without leading and trailing white space (including new lines and NBSP).
    /// Hand-written: Foundation's `trimmingCharacters(in:)` dominated import profiles on Linux.
    public var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        // Most values have nothing to trim: hand them back without copying.
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return self }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}

extension Substring {
    public var trimmed: String { String(self).trimmed }
}
