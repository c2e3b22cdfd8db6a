import Foundation

/// The normal form used for case-insensitive search: SQLite's LIKE folds only ASCII, so we store and
/// query a folded copy of the text. Lower case, ё→е, runs of white space collapsed.
public enum SearchText {
    public static func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.unicodeScalars.count)
        var pendingSpace = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            switch scalar {
            case "ё": out.append("е")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Escapes LIKE wildcards so that a user's `%` or `_` is searched literally (with `ESCAPE '\'`).
    public static func likePattern(containing query: String) -> String {
        var escaped = ""
        for ch in normalize(query) {
            if ch == "%" || ch == "_" || ch == "\\" { escaped.append("\\") }
            escaped.append(ch)
        }
        return "%\(escaped)%"
    }
}
