import Foundation

/// One unit of a citizen's text after normalisation. Personal contacts are masked: the token keeps only
/// its kind, never the number or address itself.
public struct TextToken: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case word, number, url, email, phone
    }
    public var kind: Kind
    /// The lower-case word (ё→е, look-alike letters unified), the digits of a number, or the mask.
    public var text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    public static let urlMask = "‹ссылка›"
    public static let emailMask = "‹почта›"
    public static let phoneMask = "‹телефон›"
}

/// The Russian text pipeline every text feature is built on: HTML stripped and entities decoded, Unicode
/// compatibility normalisation (NFKC), invisible characters dropped, lower case, ё→е, look-alike Latin
/// letters read as Cyrillic inside Cyrillic words, URLs, e-mails and phone numbers masked, words
/// split at anything that is not a letter or digit. Linear in the text's length; no regular expressions.
public enum TextPipeline {
    public static func tokens(_ raw: String) -> [TextToken] {
        let s = prepared(raw)
        var out: [TextToken] = []
        out.reserveCapacity(s.count / 6)
        // Most texts hold no e-mail address: the scan for one is skipped then.
        let mayHoldEmail = s.contains("@")
        var utf8: [UInt8] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            if !isWordScalar(c) && c != "+" && c != "(" {
                i += 1
                continue
            }
            let atWordStart = i == 0 || !isWordScalar(s[i - 1])
            if atWordStart, let end = urlEnd(s, from: i) {
                out.append(TextToken(.url, TextToken.urlMask))
                i = end
                continue
            }
            if atWordStart, mayHoldEmail, let end = emailEnd(s, from: i) {
                out.append(TextToken(.email, TextToken.emailMask))
                i = end
                continue
            }
            if atWordStart, let end = phoneEnd(s, from: i) {
                out.append(TextToken(.phone, TextToken.phoneMask))
                i = end
                continue
            }
            guard isWordScalar(c) else {
                i += 1
                continue
            }
            var j = i
            var letters = false, cyrillic = false, latin = false
            while j < s.count && isWordScalar(s[j]) {
                let v = s[j].value
                if v >= 0x430 && v <= 0x44F { cyrillic = true } else if v >= 0x61 && v <= 0x7A { latin = true }
                if !isDigit(s[j]) { letters = true }
                j += 1
            }
            utf8.removeAll(keepingCapacity: true)
            if cyrillic && latin, let unified = LookAlikeLetters.unify(Array(s[i..<j])) {
                for c in unified { appendUTF8(c, to: &utf8) }
            } else {
                for k in i..<j { appendUTF8(s[k], to: &utf8) }
            }
            out.append(TextToken(letters ? .word : .number, String(decoding: utf8, as: UTF8.self)))
            i = j
        }
        return out
    }

    /// The terms a model reads: stems of the words that are not stop words, and the masks. Numbers are
    /// dropped (house numbers and dates say little about the topic). `stems` caches the stemmer across
    /// calls: pass the same dictionary for a whole corpus.
    public static func terms(of tokens: [TextToken], stems: inout [String: String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(tokens.count)
        for token in tokens {
            switch token.kind {
            case .number:
                continue
            case .url, .email, .phone:
                out.append(token.text)
            case .word:
                if RussianStopWords.all.contains(token.text) { continue }
                if let known = stems[token.text] {
                    out.append(known)
                } else {
                    let stem = RussianStemmer.stem(token.text)
                    if stems.count < 500_000 { stems[token.text] = stem }
                    out.append(stem)
                }
            }
        }
        return out
    }

    public static func terms(_ raw: String) -> [String] {
        var stems: [String: String] = [:]
        return terms(of: tokens(raw), stems: &stems)
    }

    /// The text as rules read it: HTML stripped, NFKC, lower case, ё→е, invisible characters removed.
    public static func normalizedText(_ raw: String) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: prepared(raw))
        return String(view)
    }

    // MARK: - Normalisation

    /// Scalars after HTML stripping, NFKC, removal of invisible characters, lower-casing and ё→е.
    static func prepared(_ raw: String) -> [Unicode.Scalar] {
        var text = HTMLText.plain(raw)
        if needsCompatibilityMapping(text) { text = text.precomposedStringWithCompatibilityMapping }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x41...0x5A, 0x410...0x42F: out.append(Unicode.Scalar(v + 0x20)!)
            case 0x401, 0x451: out.append("е")
            case 0...0x7F, 0x430...0x44F: out.append(scalar)
            case 0xAD, 0x200B...0x200D, 0x2060, 0xFEFF: continue       // soft hyphen, zero-width
            case 0x0300...0x036F: continue                             // stray combining accents (ударение)
            default:
                if scalar.properties.changesWhenLowercased {
                    out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                } else {
                    out.append(scalar)
                }
            }
        }
        return out
    }

    /// NFKC is only needed for characters outside ASCII and the basic Cyrillic block (ligatures,
    /// full-width forms, decomposed «й»…); most texts skip it.
    static func needsCompatibilityMapping(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 || (0x400...0x45F).contains(v) || v == 0xA0 || v == 0xAB || v == 0xBB { continue }
            if (0x2010...0x2026).contains(v) { continue }            // dashes, quotes, ellipsis
            return true
        }
        return false
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if (0x61...0x7A).contains(v) || (0x30...0x39).contains(v) || (0x430...0x44F).contains(v) { return true }
        if v < 0x80 { return false }
        return c.properties.isAlphabetic || c.properties.numericType != nil
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v == 0x20 || (0x09...0x0D).contains(v) { return true }
        if v < 0x80 || (0x400...0x4FF).contains(v) { return false }
        return c.properties.isWhitespace
    }

    @inline(__always) static func appendUTF8(_ c: Unicode.Scalar, to out: inout [UInt8]) {
        let v = c.value
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    // MARK: - Masks

    static let urlStarts: [[Unicode.Scalar]] = ["http://", "https://", "www."].map { Array($0.unicodeScalars) }

    static func urlEnd(_ s: [Unicode.Scalar], from i: Int) -> Int? {
        guard s[i] == "h" || s[i] == "w" else { return nil }
        guard urlStarts.contains(where: { start in
            i + start.count <= s.count && zip(start, s[i..<(i + start.count)]).allSatisfy { $0 == $1 }
        }) else { return nil }
        var j = i
        while j < s.count && !isSpace(s[j]) && s[j] != "«" && s[j] != "»" && s[j] != "\"" && s[j] != "<" { j += 1 }
        while j > i && ".,;:!?)".unicodeScalars.contains(s[j - 1]) { j -= 1 }
        return j
    }

    /// `local@domain.tld`: the run of non-space characters holds one `@` with a dot after it.
    static func emailEnd(_ s: [Unicode.Scalar], from i: Int) -> Int? {
        var j = i
        var at = -1
        while j < s.count && !isSpace(s[j]) && j - i < 254 {
            let c = s[j]
            if c == "@" {
                if at >= 0 { return nil }
                at = j
            } else if !(isWordScalar(c) || c == "." || c == "_" || c == "-" || c == "+" || c == "%") {
                break
            }
            j += 1
        }
        guard at > i else { return nil }
        while j > at && (s[j - 1] == "." || s[j - 1] == "-") { j -= 1 }
        guard j - at > 3, s[(at + 1)..<j].contains("."), isWordScalar(s[j - 1]) else { return nil }
        return j
    }

    /// Russian phone numbers as people write them: «+7 (912) 345-67-89», «8 912 345 67 89», «89123456789»,
    /// «9123456789», and local numbers «23-45-67». Digits with spaces, hyphens and brackets between them;
    /// a sum of money («1 000 000 000») or a date is not a phone.
    static func phoneEnd(_ s: [Unicode.Scalar], from i: Int) -> Int? {
        guard s[i] == "+" || s[i] == "(" || isDigit(s[i]) else { return nil }
        var j = i + (s[i] == "+" ? 1 : 0)
        var digits: [Unicode.Scalar] = []
        var hyphens = 0
        var brackets = 0
        var end = i
        while j < s.count && j - i < 32 {
            let c = s[j]
            if isDigit(c) {
                digits.append(c)
                end = j + 1
            } else if c == "-" || c == "‐" || c == "–" {
                hyphens += 1
            } else if c == "(" || c == ")" {
                brackets += 1
            } else if c != " " {
                break
            }
            if digits.count > 12 { return nil }
            j += 1
        }
        guard end > i, end >= s.count || !isWordScalar(s[end]) else { return nil }
        let n = digits.count
        let plus = s[i] == "+"
        let first = digits.first
        switch n {
        case 11 where plus || first == "7" || first == "8": return end
        case 12 where plus: return end                                  // foreign, +375 …
        case 10 where first == "9" || brackets > 0 || hyphens >= 2: return end
        case 5...7 where hyphens >= 2 && brackets == 0: return end      // local 23-45-67, 2-34-56
        default: return nil
        }
    }
}
