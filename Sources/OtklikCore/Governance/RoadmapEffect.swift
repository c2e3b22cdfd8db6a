/// Whether a roadmap against a root cause works (decree 001 §2.4: «дорожные карты по устранению
/// первопричин»): the volume of the targeted problem in equal windows before and after each completed
/// step. An «after» window that has not closed yet is not judged — a half window would flatter any step.
public enum RoadmapEffect {
    public struct Step: Sendable, Equatable {
        public var title: String
        public var doneOn: LocalDay?
        public init(title: String, doneOn: LocalDay?) { self.title = title; self.doneOn = doneOn }
    }

    public struct Row: Sendable, Equatable {
        public var title: String
        public var doneOn: LocalDay?
        public var before: Int?
        public var after: Int?
        /// Whole percent, negative when the problem shrank.
        public var changePercent: Int?

        public var text: String {
            guard let doneOn else { return "шаг не выполнен" }
            guard let before else { return "выполнен \(doneOn.russian)" }
            guard let after else { return "выполнен \(doneOn.russian); до — \(before), после — окно ещё не закрыто" }
            return "до — \(before), после — \(after)" + (changePercent.map { $0 == 0 ? " (без изменений)" : " (\($0 > 0 ? "+" : "")\($0) %)" } ?? "")
        }
    }

    /// `daily`: cases of the targeted problem per local day; `window`: days on each side of a step.
    public static func rows(_ steps: [Step], daily: [LocalDay: Int], window: Int, today: LocalDay) -> [Row] {
        steps.map { step in
            guard let done = step.doneOn else { return Row(title: step.title, doneOn: nil) }
            let before = sum(daily, from: done.adding(days: -window), until: done)
            let closes = done.adding(days: window)
            guard closes <= today else { return Row(title: step.title, doneOn: done, before: before) }
            let after = sum(daily, from: done, until: closes)
            let change: Int? = before == 0 ? nil : Int((Double(after - before) * 100 / Double(before)).rounded())
            return Row(title: step.title, doneOn: done, before: before, after: after, changePercent: change)
        }
    }

    /// Monday-based weeks from `from` to `to` with their totals, for the chart.
    public static func weekly(_ daily: [LocalDay: Int], from: LocalDay, to: LocalDay) -> [(week: LocalDay, count: Int)] {
        var out: [(LocalDay, Int)] = []
        var monday = from.adding(days: -from.weekdayFromMonday)
        while monday <= to {
            out.append((monday, sum(daily, from: monday, until: monday.adding(days: 7))))
            monday = monday.adding(days: 7)
        }
        return out
    }

    /// Cases on days in [from, until).
    static func sum(_ daily: [LocalDay: Int], from: LocalDay, until: LocalDay) -> Int {
        daily.reduce(0) { $0 + ($1.key >= from && $1.key < until ? $1.value : 0) }
    }
}
