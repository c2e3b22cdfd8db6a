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
}
