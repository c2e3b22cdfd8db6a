import Foundation

/// Weights of the composite rating, per municipality. Zero switches a component off; they need not sum to 1.
public struct RatingWeights: Sendable, Equatable, Codable {
    public var timeliness: Double
    public var speed: Double
    public var completeness: Double
    public var quality: Double
    public var satisfaction: Double

    public init(timeliness: Double, speed: Double, completeness: Double, quality: Double, satisfaction: Double) {
        self.timeliness = timeliness; self.speed = speed; self.completeness = completeness; self.quality = quality; self.satisfaction = satisfaction
    }

    /// Deadlines weigh most: they are what the decrees check first.
    public static let standard = RatingWeights(timeliness: 30, speed: 15, completeness: 20, quality: 15, satisfaction: 20)

    public var byKey: [(String, Double)] {
        [("timeliness", timeliness), ("speed", speed), ("completeness", completeness), ("quality", quality), ("satisfaction", satisfaction)]
    }

    /// Field → reason for each bad weight; empty when usable.
    public func problems() -> [(field: String, reason: String)] {
        var out: [(String, String)] = []
        for (key, w) in byKey where !(w.isFinite && w >= 0 && w <= 100) {
            out.append((key, "вес — число от 0 до 100"))
        }
        if out.isEmpty && byKey.map(\.1).reduce(0, +) <= 0 {
            out.append(("timeliness", "сумма весов должна быть больше нуля: иначе итоговый балл не определён"))
        }
        return out
    }
}

/// What the database counts for one organisation (block, executor) over a period.
public struct RatingTally: Sendable, Equatable {
    public var volume = 0
    /// Executor clocks of the period's cases: met, missed, open past the deadline now.
    public var met = 0, missed = 0, openOverdue = 0
    /// Executor clocks finished (met or missed), and those finished within the first half of their term.
    public var finished = 0, fast = 0
    /// Cases with an answer sent back for rework at least once; cases with a submitted answer.
    public var returned = 0, submitted = 0
    public var resolved = 0, explained = 0
    public var rated = 0, rated45 = 0
    public var answered = 0, reopened = 0
    public init() {}
}

public struct RatingComponent: Sendable, Equatable {
    public var key: String
    public var title: String
    /// 0…1; nil without data (the component then drops out of the composite).
    public var score: Double?
    public var detail: String
}

public struct RatingRow: Sendable, Equatable {
    public var id: String
    public var name: String
    public var volume: Int
    public var components: [RatingComponent]
    /// 0…100.
    public var composite: Double?
    public var rank: Int?
    public var previousRank: Int?

    /// Places gained since the previous period (positive: up).
    public var movement: Int? {
        guard let rank, let previousRank else { return nil }
        return previousRank - rank
    }
}

/// The rating of responsible organisations (and of blocks and executors with the same arithmetic).
public enum RatingSheet {
    public static let componentTitles: [(key: String, title: String, formula: String)] = [
        ("timeliness", "Своевременность", "сроки исполнителя, соблюдённые ÷ (соблюдённые + нарушенные + открытые с истёкшим сроком)"),
        ("speed", "Скорость", "ответы, подготовленные в первой половине срока ÷ все подготовленные ответы"),
        ("completeness", "Полнота", "подготовленные ответы ÷ (подготовленные + открытые с истёкшим сроком)"),
        ("quality", "Качество", "среднее из (1 − доля возвращённых на доработку) и доли «Решено» среди «Решено» и «Разъяснено»"),
        ("satisfaction", "Удовлетворённость", "среднее из доли оценок 4–5 и (1 − доля повторных рассмотрений)"),
    ]

    public static func components(_ t: RatingTally) -> [RatingComponent] {
        func ratio(_ n: Int, _ d: Int) -> Double? { d > 0 ? Double(n) / Double(d) : nil }
        func mean(_ parts: [Double?]) -> Double? {
            let known = parts.compactMap { $0 }
            return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
        }
        let decided = t.met + t.missed + t.openOverdue
        let returnRate = ratio(t.returned, t.submitted)
        let resolvedShare = ratio(t.resolved, t.resolved + t.explained)
        let satisfied = ratio(t.rated45, t.rated)
        let reopenRate = ratio(t.reopened, t.answered)
        let values: [String: (Double?, String)] = [
            "timeliness": (ratio(t.met, decided), "\(t.met) из \(decided)"),
            "speed": (ratio(t.fast, t.finished), "\(t.fast) из \(t.finished)"),
            "completeness": (ratio(t.finished, t.finished + t.openOverdue), "\(t.finished) из \(t.finished + t.openOverdue)"),
            "quality": (mean([returnRate.map { 1 - $0 }, resolvedShare]),
                        "возвратов \(t.returned) из \(t.submitted); решено \(t.resolved) из \(t.resolved + t.explained)"),
            "satisfaction": (mean([satisfied, reopenRate.map { 1 - $0 }]),
                             "оценок 4–5 \(t.rated45) из \(t.rated); повторных \(t.reopened) из \(t.answered)"),
        ]
        return componentTitles.map { c in RatingComponent(key: c.key, title: c.title, score: values[c.key]?.0, detail: values[c.key]?.1 ?? "") }
    }

    /// Σ weight × score ÷ Σ weight over the components with data, × 100.
    public static func composite(_ components: [RatingComponent], weights: RatingWeights) -> Double? {
        let w = Dictionary(uniqueKeysWithValues: weights.byKey)
        var sum = 0.0, total = 0.0
        for c in components { if let s = c.score, let wi = w[c.key], wi > 0 { sum += wi * s; total += wi } }
        return total > 0 ? sum / total * 100 : nil
    }

    /// Rows ranked by composite (those without one last, by volume); ranks of the previous period alongside.
    public static func rows(current: [String: RatingTally], previous: [String: RatingTally], names: [String: String],
                            weights: RatingWeights) -> [RatingRow] {
        func ranked(_ tallies: [String: RatingTally]) -> [RatingRow] {
            var rows = tallies.map { id, t -> RatingRow in
                let c = components(t)
                return RatingRow(id: id, name: names[id] ?? "не указано", volume: t.volume, components: c, composite: composite(c, weights: weights))
            }
            rows.sort { a, b in
                switch (a.composite, b.composite) {
                case let (x?, y?) where x != y: return x > y
                case (_?, nil): return true
                case (nil, _?): return false
                default: return (a.volume, b.name) > (b.volume, a.name)
                }
            }
            var rank = 0
            for i in rows.indices where rows[i].composite != nil { rank += 1; rows[i].rank = rank }
            return rows
        }
        let before = Dictionary(uniqueKeysWithValues: ranked(previous).map { ($0.id, $0.rank) })
        return ranked(current).map { row in var r = row; r.previousRank = before[row.id] ?? nil; return r }
    }

    /// «+2 ↑», «−1 ↓», «=», «новый».
    public static func movementText(_ row: RatingRow) -> String {
        guard row.rank != nil else { return "—" }
        guard let m = row.movement else { return "новый" }
        return m > 0 ? "+\(m) ↑" : m < 0 ? "−\(-m) ↓" : "="
    }
}
