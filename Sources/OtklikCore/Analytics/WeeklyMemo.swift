import Foundation

/// The weekly analytic memo to the head of the municipality (еженедельная аналитическая записка): its
/// sections computed from the period's figures, and the recommendations the figures call for — each rule
/// says which figure triggered it. Rendered to DOCX here and to printable HTML by the server.
public enum WeeklyMemo {
    public struct Topic: Sendable, Equatable {
        public var name: String; public var count: Int; public var previous: Int
        public init(name: String, count: Int, previous: Int) { self.name = name; self.count = count; self.previous = previous }
    }

    /// A factor of abnormal growth as the memo states it (see `GrowthDetector`).
    public struct Growth: Sendable, Equatable {
        /// «Тема», «Территория», «Организация».
        public var kind: String
        public var name: String
        public var count: Int
        public var explanation: String
        public var concentration: String?
        public var caseNumbers: [Int]
        public init(kind: String, name: String, count: Int, explanation: String, concentration: String? = nil, caseNumbers: [Int] = []) {
            self.kind = kind; self.name = name; self.count = count; self.explanation = explanation
            self.concentration = concentration; self.caseNumbers = caseNumbers
        }
    }

    /// An information risk of the period (decree 001): detected in it, or still being worked on.
    public struct Risk: Sendable, Equatable {
        public var number: Int
        public var title: String
        public var criticality: String
        public var status: String
        public var detected: String
        /// Whether the first reaction met its deadline; nil while it is not due yet.
        public var reactedInTime: Bool?
        public var outcome: String?
        public init(number: Int, title: String, criticality: String, status: String, detected: String, reactedInTime: Bool?, outcome: String?) {
            self.number = number; self.title = title; self.criticality = criticality; self.status = status
            self.detected = detected; self.reactedInTime = reactedInTime; self.outcome = outcome
        }
    }

    /// An assignment under control due by the end of the week after the period, or overdue.
    public struct Assignment: Sendable, Equatable {
        public var number: Int
        public var text: String
        public var executor: String
        public var due: String
        public var state: String
        public var overdue: Bool
        public init(number: Int, text: String, executor: String, due: String, state: String, overdue: Bool) {
            self.number = number; self.text = text; self.executor = executor; self.due = due; self.state = state; self.overdue = overdue
        }
    }

    /// A roadmap's completed steps with their measured effect.
    public struct Roadmap: Sendable, Equatable {
        public var title: String
        public var target: String
        public var steps: [(title: String, effect: String)]
        public init(title: String, target: String, steps: [(title: String, effect: String)]) { self.title = title; self.target = target; self.steps = steps }
        public static func == (a: Self, b: Self) -> Bool { a.title == b.title && a.target == b.target && a.steps.map(\.title) == b.steps.map(\.title) && a.steps.map(\.effect) == b.steps.map(\.effect) }
    }

    public struct Input: Sendable {
        public var municipality: String
        public var periodText: String
        public var previousText: String
        public var generatedText: String
        public var figures: [KPIFigure]
        public var topics: [Topic]
        public var organisations: [RatingRow]
        /// Open and overdue cases now, per organisation id.
        public var workload: [String: (open: Int, overdue: Int)]
        /// Abnormal growth against own baseline; nil when the period was too long to judge.
        public var growth: [Growth]?
        /// The period's information risks (detected in it or open at its end).
        public var risks: [Risk] = []
        /// The control list of assignments (decree 004: the centre controls execution).
        public var assignments: [Assignment] = []
        /// Roadmaps against root causes and the effect of their steps.
        public var roadmaps: [Roadmap] = []
        public init(municipality: String, periodText: String, previousText: String, generatedText: String, figures: [KPIFigure],
                    topics: [Topic], organisations: [RatingRow], workload: [String: (open: Int, overdue: Int)], growth: [Growth]? = []) {
            self.municipality = municipality; self.periodText = periodText; self.previousText = previousText
            self.generatedText = generatedText; self.figures = figures; self.topics = topics; self.organisations = organisations
            self.workload = workload; self.growth = growth
        }
    }

    public struct Section: Sendable {
        public var title: String
        public var paragraphs: [String] = []
        public var table: (header: [String], rows: [[String]], widths: [Int])?
        public var bullets: [String] = []
        public var chart: [RasterBarChart.Bar]?
        public var chartDescription = ""
    }

    public static func sections(_ input: Input) -> [Section] {
        let f = Dictionary(uniqueKeysWithValues: input.figures.map { ($0.key, $0) })
        var out: [Section] = []

        var summary = Section(title: "1. Основные показатели")
        if let v = f["volume"] {
            summary.paragraphs.append("За период поступило \(v.text) \(RussianPlural.form(Int(v.value ?? 0), one: "обращение", few: "обращения", many: "обращений")); к предыдущему периоду — \(KPISheet.changeText(v.changePrevious)), к тем же датам прошлого года — \(KPISheet.changeText(v.changeLastYear)).")
        }
        summary.table = (["Показатель", "Значение", "Из чего"],
                         input.figures.filter { $0.key != "volume" }.map { fig in
                             [fig.title, fig.text + (fig.target.map { " (цель — не менее \(KPISheet.percent($0)))" } ?? ""),
                              fig.numerator.flatMap { n in fig.denominator.map { "\(n) из \($0)" } } ?? fig.denominator.map { "наблюдений: \($0)" } ?? "—"]
                         }, [5, 3, 2])
        out.append(summary)

        var topics = Section(title: "2. Основные темы обращений")
        if input.topics.isEmpty { topics.paragraphs.append("Обращений с указанной темой за период нет.") }
        else {
            topics.table = (["№", "Тема", "Поступило", "Предыдущий период", "Изменение"],
                            input.topics.enumerated().map { i, t in
                                ["\(i + 1)", t.name, "\(t.count)", "\(t.previous)", KPISheet.changeText(KPISheet.change(t.count, t.previous))]
                            }, [1, 6, 2, 2, 2])
            topics.chart = input.topics.map { RasterBarChart.Bar(value: Double($0.count), comparison: Double($0.previous)) }
            topics.chartDescription = "Поступление по темам (номера строк таблицы); штриховка — предыдущий период"
        }
        out.append(topics)

        var growth = Section(title: "3. Факторы роста обращений")
        switch input.growth {
        case nil:
            growth.paragraphs.append("Для периодов длиннее квартала рост не оценивается.")
        case let factors? where factors.isEmpty:
            growth.paragraphs.append("Аномального роста обращений по темам, территориям и организациям к их собственной истории не выявлено.")
        case let factors?:
            growth.paragraphs.append("Рост считается аномальным, если обращений заметно больше, чем предсказывает история самой темы (территории, организации) с учётом тех же недель прошлого года.")
            growth.bullets = factors.map { g in
                "\(g.kind) «\(g.name)»: \(g.explanation)" + (g.concentration.map { "; \($0)" } ?? "")
                    + (g.caseNumbers.isEmpty ? "" : "; обращения № " + g.caseNumbers.map(String.init).joined(separator: ", ")) + "."
            }
        }
        out.append(growth)

        var late = Section(title: "4. Просроченные обращения по организациям")
        let overdue = input.organisations.compactMap { row -> (String, Int, Int, String)? in
            guard let w = input.workload[row.id], w.overdue > 0 else { return nil }
            let timeliness = row.components.first { $0.key == "timeliness" }?.score.map(KPISheet.percent) ?? "нет данных"
            return (row.name, w.open, w.overdue, timeliness)
        }.sorted { $0.2 > $1.2 }
        if overdue.isEmpty { late.paragraphs.append("Просроченных обращений у организаций нет.") }
        else {
            late.table = (["Организация", "Открыто", "Просрочено", "Своевременность за период"],
                          overdue.prefix(15).map { [$0.0, "\($0.1)", "\($0.2)", $0.3] }, [6, 2, 2, 3])
        }
        out.append(late)

        var rating = Section(title: "5. Рейтинг ответственных организаций")
        let ranked = input.organisations.filter { $0.rank != nil }
        if ranked.isEmpty { rating.paragraphs.append("За период нет назначенных организациям обращений.") }
        else {
            rating.paragraphs.append("Итоговый балл — взвешенное среднее своевременности, скорости, полноты, качества и удовлетворённости (0–100).")
            rating.table = (["Место", "Движение", "Организация", "Балл", "Своевременность", "Удовлетворённость"],
                            ranked.prefix(15).map { r in
                                ["\(r.rank ?? 0)", RatingSheet.movementText(r), r.name,
                                 r.composite.map { String(format: "%.1f", $0).replacingOccurrences(of: ".", with: ",") } ?? "—",
                                 r.components.first { $0.key == "timeliness" }?.score.map(KPISheet.percent) ?? "нет данных",
                                 r.components.first { $0.key == "satisfaction" }?.score.map(KPISheet.percent) ?? "нет данных"]
                            }, [1, 2, 6, 2, 3, 3])
        }
        out.append(rating)

        var satisfaction = Section(title: "6. Удовлетворённость заявителей")
        if let s = f["satisfaction"] {
            satisfaction.paragraphs.append("Оценки 4–5: \(s.text)" + (s.meetsTarget.map { $0 ? " — цель 60 % выполнена." : " — ниже цели 60 %." } ?? " (оценок за период нет)."))
        }
        if let s = f["accepted_by_silence"] { satisfaction.paragraphs.append("Принято без возражений: \(s.text).") }
        if let s = f["reopen_rate"] { satisfaction.paragraphs.append("Повторные рассмотрения: \(s.text).") }
        if let s = f["resolved_share"] { satisfaction.paragraphs.append("Доля «Решено» против «Разъяснено»: \(s.text).") }
        out.append(satisfaction)

        var risks = Section(title: "7. Информационные риски")
        if input.risks.isEmpty {
            risks.paragraphs.append("Информационных рисков за период не выявлено, незакрытых рисков нет.")
        } else {
            let late = input.risks.filter { $0.reactedInTime == false }.count
            risks.paragraphs.append("Рисков за период и в работе: \(input.risks.count); первая реакция не в срок: \(late).")
            risks.table = (["№", "Риск", "Критичность", "Выявлен", "Этап", "Реакция в срок", "Итог"],
                           input.risks.prefix(20).map { r in
                               ["\(r.number)", r.title, r.criticality, r.detected, r.status,
                                r.reactedInTime.map { $0 ? "да" : "нет" } ?? "срок не наступил", r.outcome ?? ""]
                           }, [1, 5, 2, 3, 3, 2, 4])
        }
        out.append(risks)

        var control = Section(title: "8. Поручения на контроле")
        if input.assignments.isEmpty {
            control.paragraphs.append("Поручений со сроком на неделе и просроченных нет.")
        } else {
            let late = input.assignments.filter(\.overdue).count
            control.paragraphs.append("Со сроком до конца следующей недели и просроченных: \(input.assignments.count); из них просрочено: \(late).")
            control.table = (["№", "Поручение", "Исполнитель", "Срок", "Состояние"],
                             input.assignments.prefix(30).map { ["\($0.number)", $0.text, $0.executor, $0.due, $0.overdue ? "просрочено" : $0.state] },
                             [1, 7, 4, 2, 3])
        }
        out.append(control)

        var maps = Section(title: "9. Дорожные карты")
        if input.roadmaps.isEmpty {
            maps.paragraphs.append("Дорожных карт по устранению первопричин нет.")
        } else {
            maps.paragraphs.append("Эффект шага — число обращений по проблеме за равные окна до и после его выполнения.")
            maps.bullets = input.roadmaps.map { r in
                "«\(r.title)» (\(r.target)): " + (r.steps.isEmpty ? "шагов нет" : r.steps.map { "\($0.title) — \($0.effect)" }.joined(separator: "; ")) + "."
            }
        }
        out.append(maps)

        var advice = Section(title: "10. Рекомендации")
        advice.bullets = recommendations(input)
        out.append(advice)
        return out
    }

    /// Rule-based: each recommendation names the figure that called for it.
    public static func recommendations(_ input: Input) -> [String] {
        let f = Dictionary(uniqueKeysWithValues: input.figures.map { ($0.key, $0) })
        var out: [String] = []
        let lateOrders = input.assignments.filter(\.overdue)
        if !lateOrders.isEmpty {
            out.append("Просрочено поручений: \(lateOrders.count) (№ \(lateOrders.prefix(10).map { String($0.number) }.joined(separator: ", "))): заслушать исполнителей на заседании МЦУ (основание: раздел 8).")
        }
        let lateRisks = input.risks.filter { $0.reactedInTime == false }
        if !lateRisks.isEmpty {
            out.append("Первая реакция на информационные риски не в срок (№ \(lateRisks.map { String($0.number) }.joined(separator: ", "))): закрепить дежурного ответственного за алерт-чат и заготовки официальных ответов по частым темам.")
        }
        if let s = f["satisfaction"], s.meetsTarget == false {
            out.append("Доля оценок 4–5 — \(s.text) при цели 60 %: разобрать обращения с оценками 1–3 с руководителями организаций, проверить полноту ответов (основание: показатель «Оценки 4–5»).")
        }
        if let t = f["taken_on_time"], let v = t.value, v < 0.9 {
            out.append("В работу в срок взято \(t.text) обращений: закрепить дежурства ответственных за каналы, в том числе в выходные (основание: «Взяты в работу в срок» ниже 90 %).")
        }
        if let worst = input.organisations.compactMap({ r in input.workload[r.id].map { (r.name, $0.overdue) } }).max(by: { $0.1 < $1.1 }), worst.1 > 0 {
            out.append("Больше всего просроченных обращений — у организации «\(worst.0)» (\(worst.1)): рассмотреть на заседании МЦУ, назначить ответственного за устранение (основание: раздел 4).")
        }
        if let r = f["resolved_share"], let v = r.value, v < 0.5 {
            out.append("«Решено» — лишь \(r.text) закрытых обращений: требовать от исполнителей устранения проблемы, а не разъяснений (основание: доля «Решено» ниже 50 %).")
        }
        for g in (input.growth ?? []).prefix(3) {
            out.append("\(g.kind) «\(g.name)»: \(RussianPlural.count(g.count, one: "обращение", few: "обращения", many: "обращений")) — выше обычного: выяснить причину с ответственной организацией, рассмотреть профилактическое информирование жителей и оценить информационный риск (основание: раздел 3).")
        }
        if let r = f["reopen_rate"], let v = r.value, v > 0.15 {
            out.append("Повторных рассмотрений \(r.text): проверять ответы перед публикацией на соответствие вопросу (основание: доля повторных выше 15 %).")
        }
        if out.isEmpty { out.append("Отклонений, требующих управленческих решений, за период не выявлено.") }
        return out
    }

    /// The memo as Word blocks.
    public static func docx(_ input: Input) -> DOCXWriter {
        var blocks: [DOCXWriter.Block] = [
            .title("Еженедельная аналитическая записка"),
            .paragraph("о работе с сообщениями и обращениями граждан — \(input.municipality)", bold: true),
            .paragraph("Период: \(input.periodText). Сравнение: \(input.previousText)."),
            .paragraph("Подготовлено в Отклике \(input.generatedText).", small: true),
        ]
        for s in sections(input) {
            blocks.append(.heading(s.title))
            for p in s.paragraphs { blocks.append(.paragraph(p)) }
            if let t = s.table { blocks.append(.table(header: t.header, rows: t.rows, widths: t.widths)) }
            if let bars = s.chart, !bars.isEmpty {
                let png = RasterBarChart.png(bars)
                blocks.append(.picture(png: png.bytes, width: png.width, height: png.height, description: s.chartDescription))
                blocks.append(.paragraph("Рисунок: \(s.chartDescription).", small: true))
            }
            if !s.bullets.isEmpty { blocks.append(.bullets(s.bullets)) }
        }
        return DOCXWriter(title: "Аналитическая записка: \(input.municipality), \(input.periodText)", author: "Отклик", blocks: blocks)
    }
}
