import Vapor

/// `otklik demo`: loads the fictional demo municipality (migrating first).
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "cases", help: "Сколько обращений создать (по умолчанию 5600)")
        var cases: Int?
    }
    var help: String { "Загрузить демонстрационный муниципалитет с вымышленными данными" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        var loader = DemoLoader(app: app)
        if let n = signature.cases {
            guard (1...2_000_000).contains(n) else { throw CommandFailure("--cases: ожидалось число от 1 до 2 000 000") }
            loader.caseCount = n
        }
        try await loader.loadIfAbsent()
    }
}
