/// Words a near-duplicate signature leaves out. Place is judged on its own (address, coordinates), and the
/// formulas every appeal is wrapped in («Здравствуйте», «просим принять меры», «сколько можно ждать») say
/// nothing about the problem: left in, two short messages about different problems on one street look alike.
public enum SignatureWords {
    /// Greetings, politeness and complaint formulas, and the words of an address, as stems.
    public static let formulas: Set<String> = Set(TextPipeline.terms("""
        здравствуйте добрый доброе доброго день утро вечер уважаемая уважаемый уважаемые администрация администрации
        глава главы помогите пожалуйста спасибо заранее благодарю прошу просим просьба ответить ответьте разобраться
        принять примите меры когда это исправят исправьте сколько можно ждать жалуемся жалоба пишу пишем уже первый раз
        снова опять вопрос ситуация житель жители жильцы имени обращаюсь обращаемся город города поселок района
        дом дома доме улица улице улицы ул переулок пер проспект пр шоссе площадь пл микрорайон мкр возле около
        напротив рядом район
        """))

    /// Stems of an address's words (street, settlement), to be left out of the text's signature.
    public static func place(_ address: String?) -> Set<String> {
        guard let address, !address.isEmpty else { return [] }
        return Set(TextPipeline.terms(address))
    }
}
