/// The normal form used for case-insensitive search: SQLite's LIKE folds only ASCII, so we store and
/// query a folded copy of the text. Lower case, ё→е, runs of white space collapsed to one space.
/// One pass with direct mapping for ASCII and Cyrillic (nearly all text here); other scripts fall back
/// to the standard library's lower-casing.
public enum SearchText {
    public static func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if isSpace(v) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            switch v {
            case 0x41...0x5A: out.append(Unicode.Scalar(v + 0x20)!)            // A–Z
            case 0x410...0x42F: out.append(Unicode.Scalar(v + 0x20)!)          // А–Я
            case 0x401, 0x451: out.append("е")                                 // Ё, ё
            case 0...0x7F, 0x430...0x44F: out.append(scalar)
            default:
                if scalar.properties.changesWhenLowercased {
                    out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    private static func isSpace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
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
