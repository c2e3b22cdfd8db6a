/// A small pull scanner for the XML that spreadsheet files are made of (SpreadsheetML parts). It reads
/// UTF-8 bytes, reports element starts and ends and text, decodes the predefined and numeric entities,
/// and never expands a DTD: a document type declaration is skipped, so entity bombs do nothing.
/// Namespace prefixes are dropped from names (`x:c` and `c` are the same element), as writers differ.
public struct XMLScanner: Sendable {
    public enum Event: Sendable, Equatable {
        /// An element opens; `selfClosing` means no end event follows.
        case start(Tag)
        case end(name: Range<Int>)
        case text(Range<Int>)
        case cdata(Range<Int>)
    }

    public struct Tag: Sendable, Equatable {
        /// The local name (after any prefix), as a byte range of the document.
        public var name: Range<Int>
        /// Bytes between the name and the closing `>` (or `/>`).
        public var attributes: Range<Int>
        public var selfClosing: Bool
    }

    public struct MalformedXML: Error, Equatable, Sendable {
        public var offset: Int
        public var reason: String
    }

    public let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The next event, or nil at the end of the document.
    public mutating func next() throws(MalformedXML) -> Event? {
        let n = bytes.count
        while position < n {
            if bytes[position] != UInt8(ascii: "<") {
                let start = position
                while position < n, bytes[position] != UInt8(ascii: "<") { position += 1 }
                return .text(start..<position)
            }
            // Markup.
            guard position + 1 < n else { throw MalformedXML(offset: position, reason: "обрыв документа после «<»") }
            let c = bytes[position + 1]
            if c == UInt8(ascii: "?") {
                try skip(past: [UInt8(ascii: "?"), UInt8(ascii: ">")])
                continue
            }
            if c == UInt8(ascii: "!") {
                if matches("<!--", at: position) { try skip(past: Array("-->".utf8)); continue }
                if matches("<![CDATA[", at: position) {
                    let start = position + 9
                    guard let end = find(Array("]]>".utf8), from: start) else {
                        throw MalformedXML(offset: position, reason: "незакрытый блок CDATA")
                    }
                    position = end + 3
                    return .cdata(start..<end)
                }
                try skipDeclaration()
                continue
            }
            if c == UInt8(ascii: "/") {
                let nameStart = position + 2
                var i = nameStart
                while i < n, bytes[i] != UInt8(ascii: ">") { i += 1 }
                guard i < n else { throw MalformedXML(offset: position, reason: "незакрытый закрывающий тег") }
                var nameEnd = i
                while nameEnd > nameStart, Self.isSpace(bytes[nameEnd - 1]) { nameEnd -= 1 }
                position = i + 1
                return .end(name: localName(nameStart..<nameEnd))
            }
            // Start tag: find its end, honouring quoted attribute values (which may contain '>').
            let nameStart = position + 1
            var i = nameStart
            while i < n, !Self.isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "/") { i += 1 }
            let name = localName(nameStart..<i)
            let attrStart = i
            var quote: UInt8 = 0
            while i < n {
                let b = bytes[i]
                if quote != 0 { if b == quote { quote = 0 } }
                else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { quote = b }
                else if b == UInt8(ascii: ">") { break }
                i += 1
            }
            guard i < n else { throw MalformedXML(offset: position, reason: "незакрытый открывающий тег") }
            let selfClosing = i > attrStart && bytes[i - 1] == UInt8(ascii: "/")
            position = i + 1
            return .start(Tag(name: name, attributes: attrStart..<(selfClosing ? i - 1 : i), selfClosing: selfClosing))
        }
        return nil
    }

    /// Whether the byte range holds exactly this ASCII name.
    public func name(_ range: Range<Int>, is literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard range.count == count else { return false }
        return literal.withUTF8Buffer { buf in
            var k = 0
            for i in range { if bytes[i] != buf[k] { return false }; k += 1 }
            return true
        }
    }

    /// The decoded value of an attribute of a start tag, by local name (`r:id` is found as "id",
    /// whatever prefix the writer bound the relationships namespace to).
    public func attribute(_ tag: Tag, _ wanted: StaticString) -> String? {
        var i = tag.attributes.lowerBound
        let end = tag.attributes.upperBound
        while i < end {
            while i < end, Self.isSpace(bytes[i]) { i += 1 }
            let nameStart = i
            while i < end, bytes[i] != UInt8(ascii: "="), !Self.isSpace(bytes[i]) { i += 1 }
            let nameRange = localName(nameStart..<i)
            while i < end, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "'") { i += 1 }
            guard i < end else { return nil }
            let quote = bytes[i]
            i += 1
            let valueStart = i
            while i < end, bytes[i] != quote { i += 1 }
            let valueRange = valueStart..<min(i, end)
            i += 1
            if name(nameRange, is: wanted) { return decodeText(valueRange) }
        }
        return nil
    }

    /// Text with the five predefined entities and numeric character references decoded.
    public func decodeText(_ range: Range<Int>) -> String {
        var hasAmp = false
        for i in range where bytes[i] == UInt8(ascii: "&") { hasAmp = true; break }
        if !hasAmp { return String(decoding: bytes[range], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            guard b == UInt8(ascii: "&") else { out.append(b); i += 1; continue }
            var j = i + 1
            while j < range.upperBound, j - i < 12, bytes[j] != UInt8(ascii: ";") { j += 1 }
            guard j < range.upperBound, bytes[j] == UInt8(ascii: ";") else { out.append(b); i += 1; continue }
            let entity = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch entity {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") { scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
                else if entity.hasPrefix("#") { scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init) }
            }
            if let scalar {
                out.append(contentsOf: Array(String(scalar).utf8))
                i = j + 1
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads the text content of the element just opened, up to its end tag (nested markup is
    /// skipped, its text kept). Used for small leaf elements such as `<v>` and `<t>`.
    public mutating func readText() throws(MalformedXML) -> String {
        var depth = 0
        var pieces: [String] = []
        while let event = try next() {
            switch event {
            case .text(let r): pieces.append(decodeText(r))
            case .cdata(let r): pieces.append(String(decoding: bytes[r], as: UTF8.self))
            case .start(let tag): if !tag.selfClosing { depth += 1 }
            case .end:
                if depth == 0 { return pieces.count == 1 ? pieces[0] : pieces.joined() }
                depth -= 1
            }
        }
        throw MalformedXML(offset: position, reason: "элемент не закрыт до конца документа")
    }

    /// Skips the rest of the element just opened, with everything inside it.
    public mutating func skipElement() throws(MalformedXML) {
        var depth = 0
        while let event = try next() {
            switch event {
            case .start(let tag): if !tag.selfClosing { depth += 1 }
            case .end:
                if depth == 0 { return }
                depth -= 1
            default: break
            }
        }
        throw MalformedXML(offset: position, reason: "элемент не закрыт до конца документа")
    }

    // MARK: - Helpers

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private func localName(_ range: Range<Int>) -> Range<Int> {
        var i = range.upperBound
        while i > range.lowerBound {
            if bytes[i - 1] == UInt8(ascii: ":") { return i..<range.upperBound }
            i -= 1
        }
        return range
    }

    private func matches(_ literal: String, at offset: Int) -> Bool {
        let u = Array(literal.utf8)
        guard offset + u.count <= bytes.count else { return false }
        for k in 0..<u.count where bytes[offset + k] != u[k] { return false }
        return true
    }

    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var i = from
        let last = bytes.count - needle.count
        while i <= last {
            if bytes[i] == needle[0] {
                var ok = true
                for k in 1..<needle.count where bytes[i + k] != needle[k] { ok = false; break }
                if ok { return i }
            }
            i += 1
        }
        return nil
    }

    private mutating func skip(past terminator: [UInt8]) throws(MalformedXML) {
        guard let end = find(terminator, from: position + 2) else {
            throw MalformedXML(offset: position, reason: "незакрытая конструкция разметки")
        }
        position = end + terminator.count
    }

    /// Skips `<!DOCTYPE …>` including an internal subset in brackets, without interpreting it.
    private mutating func skipDeclaration() throws(MalformedXML) {
        var i = position + 2
        var bracket = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "[") { bracket += 1 }
            else if b == UInt8(ascii: "]") { bracket -= 1 }
            else if b == UInt8(ascii: ">"), bracket <= 0 { position = i + 1; return }
            i += 1
        }
        throw MalformedXML(offset: position, reason: "незакрытое объявление <!…>")
    }
}
