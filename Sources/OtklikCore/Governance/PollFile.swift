/// Results of ПОС «Голосования» and of public discussions, as exported or typed in a table: one row per
/// option — question, option, votes; optionally the total of respondents (checked against the options),
/// territory and the period. Every row is checked before anything is written; problems are named by line.
public enum PollFile {
    public struct Poll: Sendable, Equatable {
        public var question: String
        public var options: [(text: String, votes: Int)]
        public var territory: String?
        public var from: LocalDay?
        public var to: LocalDay?
        public var total: Int { options.reduce(0) { $0 + $1.votes } }

        public static func == (a: Self, b: Self) -> Bool {
            a.question == b.question && a.options.map(\.text) == b.options.map(\.text) && a.options.map(\.votes) == b.options.map(\.votes)
                && a.territory == b.territory && a.from == b.from && a.to == b.to
        }
    }

    public struct Problems: Error, Sendable { public var issues: [FieldIssue] }

    static let columns: [(key: String, names: [String])] = [
        ("question", ["вопрос", "тема голосования", "вопрос голосования"]),
        ("option", ["вариант", "вариант ответа", "ответ"]),
        ("votes", ["голосов", "голоса", "количество голосов", "число голосов"]),
        ("total", ["всего", "всего проголосовало", "участников"]),
        ("territory", ["территория", "населённый пункт", "населенный пункт"]),
        ("from", ["начало", "дата начала", "с"]),
        ("to", ["окончание", "дата окончания", "по"]),
    ]

    /// `rows`: the header first, then data rows with the line numbers a user sees.
    public static func read(header: [String], rows: [(line: Int, cells: [String])]) -> Result<[Poll], Problems> {
        let names = header.map { $0.lowercased().trimmed }
        var at: [String: Int] = [:]
        for (key, options) in columns { if let i = options.lazy.compactMap({ names.firstIndex(of: $0) }).first { at[key] = i } }
        guard at["question"] != nil, at["option"] != nil, at["votes"] != nil else {
            return .failure(Problems(issues: [FieldIssue("file", "нужны столбцы «Вопрос», «Вариант» и «Голосов»; в файле: "
                                                         + header.map { "«\($0)»" }.joined(separator: ", "))]))
        }
        func cell(_ r: [String], _ key: String) -> String? {
            guard let i = at[key], i < r.count else { return nil }
            let v = r[i].trimmed
            return v.isEmpty ? nil : v
        }
        var polls: [Poll] = [], totals: [Int: (Int, Int)] = [:], issues: [FieldIssue] = []
        for (line, cells) in rows where !cells.allSatisfy({ $0.trimmed.isEmpty }) {
            let where_ = "строка \(line)"
            guard let question = cell(cells, "question") else { issues.append(FieldIssue(where_, "не указан вопрос")); continue }
            guard let option = cell(cells, "option") else { issues.append(FieldIssue(where_, "не указан вариант ответа")); continue }
            let rawVotes = cell(cells, "votes") ?? ""
            guard let votes = Int(rawVotes.filter { !$0.isWhitespace }) else { issues.append(FieldIssue(where_, "«\(rawVotes)» — не число голосов")); continue }
            if votes < 0 { issues.append(FieldIssue(where_, "число голосов не может быть отрицательным (\(votes))")); continue }
            var from: LocalDay?, to: LocalDay?
            if let f = cell(cells, "from") { from = LocalDay(f); if from == nil { issues.append(FieldIssue(where_, "дата начала «\(f)» — ожидается 10.12.2026")) } }
            if let t = cell(cells, "to") { to = LocalDay(t); if to == nil { issues.append(FieldIssue(where_, "дата окончания «\(t)» — ожидается 10.12.2026")) } }
            if let from, let to, to < from { issues.append(FieldIssue(where_, "голосование окончилось раньше, чем началось")) }
            let index: Int
            if let i = polls.firstIndex(where: { $0.question == question }) { index = i }
            else {
                polls.append(Poll(question: question, options: [], territory: cell(cells, "territory"), from: from, to: to))
                index = polls.count - 1
            }
            if polls[index].options.contains(where: { $0.text == option }) { issues.append(FieldIssue(where_, "вариант «\(option)» повторяется")); continue }
            polls[index].options.append((option, votes))
            if let rawTotal = cell(cells, "total") {
                guard let total = Int(rawTotal.filter { !$0.isWhitespace }), total >= 0 else { issues.append(FieldIssue(where_, "«\(rawTotal)» — не число участников")); continue }
                if let known = totals[index], known.0 != total { issues.append(FieldIssue(where_, "итог «\(total)» не совпадает с указанным в строке \(known.1) (\(known.0))")) }
                else { totals[index] = (total, line) }
            }
        }
        for (index, (total, line)) in totals where polls[index].total != total {
            issues.append(FieldIssue("строка \(line)", "по вопросу «\(polls[index].question.prefix(60))» сумма голосов \(polls[index].total) не равна итогу \(total)"))
        }
        if polls.isEmpty && issues.isEmpty { issues.append(FieldIssue("file", "в файле нет строк с результатами")) }
        return issues.isEmpty ? .success(polls) : .failure(Problems(issues: issues))
    }
}
