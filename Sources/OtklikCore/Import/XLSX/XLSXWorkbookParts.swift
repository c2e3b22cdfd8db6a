/// The small parts of an XLSX package that tell how to read a sheet: which sheets exist and where,
/// the shared string table, and which cell styles are dates. Each reads the bytes of one part.
public enum XLSXWorkbookParts {
    public struct Sheet: Sendable, Equatable {
        public var name: String
        /// Path inside the package, e.g. `xl/worksheets/sheet1.xml`.
        public var path: String
    }

    /// Sheets in workbook order, with their part paths resolved through the workbook's relationships.
    public static func sheets(workbook: [UInt8], relationships: [UInt8]?) throws(XMLScanner.MalformedXML) -> (sheets: [Sheet], date1904: Bool) {
        var targets: [String: String] = [:]
        if let relationships {
            var x = XMLScanner(relationships)
            while let e = try x.next() {
                guard case .start(let tag) = e, x.name(tag.name, is: "Relationship") else { continue }
                if let id = x.attribute(tag, "Id"), let target = x.attribute(tag, "Target") { targets[id] = target }
            }
        }
        var x = XMLScanner(workbook)
        var out: [Sheet] = []
        var date1904 = false
        var index = 0
        while let e = try x.next() {
            guard case .start(let tag) = e else { continue }
            if x.name(tag.name, is: "workbookPr") {
                let v = x.attribute(tag, "date1904")
                date1904 = v == "1" || v == "true"
            } else if x.name(tag.name, is: "sheet") {
                index += 1
                let name = x.attribute(tag, "name") ?? "Лист\(index)"
                let target = x.attribute(tag, "id").flatMap { targets[$0] } ?? "worksheets/sheet\(index).xml"
                out.append(Sheet(name: name, path: resolve(target)))
            }
        }
        return (out, date1904)
    }

    /// Relationship targets are relative to `xl/` unless absolute.
    static func resolve(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = ["xl"]
        for piece in target.split(separator: "/") {
            if piece == ".." { if !parts.isEmpty { parts.removeLast() } }
            else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }

    /// The shared string table: each `<si>` is the concatenation of its `<t>` runs; phonetic runs
    /// (`<rPh>`) are not part of the text.
    public static func sharedStrings(_ bytes: [UInt8]) throws(XMLScanner.MalformedXML) -> [String] {
        var x = XMLScanner(bytes)
        var out: [String] = []
        var current: String?
        while let e = try x.next() {
            switch e {
            case .start(let tag):
                if x.name(tag.name, is: "si") {
                    if tag.selfClosing { out.append("") } else { current = "" }
                } else if x.name(tag.name, is: "rPh") {
                    if !tag.selfClosing { try x.skipElement() }
                } else if x.name(tag.name, is: "t"), !tag.selfClosing {
                    let text = try x.readText()
                    current = (current ?? "") + text
                }
            case .end(let name):
                if x.name(name, is: "si") { out.append(current ?? ""); current = nil }
            default: break
            }
        }
        return out
    }

    /// For each cell style index (`s` of a cell), whether it formats numbers as dates or times.
    public static func dateStyles(_ bytes: [UInt8]) throws(XMLScanner.MalformedXML) -> [Bool] {
        var x = XMLScanner(bytes)
        var customDate: [Int: Bool] = [:]
        var styles: [Bool] = []
        var inCellXfs = false
        while let e = try x.next() {
            switch e {
            case .start(let tag):
                if x.name(tag.name, is: "numFmt"), let id = x.attribute(tag, "numFmtId").flatMap({ Int($0) }) {
                    customDate[id] = isDateFormat(x.attribute(tag, "formatCode") ?? "")
                } else if x.name(tag.name, is: "cellXfs") {
                    inCellXfs = !tag.selfClosing
                } else if inCellXfs, x.name(tag.name, is: "xf") {
                    let id = x.attribute(tag, "numFmtId").flatMap { Int($0) } ?? 0
                    styles.append(customDate[id] ?? builtInDateFormats.contains(id))
                }
            case .end(let name):
                if x.name(name, is: "cellXfs") { inCellXfs = false }
            default: break
            }
        }
        return styles
    }

    /// Built-in number formats that are dates or times (ECMA-376 §18.8.30, and the ids Russian Excel
    /// uses for its localised date formats).
    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// A custom format is a date when, outside quoted literals, escapes and bracketed colours or
    /// conditions, it has day, month, year, hour or second placeholders.
    public static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false, inBracket = false, escaped = false
        for ch in code.lowercased() {
            if escaped { escaped = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket { if ch == "]" { inBracket = false }; continue }
            switch ch {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": escaped = true
            case "d", "m", "y", "h", "s": return true
            default: break
            }
        }
        return false
    }
}
