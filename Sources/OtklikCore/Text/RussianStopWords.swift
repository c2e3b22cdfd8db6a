/// Function words that carry no topic: the Snowball project's Russian stop list (after ё→е), without the
/// negations and the few comparatives that change what a complaint says («не горит», «нет воды»,
/// «без света», «стало хуже»).
public enum RussianStopWords {
    public static let all: Set<String> = Set("""
    и в во что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от
    меня еще о из ему теперь когда даже ну вдруг ли если уже или быть был него до вас нибудь опять уж вам
    ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб будто
    чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти
    мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над
    через эти нас про всего них какая много разве три эту моя впрочем свою этой перед иногда чуть том
    нельзя такой им более всегда конечно всю между
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    public static func contains(_ word: String) -> Bool { all.contains(word) }
}
