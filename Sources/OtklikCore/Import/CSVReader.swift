/// An RFC 4180 reader for exported spreadsheets: quoted fields with doubled quotes and line breaks,
/// `;`, `,` or tab as the delimiter (detected from the header line), CRLF or LF line ends.
/// Rows come with the line they start on, so every problem can name its line in the file.
public struct CSVReader: Sendable {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    public enum ReadError: Error, Equatable, Sendable {
        /// A quoted field opened on this line never closes: everything after it would be swallowed.
        case unclosedQuote(line: Int)
        public var russian: String {
            switch self {
            case .unclosedQuote(let line):
                "кавычка, открытая в строке \(line), не закрыта до конца файла; проверьте кавычки в этой строке"
            }
        }
    }

    public let delimiter: Character
    private let scalars: [Unicode.Scalar]

    public init(text: String, delimiter: Character? = nil) {
        self.scalars = Array(text.unicodeScalars)
        self.delimiter = delimiter ?? Self.detectDelimiter(in: text)
    }

    /// The delimiter that occurs most often outside quotes in the first line.
    public static func detectDelimiter(in text: String) -> Character {
        var counts: [Character: Int] = [";": 0, ",": 0, "\t": 0]
        var inQuotes = false
        for ch in text.prefix(10_000) {
            if ch == "\"" { inQuotes.toggle() }
            else if !inQuotes {
                if ch == "\n" || ch == "\r\n" || ch == "\r" { break }
                if counts[ch] != nil { counts[ch]! += 1 }
            }
        }
        let best = counts.max { a, b in a.value == b.value ? a.key != ";" && b.key == ";" : a.value < b.value }
        return (best?.value ?? 0) > 0 ? best!.key : ";"
    }

    /// Reads all rows; blank lines are skipped. A stray quote inside an unquoted field is kept as text
    /// (Excel writes such files); an unclosed quoted field is an error, since its extent is unknowable.
    public func rows() throws(ReadError) -> [Row] {
        let delim = delimiter.unicodeScalars.first!
        var rows: [Row] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var rowStartLine = 1
        var i = 0
        let n = scalars.count
        var quoted = false
        var quoteStartLine = 0
        var fieldStarted = false

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            fieldStarted = false
        }
        while i < n {
            let c = scalars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < n, scalars[i + 1] == "\"" { field.append("\""); i += 2; continue }
                    quoted = false
                    i += 1
                    continue
                }
                if c == "\n" { line += 1 }
                field.append(c)
                i += 1
                continue
            }
            switch c {
            case "\"" where !fieldStarted && field.isEmpty:
                quoted = true
                fieldStarted = true
                quoteStartLine = line
            case delim:
                endField()
            case "\r", "\n":
                if c == "\r", i + 1 < n, scalars[i + 1] == "\n" { i += 1 }
                endField()
                if !(fields.count == 1 && fields[0].isEmpty) {
                    rows.append(Row(line: rowStartLine, fields: fields))
                }
                fields = []
                line += 1
                rowStartLine = line
            default:
                field.append(c)
                fieldStarted = true
            }
            i += 1
        }
        if quoted { throw .unclosedQuote(line: quoteStartLine) }
        if fieldStarted || !field.isEmpty || !fields.isEmpty {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowStartLine, fields: fields)) }
        }
        return rows
    }
}
