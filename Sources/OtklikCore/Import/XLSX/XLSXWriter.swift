/// Writes the parts of a plain XLSX workbook (sheets of text, numbers and dates, a bold frozen header row
/// with a filter) for reports users open in Excel or LibreOffice. The caller zips the parts.
public struct XLSXWriter: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        /// A wall-clock date as an Excel serial (see `ExcelSerialDate.serial`), shown as ДД.ММ.ГГГГ ЧЧ:ММ.
        case date(Double)
        case empty
    }

    public struct Sheet: Sendable {
        public var name: String
        public var header: [String]
        public var rows: [[Cell]]
        /// Column widths in characters; missing ones are guessed from the header.
        public var widths: [Double]
        public init(name: String, header: [String], rows: [[Cell]], widths: [Double] = []) {
            self.name = name; self.header = header; self.rows = rows; self.widths = widths
        }
    }

    public var sheets: [Sheet]
    /// Text cells in one shared-strings table (`t="s"`), as Excel and the ПОС exports write them, instead
    /// of inline strings: smaller files when values repeat.
    public var sharedStrings: Bool
    public init(sheets: [Sheet], sharedStrings: Bool = false) { self.sheets = sheets; self.sharedStrings = sharedStrings }

    /// Path → content of every part of the package.
    public func parts() -> [(path: String, bytes: [UInt8])] {
        var out: [(String, [UInt8])] = []
        var overrides = ""
        if sharedStrings {
            overrides += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
        }
        for i in sheets.indices {
            overrides += "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        out.append(("[Content_Types].xml", Array(("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\(overrides)</Types>
        """).utf8)))
        out.append(("_rels/.rels", Array("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """.utf8)))
        var sheetList = "", rels = ""
        for (i, sheet) in sheets.enumerated() {
            sheetList += "<sheet name=\"\(Self.escape(String(Self.sheetName(sheet.name))))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        rels += "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        if sharedStrings {
            rels += "<Relationship Id=\"rId\(sheets.count + 2)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        }
        out.append(("xl/workbook.xml", Array("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(sheetList)</sheets></workbook>
        """.utf8)))
        out.append(("xl/_rels/workbook.xml.rels", Array("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)</Relationships>
        """.utf8)))
        // Styles: 0 default, 1 bold header, 2 date-time (custom format 164), 3 wrapped text.
        out.append(("xl/styles.xml", Array("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy hh:mm"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf></cellXfs></styleSheet>
        """.utf8)))
        var table = SharedStrings()
        for (i, sheet) in sheets.enumerated() {
            out.append(("xl/worksheets/sheet\(i + 1).xml", sheetXML(sheet, shared: &table)))
        }
        if sharedStrings { out.append(("xl/sharedStrings.xml", table.xml())) }
        return out
    }

    /// The workbook's distinct texts in first-use order.
    struct SharedStrings {
        var index: [String: Int] = [:]
        var list: [String] = []
        var uses = 0
        mutating func id(_ text: String) -> Int {
            uses += 1
            if let i = index[text] { return i }
            index[text] = list.count
            list.append(text)
            return list.count - 1
        }
        func xml() -> [UInt8] {
            var bytes = Array("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"\(uses)\" uniqueCount=\"\(list.count)\">".utf8)
            for t in list { bytes.append(contentsOf: "<si><t xml:space=\"preserve\">\(XLSXWriter.escape(t))</t></si>".utf8) }
            bytes.append(contentsOf: "</sst>".utf8)
            return bytes
        }
    }

    private func sheetXML(_ sheet: Sheet, shared: inout SharedStrings) -> [UInt8] {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        s += "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        s += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        s += "<cols>"
        for (i, title) in sheet.header.enumerated() {
            let width = i < sheet.widths.count ? sheet.widths[i] : Double(min(max(title.count + 4, 10), 60))
            s += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        s += "</cols><sheetData>"
        s += "<row r=\"1\">"
        for (i, title) in sheet.header.enumerated() {
            s += "<c r=\"\(Self.columnName(i))1\" t=\"inlineStr\" s=\"1\"><is><t>\(Self.escape(title))</t></is></c>"
        }
        s += "</row>"
        var bytes = Array(s.utf8)
        for (k, row) in sheet.rows.enumerated() {
            let r = k + 2
            var line = "<row r=\"\(r)\">"
            for (i, cell) in row.enumerated() {
                let ref = Self.columnName(i) + String(r)
                switch cell {
                case .empty: continue
                case .text(let t):
                    let style = t.count > 60 ? " s=\"3\"" : ""
                    if sharedStrings {
                        line += "<c r=\"\(ref)\" t=\"s\"\(style)><v>\(shared.id(t))</v></c>"
                    } else {
                        line += "<c r=\"\(ref)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(Self.escape(t))</t></is></c>"
                    }
                case .number(let v):
                    line += "<c r=\"\(ref)\"><v>\(Self.number(v))</v></c>"
                case .date(let v):
                    line += "<c r=\"\(ref)\" s=\"2\"><v>\(v)</v></c>"
                }
            }
            line += "</row>"
            bytes.append(contentsOf: line.utf8)
        }
        let last = Self.columnName(max(sheet.header.count - 1, 0)) + String(sheet.rows.count + 1)
        bytes.append(contentsOf: "</sheetData><autoFilter ref=\"A1:\(last)\"/></worksheet>".utf8)
        return bytes
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    /// Excel's column letters for a zero-based index.
    public static func columnName(_ index: Int) -> String {
        var n = index + 1
        var out: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            out.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(out)
    }

    /// Excel refuses sheet names longer than 31 characters or with `[]:*?/\`.
    static func sheetName(_ name: String) -> Substring {
        let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 })
        return cleaned.prefix(31)
    }

    static func escape(_ text: String) -> String { XMLText.escape(text) }
}
