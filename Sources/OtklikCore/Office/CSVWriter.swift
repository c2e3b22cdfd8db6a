/// CSV as Russian Excel opens it by double-click: UTF-8 with a byte-order mark, `;` between fields, CRLF
/// line ends, fields quoted when they hold a separator, a quote or a line break. A field starting with
/// = + − @ is prefixed with an apostrophe so that a resident's text never runs as a formula.
public enum CSVWriter {
    public static func document(header: [String], rows: [[String]]) -> [UInt8] {
        var text = line(header)
        for r in rows { text += line(r) }
        return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    }

    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ";") + "\r\n"
    }

    public static func field(_ raw: String) -> String {
        var s = raw
        if let first = s.first, "=+-@\t\r".contains(first) { s = "'" + s }
        guard s.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// RFC 4180 with the given delimiter and every value exactly as it is (no formula guard): for files
    /// that programs read back, such as the output of `otklik model predict`.
    public static func verbatim(header: [String], rows: [[String]], delimiter: Character, byteOrderMark: Bool) -> [UInt8] {
        func quoted(_ s: String) -> String {
            guard s.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var out: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
        for fields in [header] + rows {
            out += Array((fields.map(quoted).joined(separator: String(delimiter)) + "\r\n").utf8)
        }
        return out
    }
}
