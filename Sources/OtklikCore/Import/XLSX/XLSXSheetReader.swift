/// Reads the rows of one worksheet part, one at a time, so that a 100 000-row sheet never exists as
/// a whole table in memory. Cells are placed by their reference (`C7`), so gaps in a row stay gaps;
/// shared strings, inline strings, formula strings, booleans and date-styled numbers become text.
public struct XLSXSheetReader: Sendable {
    public struct Row: Sendable, Equatable {
        /// The row number Excel shows (1-based).
        public var number: Int
        public var cells: [String]
    }

    /// A merged range, zero-based inclusive.
    public struct MergedRange: Sendable, Equatable {
        public var firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int
    }

    /// The widest row we accept: XFD, Excel's own limit.
    public static let maxColumns = 16_384

    private var scanner: XMLScanner
    private let sharedStrings: [String]
    private let dateStyles: [Bool]
    private let date1904: Bool
    private var inSheetData = false
    private var finished = false
    private var lastRowNumber = 0

    public init(sheet: [UInt8], sharedStrings: [String], dateStyles: [Bool], date1904: Bool) {
        self.scanner = XMLScanner(sheet)
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.date1904 = date1904
    }

    /// How far through the sheet's bytes the reader is (for progress).
    public var fraction: Double {
        scanner.bytes.isEmpty ? 1 : Double(scanner.position) / Double(scanner.bytes.count)
    }

    /// The next row that has at least one non-empty cell, or nil at the end of the sheet.
    public mutating func next() throws(XMLScanner.MalformedXML) -> Row? {
        while !finished, let event = try scanner.next() {
            switch event {
            case .start(let tag):
                if scanner.name(tag.name, is: "sheetData") {
                    inSheetData = !tag.selfClosing
                    if tag.selfClosing { finished = true }
                } else if inSheetData, scanner.name(tag.name, is: "row") {
                    let number = scanner.attribute(tag, "r").flatMap { Int($0) } ?? lastRowNumber + 1
                    lastRowNumber = number
                    if tag.selfClosing { continue }
                    let cells = try readCells()
                    if cells.contains(where: { !$0.isEmpty }) { return Row(number: number, cells: cells) }
                }
            case .end(let name):
                if scanner.name(name, is: "sheetData") { inSheetData = false; finished = true }
            default: break
            }
        }
        return nil
    }

    private mutating func readCells() throws(XMLScanner.MalformedXML) -> [String] {
        var cells: [String] = []
        var nextColumn = 0
        while let event = try scanner.next() {
            switch event {
            case .start(let tag):
                guard scanner.name(tag.name, is: "c") else {
                    if !tag.selfClosing { try scanner.skipElement() }
                    continue
                }
                var column = nextColumn
                if let ref = scanner.attribute(tag, "r"), let parsed = Self.column(of: ref) { column = parsed }
                guard column < Self.maxColumns else {
                    throw XMLScanner.MalformedXML(offset: scanner.position, reason: "ячейка за пределами 16 384 столбцов")
                }
                nextColumn = column + 1
                let type = scanner.attribute(tag, "t") ?? "n"
                let style = scanner.attribute(tag, "s").flatMap { Int($0) } ?? 0
                let value = tag.selfClosing ? "" : try readValue(type: type, style: style)
                if value.isEmpty { continue }
                if cells.count <= column { cells.append(contentsOf: repeatElement("", count: column + 1 - cells.count)) }
                cells[column] = value
            case .end(let name):
                if scanner.name(name, is: "row") { return cells }
            default: break
            }
        }
        throw XMLScanner.MalformedXML(offset: scanner.position, reason: "строка листа не закрыта")
    }

    /// Reads the inside of a `<c>` element up to its end tag.
    private mutating func readValue(type: String, style: Int) throws(XMLScanner.MalformedXML) -> String {
        var raw: String?
        var inline = ""
        while let event = try scanner.next() {
            switch event {
            case .start(let tag):
                if scanner.name(tag.name, is: "v") { raw = tag.selfClosing ? "" : try scanner.readText() }
                else if scanner.name(tag.name, is: "t") { if !tag.selfClosing { inline += try scanner.readText() } }
                else if scanner.name(tag.name, is: "rPh") || scanner.name(tag.name, is: "f") { if !tag.selfClosing { try scanner.skipElement() } }
                // <is>, <r> and run properties: descend; their <t> are collected above.
            case .end(let name):
                if scanner.name(name, is: "c") { return convert(raw: raw, inline: inline, type: type, style: style) }
            default: break
            }
        }
        throw XMLScanner.MalformedXML(offset: scanner.position, reason: "ячейка не закрыта")
    }

    private func convert(raw: String?, inline: String, type: String, style: Int) -> String {
        switch type {
        case "s":
            guard let raw, let index = Int(raw), index >= 0, index < sharedStrings.count else { return "" }
            return sharedStrings[index]
        case "inlineStr": return inline
        case "str", "d": return raw ?? inline
        case "b": return raw == "1" ? "Да" : (raw == "0" ? "Нет" : "")
        case "e": return ""
        default:
            guard let raw, !raw.isEmpty else { return "" }
            if style < dateStyles.count, dateStyles[style], let serial = Double(raw),
               let text = ExcelSerialDate.text(serial: serial, date1904: date1904) {
                return text
            }
            return Self.plainNumber(raw)
        }
    }

    /// Excel stores 4 as "4" but some writers store "4.0"; identifiers like 1.2345678901E10 are
    /// written out in full, as a person sees them in the cell.
    static func plainNumber(_ raw: String) -> String {
        if raw.hasSuffix(".0") { return String(raw.dropLast(2)) }
        if raw.contains("E") || raw.contains("e"), let v = Double(raw), v == v.rounded(), abs(v) < 1e15 {
            return String(Int64(v))
        }
        return raw
    }

    /// Zero-based column of a cell reference such as `AB12` (nil if it has no letters).
    public static func column(of ref: String) -> Int? {
        var value = 0
        var letters = 0
        for u in ref.utf8 {
            if u >= 65, u <= 90 { value = value * 26 + Int(u - 64); letters += 1 }
            else if u >= 97, u <= 122 { value = value * 26 + Int(u - 96); letters += 1 }
            else { break }
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : value - 1
    }

    static func row(of ref: String) -> Int? {
        Int(String(ref.drop { !$0.isNumber }))
    }

    /// The merged ranges of a sheet (they follow the sheet data, so they are read separately before
    /// the rows, by a scan that starts after `</sheetData>`).
    public static func mergedRanges(sheet: [UInt8]) throws(XMLScanner.MalformedXML) -> [MergedRange] {
        let marker = Array("sheetData>".utf8)
        var start = 0
        if sheet.count > marker.count {
            var i = sheet.count - marker.count
            while i > 0 {
                if sheet[i] == marker[0], Array(sheet[i..<(i + marker.count)]) == marker { start = i + marker.count; break }
                i -= 1
            }
        }
        var x = XMLScanner(Array(sheet[start...]))
        var out: [MergedRange] = []
        while let e = try x.next() {
            guard case .start(let tag) = e, x.name(tag.name, is: "mergeCell"), let ref = x.attribute(tag, "ref") else { continue }
            let ends = ref.split(separator: ":").map(String.init)
            guard ends.count == 2, let c1 = column(of: ends[0]), let r1 = row(of: ends[0]),
                  let c2 = column(of: ends[1]), let r2 = row(of: ends[1]) else { continue }
            out.append(MergedRange(firstRow: r1 - 1, firstColumn: c1, lastRow: r2 - 1, lastColumn: c2))
        }
        return out
    }
}
