/// Word lists per risk signal and the score they give a text. An entry is one or more word beginnings
/// written in lower case («обрушен» finds «обрушение», «обрушения»; «запах газ» finds «запах газа»):
/// Russian endings vary too much for whole words, and stems of rare words are unreliable.
public struct RiskLexicon: Sendable, Equatable {
    public var lists: [RiskSignal: [String]]

    public init(lists: [RiskSignal: [String]]) {
        self.lists = lists
    }

    /// A score of 50 or more raises the priority (the case becomes urgent); 60 or more, or any threat or
    /// danger, marks the case as a candidate information risk.
    public static let urgentScore = 50
    public static let riskScore = 60
    public static let maxEntries = 500

    /// What Otklik ships; each municipality edits its own copy.
    public static let shipped = RiskLexicon(lists: [
        .negative: ["безобрази", "возмутительн", "возмущ", "надоел", "позор", "беспредел", "кошмар", "издевательств",
                    "бездейств", "наплевательск", "отписк", "сколько можно", "никто не реагир", "никому не нужн",
                    "обман", "вранье", "враньё", "коррупц", "произвол", "хамств", "равнодуш", "до каких пор", "доколе",
                    "ужасн", "отвратительн", "разруха"],
        .swearing: ["бля", "хуй", "хуе", "хуё", "пизд", "ебан", "ебат", "ебал", "ебу", "ёбан", "уеб", "уёб", "сука", "суки",
                    "мудак", "мудил", "говн", "дерьм", "сволоч", "твар", "урод"],
        .threat: ["перекро дорог", "перекро трасс", "перекро улиц", "митинг", "пикет", "голодовк", "забастовк", "выйдем на улиц",
                  "подожг", "подожж", "взорв", "убь", "убью", "застрел", "перекрыть движ", "соберем подпис", "соберём подпис",
                  "обратимся в прокуратур", "напишем президент", "федеральн сми", "на первый канал"],
        .dangerous: ["обрушен", "обрушил", "обвал", "пожар", "горит дом", "взрыв", "запах газ", "утечк газ", "отравлен",
                     "вспышк", "эпидеми", "погиб", "гибел", "смерт", "утонул", "провалил", "оголен провод", "оголённ провод",
                     "бешен", "покусал", "укусил", "без отоплени", "замерза", "прорыв теплотрасс", "кипят",
                     "затоплен", "паводок", "аварийн дом", "угроза жизн", "дети в опасн"],
    ])

    /// The signals found in a text and its score 0…100.
    public func score(_ text: String) -> RiskAssessment { Compiled(self).score(text) }

    /// Entries indexed by the first letters of their first word, so a text costs one dictionary look-up
    /// per word rather than one comparison per entry (intake scores every message of a 100 000-row import).
    public struct Compiled: Sendable {
        struct Entry: Sendable { var signal: RiskSignal; var text: String; var parts: [String] }
        var byHead: [String: [Entry]] = [:]
        static let head = 3

        public init(_ lexicon: RiskLexicon) {
            for signal in RiskSignal.allCases {
                for entry in lexicon.lists[signal] ?? [] {
                    let parts = entry.lowercased().replacingOccurrences(of: "ё", with: "е").split(separator: " ").map(String.init)
                    guard let first = parts.first else { continue }
                    byHead[String(first.prefix(Self.head)), default: []].append(Entry(signal: signal, text: entry, parts: parts))
                }
            }
        }

        public func score(_ text: String) -> RiskAssessment {
            let words = TextPipeline.tokens(text).compactMap { $0.kind == .word ? $0.text : nil }
            var hits: [RiskSignal: [String]] = [:]
            for i in words.indices {
                let w = words[i]
                let keys = w.count >= Self.head ? [String(w.prefix(Self.head)), String(w.prefix(2))] : [w]
                for key in keys {
                    for e in byHead[key] ?? [] where RiskLexicon.matches(words, at: i, e.parts) {
                        if !(hits[e.signal]?.contains(e.text) ?? false) { hits[e.signal, default: []].append(e.text) }
                    }
                }
            }
            var score = 0
            for (signal, found) in hits { score += min(signal.cap, signal.weight * found.count) }
            return RiskAssessment(hits: hits, score: min(100, score))
        }
    }

    static func matches(_ words: [String], at i: Int, _ parts: [String]) -> Bool {
        guard i + parts.count <= words.count else { return false }
        for (k, p) in parts.enumerated() where !words[i + k].hasPrefix(p) { return false }
        return true
    }

    /// Checks a list before it is stored: entries in lower case letters, not too short to mean anything.
    public static func problems(_ entries: [String]) -> [String] {
        var out: [String] = []
        if entries.count > maxEntries { out.append("не больше \(maxEntries) слов в списке") }
        for e in entries {
            let parts = e.split(separator: " ")
            if parts.isEmpty || parts.contains(where: { $0.count < 3 && !["не", "на", "в"].contains(String($0)) }) {
                out.append("«\(e)»: начало слова — не короче трёх букв, иначе найдётся слишком многое")
            }
        }
        return out
    }
}

/// What the lexicon found in one text.
public struct RiskAssessment: Sendable, Equatable {
    public var hits: [RiskSignal: [String]]
    public var score: Int

    public init(hits: [RiskSignal: [String]], score: Int) {
        self.hits = hits
        self.score = score
    }

    public var raisesPriority: Bool { score >= RiskLexicon.urgentScore || hits[.threat] != nil || hits[.dangerous] != nil }
    public var riskCandidate: Bool { score >= RiskLexicon.riskScore || hits[.threat] != nil || hits[.dangerous] != nil }

    /// «Угрозы и протестные действия: митинг; Негативный тон: позор» — for the history and the card.
    public var explanation: String {
        RiskSignal.allCases.compactMap { s in hits[s].map { "\(s.title): \($0.joined(separator: ", "))" } }.joined(separator: "; ")
    }
}
