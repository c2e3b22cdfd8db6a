import Foundation
import OtklikCore

/// An uploaded export opened for reading: XLSX (first sheet) or CSV (UTF-8, UTF-8 with BOM or
/// Windows-1251, `;` or `,`), as rows of text cells with the line numbers a user sees in Excel.
struct SpreadsheetSource {
    struct Failure: Error, Sendable { var russian: String }
    struct Row: Sendable { var line: Int; var cells: [String] }

    enum Format: String, Sendable { case xlsx = "XLSX", csv = "CSV" }

    /// A file with more data rows than this is refused before anything is written.
    static let maxRows = 150_000

    let format: Format
    /// "UTF-8", "Windows-1251"… for CSV; the sheet's name for XLSX.
    let encoding: String
    let sheetName: String?
    private var leading: [Row]
    private var rest: Stream

    private enum Stream {
        case csv([CSVReader.Row], next: Int)
        case xlsx(XLSXSheetReader)
        case done
    }

    static func open(_ data: Data) throws(Failure) -> SpreadsheetSource {
        if XLSXPackage.looksLikeZip(data) { return try openXLSX(data) }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw Failure(russian: "это файл старого формата Excel (XLS); сохраните его как «Книга Excel (.xlsx)» или CSV")
        }
        let decoded: (text: String, encoding: TextDecoding.Encoding)
        do { decoded = try TextDecoding.decode(Array(data)) } catch { throw Failure(russian: error.russian) }
        let rows: [CSVReader.Row]
        do { rows = try CSVReader(text: decoded.text).rows() } catch { throw Failure(russian: error.russian) }
        return SpreadsheetSource(format: .csv, encoding: decoded.encoding.rawValue, sheetName: nil,
                                 leading: rows.prefix(20).map { Row(line: $0.line, cells: $0.fields) },
                                 rest: .csv(rows, next: min(rows.count, 20)))
    }

    private static func openXLSX(_ data: Data) throws(Failure) -> SpreadsheetSource {
        do {
            let package = try XLSXPackage(data: data)
            guard let workbook = try package.part("xl/workbook.xml") else {
                throw Failure(russian: "в файле XLSX нет описания книги (xl/workbook.xml): файл повреждён")
            }
            let (sheets, date1904) = try XLSXWorkbookParts.sheets(workbook: workbook, relationships: try package.part("xl/_rels/workbook.xml.rels"))
            guard let first = sheets.first, let sheet = try package.part(first.path) else {
                throw Failure(russian: "в книге нет ни одного листа")
            }
            let shared = try package.part("xl/sharedStrings.xml").map(XLSXWorkbookParts.sharedStrings) ?? []
            let styles = try package.part("xl/styles.xml").map(XLSXWorkbookParts.dateStyles) ?? []
            let merges = try XLSXSheetReader.mergedRanges(sheet: sheet)
            var source = SpreadsheetSource(format: .xlsx, encoding: "XLSX", sheetName: first.name, leading: [],
                                           rest: .xlsx(XLSXSheetReader(sheet: sheet, sharedStrings: shared, dateStyles: styles, date1904: date1904)))
            try source.fillLeadingXLSX(merges: merges)
            return source
        } catch let failure as Failure {
            throw failure
        } catch let failure as XLSXPackage.Failure {
            throw Failure(russian: failure.russian)
        } catch let bad as XMLScanner.MalformedXML {
            throw Failure(russian: "файл XLSX повреждён: \(bad.reason) (байт \(bad.offset))")
        } catch {
            throw Failure(russian: "файл XLSX не читается: \(error)")
        }
    }

    /// The first rows (up to 20), where the header is looked for.
    var leadingRows: [Row] { leading }

    private mutating func fillLeadingXLSX(merges: [XLSXSheetReader.MergedRange]) throws {
        guard case .xlsx(var reader) = rest else { return }
        var rows: [Row] = []
        while rows.count < 20, let r = try reader.next() { rows.append(Row(line: r.number, cells: r.cells)) }
        rest = .xlsx(reader)
        // A header cell merged down from the row above (a two-row header) carries the upper cell's name.
        var byLine: [Int: Int] = [:]
        for (i, r) in rows.enumerated() { byLine[r.line] = i }
        for m in merges where m.lastRow > m.firstRow {
            guard let top = byLine[m.firstRow + 1], m.firstColumn < rows[top].cells.count else { continue }
            let value = rows[top].cells[m.firstColumn]
            for line in (m.firstRow + 2)...(m.lastRow + 1) {
                guard let i = byLine[line] else { continue }
                if rows[i].cells.count <= m.firstColumn { rows[i].cells += Array(repeating: "", count: m.firstColumn + 1 - rows[i].cells.count) }
                if rows[i].cells[m.firstColumn].isEmpty { rows[i].cells[m.firstColumn] = value }
            }
        }
        leading = rows
    }

    /// The data rows after the header row (the index into `leadingRows`), `limit` at a time.
    mutating func next(_ limit: Int, afterHeader header: Int) throws(Failure) -> [Row] {
        var out: [Row] = []
        while out.count < limit, header + 1 < leading.count {
            out.append(leading.remove(at: header + 1))
        }
        while out.count < limit {
            switch rest {
            case .done: return out
            case .csv(let rows, let next):
                guard next < rows.count else { rest = .done; return out }
                let end = min(next + (limit - out.count), rows.count)
                out += rows[next..<end].map { Row(line: $0.line, cells: $0.fields) }
                rest = .csv(rows, next: end)
            case .xlsx(var reader):
                rest = .done // the reader is moved out while it works
                do {
                    while out.count < limit, let r = try reader.next() { out.append(Row(line: r.number, cells: r.cells)) }
                } catch {
                    throw Failure(russian: "лист XLSX повреждён: \(error.reason) (байт \(error.offset))")
                }
                if out.count == limit { rest = .xlsx(reader) }
                else { return out }
            }
        }
        return out
    }
}
