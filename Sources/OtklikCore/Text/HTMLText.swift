/// Plain text out of the HTML fragments that platform exports are full of (`<p>…</p>`, `<br>`,
/// `&nbsp;`, `&laquo;`). Block-level tags become line breaks, `<script>`/`<style>` bodies are dropped,
/// entities are decoded; a `<` that does not open a tag («a < b») stays as it is.
public enum HTMLText {
    public static func plain(_ html: String) -> String {
        guard html.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else { return html }
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(s.count)
        var i = 0
        // A block tag breaks the line before the next text, so that none trails at the end.
        var pendingBreak = false
        while i < s.count {
            let c = s[i]
            if c == "<", let tag = readTag(s, from: i) {
                if tag.isBlock, let last = out.last, last != "\n" { pendingBreak = true }
                i = tag.end
                if tag.skipsBody { i = skipBody(of: tag.name, in: s, from: i) }
                continue
            }
            if pendingBreak {
                out.append("\n")
                pendingBreak = false
            }
            if c == "&", let entity = readEntity(s, from: i) {
                out.append(contentsOf: entity.text.unicodeScalars)
                i = entity.end
                continue
            }
            out.append(c)
            i += 1
        }
        return String(out)
    }

    struct Tag {
        var name: String
        var end: Int
        var isBlock: Bool
        var skipsBody: Bool
    }

    static let blockTags: Set<String> = [
        "p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "section", "article", "header", "footer",
    ]

    /// A tag starts with `<` followed by a letter, `/`, `!` or `?` and ends at the next `>`.
    static func readTag(_ s: [Unicode.Scalar], from start: Int) -> Tag? {
        guard start + 1 < s.count else { return nil }
        let first = s[start + 1]
        guard first.properties.isAlphabetic || first == "/" || first == "!" || first == "?" else { return nil }
        var j = start + 1
        if s[j] == "!" && j + 2 < s.count && s[j + 1] == "-" && s[j + 2] == "-" {          // comment
            var k = j + 3
            while k + 2 < s.count && !(s[k] == "-" && s[k + 1] == "-" && s[k + 2] == ">") { k += 1 }
            return Tag(name: "!--", end: min(k + 3, s.count), isBlock: false, skipsBody: false)
        }
        if s[j] == "/" { j += 1 }
        var name = ""
        while j < s.count, s[j].properties.isAlphabetic || ("0"..."9").contains(s[j]) {
            name.unicodeScalars.append(s[j])
            j += 1
        }
        var k = j
        while k < s.count && s[k] != ">" { k += 1 }
        guard k < s.count else { return nil }
        name = name.lowercased()
        let closing = s[start + 1] == "/"
        return Tag(name: name, end: k + 1, isBlock: blockTags.contains(name),
                   skipsBody: !closing && (name == "script" || name == "style"))
    }

    static func skipBody(of name: String, in s: [Unicode.Scalar], from start: Int) -> Int {
        let closing = Array("</\(name)".unicodeScalars)
        var i = start
        while i + closing.count <= s.count {
            var hit = true
            for (k, c) in closing.enumerated() where Character(s[i + k]).lowercased() != Character(c).lowercased() {
                hit = false
                break
            }
            if hit {
                var k = i + closing.count
                while k < s.count && s[k] != ">" { k += 1 }
                return min(k + 1, s.count)
            }
            i += 1
        }
        return s.count
    }

    static let namedEntities: [String: String] = [
        "nbsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "laquo": "«", "raquo": "»",
        "mdash": "—", "ndash": "–", "hellip": "…", "bdquo": "„", "ldquo": "“", "rdquo": "”", "lsquo": "‘",
        "rsquo": "’", "sbquo": "‚", "minus": "−", "times": "×", "deg": "°", "numero": "№", "copy": "©",
        "reg": "®", "trade": "™", "shy": "", "zwnj": "", "zwj": "", "thinsp": " ", "ensp": " ", "emsp": " ",
        "bull": "•", "middot": "·", "sect": "§", "euro": "€", "rub": "₽",
    ]

    /// `&name;`, `&#1234;` or `&#x4D2;`; anything else is not an entity and stays literal.
    static func readEntity(_ s: [Unicode.Scalar], from start: Int) -> (text: String, end: Int)? {
        var j = start + 1
        var body = ""
        while j < s.count && j - start <= 10 && s[j] != ";" {
            body.unicodeScalars.append(s[j])
            j += 1
        }
        guard j < s.count, s[j] == ";", !body.isEmpty else { return nil }
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value: UInt32?
            if digits.first == "x" || digits.first == "X" {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let v = value, let scalar = Unicode.Scalar(v) else { return nil }
            return (v == 0xA0 ? " " : String(scalar), j + 1)
        }
        guard let text = namedEntities[body.lowercased()] else { return nil }
        return (text, j + 1)
    }
}
