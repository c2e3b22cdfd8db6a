/// Latin and Cyrillic letters that look the same («сOBет», «пoмoщь» typed on a mixed keyboard, or written
/// on purpose to slip past filters). A word that mixes the scripts is read in its majority script.
/// Applied after lower-casing, so the pairs are those whose capitals look alike too (B/В, H/Н, T/Т, M/М).
enum LookAlikeLetters {
    static let latinToCyrillic: [Unicode.Scalar: Unicode.Scalar] = [
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о", "p": "р", "t": "т",
        "x": "х", "y": "у",
    ]
    static let cyrillicToLatin: [Unicode.Scalar: Unicode.Scalar] = {
        var map: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (latin, cyrillic) in latinToCyrillic { map[cyrillic] = latin }
        return map
    }()

    static func isCyrillic(_ c: Unicode.Scalar) -> Bool { (0x400...0x4FF).contains(c.value) }
    static func isLatin(_ c: Unicode.Scalar) -> Bool { (0x61...0x7A).contains(c.value) || (0x41...0x5A).contains(c.value) }

    /// Rewrites a lower-case word in its majority script when it mixes Latin and Cyrillic letters;
    /// returns nil when the word is in one script (nothing to do).
    static func unify(_ word: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        var cyrillic = 0
        var latin = 0
        for c in word {
            if isCyrillic(c) { cyrillic += 1 } else if isLatin(c) { latin += 1 }
        }
        guard cyrillic > 0 && latin > 0 else { return nil }
        // A letter with no twin in the other script decides («BOДA»: Д has no Latin twin, so Russian);
        // otherwise the majority does.
        let onlyCyrillic = word.contains { isCyrillic($0) && cyrillicToLatin[$0] == nil }
        let onlyLatin = word.contains { isLatin($0) && latinToCyrillic[$0] == nil }
        let toCyrillic = onlyCyrillic != onlyLatin ? onlyCyrillic : cyrillic >= latin
        let map = toCyrillic ? latinToCyrillic : cyrillicToLatin
        return word.map { map[$0] ?? $0 }
    }
}
