import Foundation
import OtklikCore
import Vapor

/// A table of the UI downloaded as XLSX or CSV (`?format=xlsx|csv`): the same rows the page shows.
enum TableExport {
    enum Format: String, Sendable { case xlsx, csv }

    static func format(_ req: Request) throws -> Format {
        let raw = (req.query[String.self, at: "format"] ?? "xlsx").lowercased()
        guard let f = Format(rawValue: raw) else {
            throw Problem.validation([FieldIssue("format", "формат выгрузки — xlsx или csv")])
        }
        return f
    }

    /// One table; `name` becomes the file name (ASCII) and the sheet name.
    static func response(_ format: Format, fileName: String, sheet: XLSXWriter.Sheet) throws -> Response {
        try response(format, fileName: fileName, sheets: [sheet])
    }

    /// Several tables: sheets of one workbook; CSV carries the first.
    static func response(_ format: Format, fileName: String, sheets: [XLSXWriter.Sheet]) throws -> Response {
        let name = fileName + "." + format.rawValue
        switch format {
        case .xlsx:
            return Download.attachment(try XLSXPackage.write(XLSXWriter(sheets: sheets, sharedStrings: true).parts()),
                                       contentType: Download.xlsx, fileName: name)
        case .csv:
            let first = sheets.first ?? XLSXWriter.Sheet(name: "", header: [], rows: [])
            return Download.attachment(Data(CSVWriter.document(header: first.header, rows: first.rows.map { $0.map(text) })),
                                       contentType: Download.csv, fileName: name)
        }
    }

    static func text(_ cell: XLSXWriter.Cell) -> String {
        switch cell {
        case .text(let s): s
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n).replacingOccurrences(of: ".", with: ",")
        case .date(let serial): ExcelSerialDate.text(serial: serial) ?? ""
        case .empty: ""
        }
    }

    /// The municipality's wall-clock time of `date` as a spreadsheet date.
    static func serial(_ date: Date, zone: TimeZone) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return ExcelSerialDate.serial(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1,
                                      seconds: (c.hour ?? 0) * 3600 + (c.minute ?? 0) * 60 + (c.second ?? 0))
    }
}
