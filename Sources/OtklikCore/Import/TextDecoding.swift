import Foundation

/// Decodes the bytes of an exported file. Russian exports come in UTF-8 (with or without BOM), in
/// Windows-1251 (Excel's "CSV" on a Russian Windows) and sometimes in UTF-16 ("Unicode text").
public enum TextDecoding {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 (BOM)"
        case utf16 = "UTF-16"
        case cp1251 = "Windows-1251"
    }

    public enum DecodeError: Error, Equatable, Sendable {
        case unknownEncoding(sampleOffset: Int)
        public var russian: String {
            switch self {
            case .unknownEncoding(let offset):
                "не удалось определить кодировку файла (первый непонятный байт на позиции \(offset)); сохраните файл в UTF-8 или Windows-1251"
            }
        }
    }

    public static func decode(_ data: [UInt8]) throws(DecodeError) -> (text: String, encoding: Encoding) {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            if let s = String(validating: data.dropFirst(3), as: UTF8.self) { return (s, .utf8BOM) }
            throw .unknownEncoding(sampleOffset: firstInvalidUTF8(data) ?? 3)
        }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            if let s = String(data: Data(data), encoding: .utf16) { return (s, .utf16) }
            throw .unknownEncoding(sampleOffset: 0)
        }
        guard let bad = firstInvalidUTF8(data) else {
            return (String(decoding: data, as: UTF8.self), .utf8)
        }
        // Not UTF-8. Windows-1251 decodes any byte, so accept it only if the high bytes look like
        // Russian letters rather than, say, a binary file or another code page.
        // Typography («», №, dashes, quotes, NBSP) is neutral; letters must dominate the rest.
        var other = 0, cyrillic = 0
        for b in data where b >= 0x80 {
            if b >= 0xC0 || b == 0xA8 || b == 0xB8 { cyrillic += 1 }
            else if !typography.contains(b) { other += 1 }
        }
        guard cyrillic > 0, Double(cyrillic) / Double(cyrillic + other) >= 0.7, !data.contains(0) else {
            throw .unknownEncoding(sampleOffset: bad)
        }
        return (decodeCP1251(data), .cp1251)
    }

    public static func decodeCP1251(_ data: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(data.count)
        for b in data {
            let value = b < 0x80 ? UInt32(b) : UInt32(cp1251High[Int(b) - 0x80])
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    /// Offset of the first byte that breaks UTF-8, or nil when the whole buffer is valid.
    static func firstInvalidUTF8(_ data: [UInt8]) -> Int? {
        var i = 0
        let n = data.count
        while i < n {
            let b = data[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            if b & 0xE0 == 0xC0, b >= 0xC2 { length = 2 }
            else if b & 0xF0 == 0xE0 { length = 3 }
            else if b & 0xF8 == 0xF0, b <= 0xF4 { length = 4 }
            else { return i }
            guard i + length <= n else { return i }
            for k in 1..<length where data[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    private static let typography: Set<UInt8> = [0x82, 0x84, 0x85, 0x8B, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
                                                 0x9B, 0xA0, 0xA7, 0xAB, 0xB0, 0xB1, 0xB9, 0xBB]

    /// Code points of bytes 0x80–0xFF in Windows-1251 (generated from Python's cp1251 codec).
    static let cp1251High: [UInt16] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
        0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
        0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
        0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
        0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
        0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
        0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
        0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
        0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
        0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
        0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
        0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
    ]
}
