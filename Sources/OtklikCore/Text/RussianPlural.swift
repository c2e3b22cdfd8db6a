/// Russian plural forms: 1 обращение, 2 обращения, 5 обращений, 21 обращение, 11 обращений.
public enum RussianPlural {
    public static func form(_ n: Int, one: String, few: String, many: String) -> String {
        let n100 = abs(n) % 100, n10 = abs(n) % 10
        if (11...14).contains(n100) { return many }
        switch n10 {
        case 1: return one
        case 2...4: return few
        default: return many
        }
    }

    public static func count(_ n: Int, one: String, few: String, many: String) -> String {
        "\(n) \(form(n, one: one, few: few, many: many))"
    }
}
