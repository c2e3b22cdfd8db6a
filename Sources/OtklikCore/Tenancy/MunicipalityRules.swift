import Foundation

/// Validation of a municipality's settings, shared by the API, the CLI and the demo loader.
public enum MunicipalityRules {
    /// The slug appears in API paths: lower-case Latin letters, digits and hyphens.
    public static func slugIssue(_ slug: String) -> String? {
        let ok = (2...63).contains(slug.count) && slug.first != "-" && slug.last != "-"
            && slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return ok ? nil : "код в адресе должен состоять из 2–63 латинских строчных букв, цифр и дефисов"
    }

    /// ОКТМО has 8 digits (municipality) or 11 (settlement).
    public static func oktmoIssue(_ code: String) -> String? {
        (code.count == 8 || code.count == 11) && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber)
            ? nil : "код ОКТМО должен состоять из 8 или 11 цифр"
    }

    public static func timeZoneIssue(_ identifier: String) -> String? {
        guard identifier.contains("/"), TimeZone(identifier: identifier) != nil else {
            return "неизвестный часовой пояс «\(identifier)»; укажите его как в базе IANA, например Europe/Moscow или Asia/Novokuznetsk"
        }
        return nil
    }

    public static func workingHoursIssue(start: String, end: String) -> (field: String, reason: String)? {
        guard let s = WorkingHours.minute(of: start) else { return ("work_start", "время должно быть в формате ЧЧ:ММ") }
        guard let e = WorkingHours.minute(of: end) else { return ("work_end", "время должно быть в формате ЧЧ:ММ") }
        guard e - s >= 60 else { return ("work_end", "конец рабочего дня должен быть хотя бы на час позже начала") }
        return nil
    }
}

/// The seven directions of the centre named in decree 004 (§2.1.2), shipped as default thematic blocks.
public enum DefaultThematicBlocks {
    public static let all: [(code: String, name: String)] = [
        ("education", "Образование"),
        ("social", "Социальная защита"),
        ("housing", "Жилищно-коммунальное хозяйство"),
        ("waste", "Твёрдые коммунальные отходы"),
        ("roads", "Дороги"),
        ("transport", "Транспорт"),
        ("energy", "Энергетика"),
    ]
}
