import Foundation

/// A CSV file read as a header and rows, with columns found by name: what the offline model commands
/// read. Rows shorter than the header are padded with empty fields (exports drop trailing empties).
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [CSVReader.Row]
    public var delimiter: Character
    public var encoding: TextDecoding.Encoding

    public enum Problem: Error, Equatable, Sendable {
        case encoding(String)
        case syntax(String)
        case empty
        case noColumn(String, known: [String])

        public var russian: String {
            switch self {
            case .encoding(let why), .syntax(let why): "Файл не читается: \(why)."
            case .empty: "Файл пуст: нет даже строки заголовков."
            case .noColumn(let name, let known):
                "В файле нет столбца «\(name)». Есть столбцы: \(known.map { "«\($0)»" }.joined(separator: ", "))."
            }
        }
    }

    public init(bytes: [UInt8]) throws(Problem) {
        let decoded: (text: String, encoding: TextDecoding.Encoding)
        do { decoded = try TextDecoding.decode(bytes) } catch { throw .encoding(error.russian) }
        let reader = CSVReader(text: decoded.text)
        var all: [CSVReader.Row]
        do { all = try reader.rows() } catch { throw .syntax(error.russian) }
        guard !all.isEmpty else { throw .empty }
        let names = all.removeFirst().fields.map { $0.trimmingCharacters(in: .whitespaces) }
        header = names
        rows = all.map { row in
            var r = row
            if r.fields.count < names.count { r.fields += Array(repeating: "", count: names.count - r.fields.count) }
            return r
        }
        delimiter = reader.delimiter
        encoding = decoded.encoding
    }

    /// The column's position: the exact name first, then ignoring case and surrounding spaces.
    public func column(_ name: String) throws(Problem) -> Int {
        if let i = header.firstIndex(of: name) { return i }
        let wanted = name.trimmingCharacters(in: .whitespaces).lowercased()
        if let i = header.firstIndex(where: { $0.lowercased() == wanted }) { return i }
        throw .noColumn(name, known: header)
    }
}
