import Foundation

/// One figure of the dashboard: its value, how it was computed (numerator, denominator, the formula in
/// words), the target when the regulations set one, and the case-list filter behind it.
public struct KPIFigure: Sendable, Equatable {
    public enum Unit: String, Sendable { case share, count, minutes }

    public var key: String
    public var title: String
    public var unit: Unit
    /// nil when there is nothing to divide by: shown as «нет данных», never as 0 % or NaN.
    public var value: Double?
    public var numerator: Int?
    public var denominator: Int?
    public var formula: String
    /// Share targets are «at least» (satisfaction ≥ 60 %).
    public var target: Double?
    /// Relative change against the previous period and the same period last year (volume only).
    public var changePrevious: Double?
    public var changeLastYear: Double?
    /// Case-list filter parameters that list the cases behind the figure (added to the period and slice).
    public var drill: [String: String]

    public var meetsTarget: Bool? {
        guard let target, let value else { return nil }
        return value >= target
    }

    public var text: String {
        guard let value else { return "нет данных" }
        switch unit {
        case .share: return KPISheet.percent(value)
        case .count: return KPISheet.integer(Int(value))
        case .minutes: return KPISheet.duration(minutes: value)
        }
    }
}

/// The KPIs of PRODUCT.md computed from `KPIAggregates`: pure arithmetic, so the same numbers come out of
/// SQLite and PostgreSQL and the tests check them by hand.
public enum KPISheet {
    /// The federal target for ПОС: at least 60 % of ratings 4–5.
    public static let satisfactionTarget = 0.6
    public static let clockKinds: [CaseClockKind] = [.takeInWork, .firstResponse, .forward, .executor, .urgent, .finalAnswer]

    public static func figures(_ a: KPIAggregates) -> [KPIFigure] {
        var out: [KPIFigure] = []
        var volume = KPIFigure(key: "volume", title: "Поступило обращений", unit: .count, value: Double(a.volume), numerator: a.volume,
                               denominator: nil,
                               formula: "Число обращений, поступивших за период (по дате поступления). Изменение — к периоду той же длины непосредственно перед ним и к тем же датам прошлого года: (сейчас − тогда) ÷ тогда.",
                               drill: [:])
        volume.changePrevious = change(a.volume, a.volumePrevious)
        volume.changeLastYear = change(a.volume, a.volumeLastYear)
        out.append(volume)

        let take = a.clocks[.takeInWork] ?? .init()
        out.append(share("taken_on_time", "Взяты в работу в срок", take.met, take.decided,
                         "Взятые в работу в срок ÷ (в срок + с нарушением + ещё не взятые, у которых срок истёк); по обращениям, поступившим за период.",
                         drill: ["late_clock": "take_in_work"]))
        out.append(minutes("take_median", "Время до взятия в работу, медиана", a.takeInWork.median, a.takeInWork.count,
                           "Медиана календарного времени от поступления до взятия в работу среди обращений периода, взятых в работу (половина взята быстрее)."))
        out.append(minutes("take_p90", "Время до взятия в работу, 90-й процентиль", a.takeInWork.p90, a.takeInWork.count,
                           "90 % обращений периода взяты в работу не дольше этого времени (метод ближайшего ранга, календарное время)."))
        out.append(minutes("first_response_median", "Время до первичного ответа, медиана", a.firstResponse.median, a.firstResponse.count,
                           "Медиана календарного времени от поступления до первого ответа автору среди обращений периода, получивших ответ."))
        out.append(minutes("first_response_p90", "Время до первичного ответа, 90-й процентиль", a.firstResponse.p90, a.firstResponse.count,
                           "90 % обращений периода получили первый ответ не дольше этого времени (метод ближайшего ранга)."))
        for kind in clockKinds where kind != .takeInWork {
            let t = a.clocks[kind] ?? .init()
            out.append(share("on_time_\(kind.rawValue)", "В срок: «\(kind.title)»", t.met, t.decided,
                             "Сроки «\(kind.title)», соблюдённые ÷ (соблюдённые + нарушенные + открытые с истёкшим сроком); по обращениям, поступившим за период; отменённые сроки не учитываются.",
                             drill: ["late_clock": kind.rawValue]))
        }
        out.append(KPIFigure(key: "overdue_now", title: "Просрочено сейчас", unit: .count, value: Double(a.overdueNow), numerator: a.overdueNow,
                             denominator: nil,
                             formula: "Открытые обращения, у которых ближайший срок уже истёк на момент расчёта, независимо от даты поступления (с учётом выбранного среза, без учёта периода).",
                             drill: ["overdue": "true"]))
        var satisfaction = share("satisfaction", "Оценки 4–5", a.rated45, a.rated,
                                 "Оценки 4 и 5 ÷ все оценки заявителей по обращениям периода. Цель ПОС — не менее 60 %.",
                                 drill: ["rating": "4,5"])
        satisfaction.target = satisfactionTarget
        out.append(satisfaction)
        out.append(share("accepted_by_silence", "Принято без возражений", a.acceptedBySilence, a.rated + a.acceptedBySilence,
                         "Ответы, принятые без возражений (окно оценки закончилось молчанием) ÷ (оценённые + принятые без возражений).",
                         drill: ["silence": "true"]))
        out.append(share("reopen_rate", "Повторные рассмотрения", a.reopened, a.answered,
                         "Обращения, хотя бы раз направленные на повторное рассмотрение ÷ обращения периода с опубликованным ответом.",
                         drill: ["reopened": "true"]))
        out.append(share("resolved_share", "Решено (против «разъяснено»)", a.resolved, a.resolved + a.explained,
                         "Результат «Решено» ÷ («Решено» + «Разъяснено») среди закрытых обращений периода; постановления требуют растить долю решённых.",
                         drill: ["result": "resolved"]))
        return out
    }

    static func share(_ key: String, _ title: String, _ num: Int, _ den: Int, _ formula: String, drill: [String: String]) -> KPIFigure {
        KPIFigure(key: key, title: title, unit: .share, value: den > 0 ? Double(num) / Double(den) : nil, numerator: num, denominator: den,
                  formula: formula, drill: drill)
    }

    static func minutes(_ key: String, _ title: String, _ value: Double?, _ count: Int, _ formula: String) -> KPIFigure {
        KPIFigure(key: key, title: title, unit: .minutes, value: count > 0 ? value : nil, numerator: nil, denominator: count, formula: formula, drill: [:])
    }

    /// (now − then) ÷ then; nil when there was nothing then.
    public static func change(_ now: Int, _ then: Int) -> Double? {
        then > 0 ? Double(now - then) / Double(then) : nil
    }

    /// 0.625 → «62,5 %»; whole shares without the decimal.
    public static func percent(_ share: Double) -> String {
        let tenths = (share * 1000).rounded() / 10
        let text = tenths == tenths.rounded() ? String(Int(tenths)) : String(format: "%.1f", tenths).replacingOccurrences(of: ".", with: ",")
        return text + " %"
    }

    /// 12345 → «12 345» (a narrow no-break space between thousands, as Russian texts print them).
    public static func integer(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append("\u{202F}") }
            out.append(ch)
        }
        return (n < 0 ? "−" : "") + out
    }

    /// 95 → «1 ч 35 мин», 3000 → «2 дн 2 ч», 0.5 → «меньше минуты».
    public static func duration(minutes: Double) -> String {
        let m = Int(minutes.rounded())
        if m < 1 { return "меньше минуты" }
        if m < 60 { return "\(m) мин" }
        if m < 24 * 60 { return m % 60 == 0 ? "\(m / 60) ч" : "\(m / 60) ч \(m % 60) мин" }
        let days = m / 1440, hours = (m % 1440) / 60
        return hours == 0 ? "\(days) дн" : "\(days) дн \(hours) ч"
    }

    /// +12,5 % / −3 % / «было 0».
    public static func changeText(_ change: Double?) -> String {
        guard let change else { return "—" }
        let p = percent(abs(change))
        return change > 0 ? "+" + p : change < 0 ? "−" + p : "0 %"
    }
}
