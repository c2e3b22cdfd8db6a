/// Reads a year of the production calendar in the xmlcalendar format that Russian calendar services
/// publish: `<calendar year="2027">…<day d="MM.DD" t="1|2|3" f="MM.DD"/>…</calendar>`.
public enum XMLCalendarImport {
    public struct ImportError: Error, Equatable, Sendable {
        public var russian: String
    }

    public static func parse(_ text: String) throws(ImportError) -> (year: Int, days: [(Int, Int, Int, String?)]) {
        guard let calendarTag = tag(named: "calendar", in: text).first,
              let yearText = attribute("year", in: calendarTag), let year = Int(yearText), (1990...2200).contains(year) else {
            throw ImportError(russian: "в файле нет элемента <calendar year=\"ГГГГ\">: это не файл производственного календаря")
        }
        var days: [(Int, Int, Int, String?)] = []
        var seen = Set<String>()
        for dayTag in tag(named: "day", in: text) {
            guard let d = attribute("d", in: dayTag), let t = attribute("t", in: dayTag) else {
                throw ImportError(russian: "у элемента \(dayTag) нет атрибутов d и t")
            }
            let parts = d.split(separator: ".")
            guard parts.count == 2, let month = Int(parts[0]), let day = Int(parts[1]),
                  CivilDate.epochDay(year: year, month: month, day: day) != nil else {
                throw ImportError(russian: "неверная дата «\(d)» в \(year) году")
            }
            guard let kind = Int(t), (1...3).contains(kind) else {
                throw ImportError(russian: "неверный тип дня t=\"\(t)\" для \(d): допустимо 1 (выходной), 2 (сокращённый), 3 (рабочий выходной)")
            }
            guard seen.insert(d).inserted else { throw ImportError(russian: "день \(d) указан дважды") }
            days.append((month, day, kind, attribute("f", in: dayTag)))
        }
        return (year, days)
    }

    /// The text of every `<name …>` start tag (attributes only; the format has no nesting we need).
    static func tag(named name: String, in text: String) -> [Substring] {
        var out: [Substring] = []
        var rest = text[...]
        while let open = rest.range(of: "<" + name) {
            let after = rest[open.upperBound...]
            guard let first = after.first, first == " " || first == "\t" || first == "\n" || first == ">" || first == "/",
                  let close = after.firstIndex(of: ">") else {
                rest = after
                continue
            }
            out.append(after[..<close])
            rest = after[close...]
        }
        return out
    }

    static func attribute(_ name: String, in tag: Substring) -> String? {
        var rest = tag
        while let r = rest.range(of: name + "=\"") {
            let before = rest[..<r.lowerBound].last
            let value = rest[r.upperBound...]
            if before == nil || before == " " || before == "\t" || before == "\n", let end = value.firstIndex(of: "\"") {
                return String(value[..<end])
            }
            rest = value
        }
        return nil
    }
}
