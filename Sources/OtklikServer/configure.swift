import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// How the app should start, beyond what the environment configures.
public struct LaunchOptions: Sendable {
    /// Load the demo municipality when it is absent (`otklik serve --demo`).
    public var demo: Bool = false
    /// Migrate before serving (nil: as AppConfig says).
    public var autoMigrate: Bool?
    /// Create the first administrator on an empty database and print its one-time password.
    public var bootstrapAdministrator: Bool = false
    /// Overrides for tests and tools; nil reads the environment.
    public var config: AppConfig?
    /// Run the deadline monitor in the background (`serve`).
    public var runMonitor: Bool = false
    /// Where to print what a person must read (credentials): stdout by default.
    public var printer: @Sendable (String) -> Void = { print($0) }

    public init(demo: Bool = false, autoMigrate: Bool? = nil, bootstrapAdministrator: Bool = false,
                config: AppConfig? = nil) {
        self.demo = demo
        self.autoMigrate = autoMigrate
        self.bootstrapAdministrator = bootstrapAdministrator
        self.config = config
    }
}

struct LaunchOptionsKey: StorageKey { typealias Value = LaunchOptions }
struct AppConfigKey: StorageKey { typealias Value = AppConfig }

extension Application {
    var otklikConfig: AppConfig { storage[AppConfigKey.self]! }
    var launchOptions: LaunchOptions { storage[LaunchOptionsKey.self] ?? LaunchOptions() }
}

/// Configures the Otklik application: database, security, routes and commands.
public func configure(_ app: Application, _ options: LaunchOptions = .init()) async throws {
    let config = try options.config ?? AppConfig.from(environment: ProcessInfo.processInfo.environment)
    app.storage[AppConfigKey.self] = config
    app.storage[LaunchOptionsKey.self] = options
    app.storage[ForecastHistoryCacheKey.self] = ForecastHistoryCache()
    let trainings = TextTrainingJobs()
    app.storage[TextTrainingJobsKey.self] = trainings
    app.lifecycle.use(trainings)
    // Every notification reaches the inbox; the outbox notifiers act only where the municipality set up
    // an SMTP relay or a Telegram alert chat.
    app.publicURL = config.publicURL
    app.notifiers = [InAppNotifier(), EmailNotifier(publicURL: config.publicURL), TelegramAlertNotifier(publicURL: config.publicURL)]

    switch config.database {
    case .sqlite(let path):
        // sqlite-nio waits for a busy database by spinning on a thread of this pool until the lock is free.
        // With the default pool (one thread a core) two writers waiting for a third can take every thread,
        // and the third — mid-transaction, needing a thread for its next statement — never finishes.
        // A pool wider than the writers that can wait at once keeps the lock holder moving.
        app.threadPool = NIOThreadPool(numberOfThreads: 16)
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let url):
        app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 4,
                                        connectionPoolTimeout: .seconds(Int64(config.databasePoolTimeoutSeconds))), as: .psql)
    }
    if case .sqlite = config.database {
        // WAL lets readers work while an import writes; the setting lives in the file.
        _ = try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").all()
    }
    OtklikMigrations.register(on: app)

    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    app.sessions.use(.fluent)
    app.sessions.configuration.cookieName = "otklik_session"
    app.sessions.configuration.cookieFactory = { id in
        HTTPCookies.Value(string: id.string, expires: Date().addingTimeInterval(12 * 3600), maxAge: nil,
                          path: "/", isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
    app.routes.defaultMaxBodySize = ByteCount(value: config.maxBodyBytes)

    app.middleware = .init()
    app.middleware.use(ProblemMiddleware(maxBodyBytes: config.maxBodyBytes))
    try WebRoutes.configure(app)
    app.middleware.use(app.sessions.middleware)

    try routes(app)
    registerCommands(app)

    if options.autoMigrate ?? false {
        try await app.autoMigrate()
    }
    if options.bootstrapAdministrator {
        try await Bootstrap.ensureAdministrator(app)
    }
    if options.demo {
        var loader = DemoLoader(app: app)
        loader.walk = .background
        try await loader.loadIfAbsent()
        app.lifecycle.use(DemoWalkService())
    }
    if options.runMonitor {
        app.lifecycle.use(PeriodicService.monitor(interval: config.monitorIntervalSeconds))
        app.lifecycle.use(ImportResumeService())
        app.lifecycle.use(PeriodicService.telegram(interval: config.telegramIntervalSeconds))
        app.lifecycle.use(PeriodicService.webhooks(interval: config.webhookIntervalSeconds))
        app.lifecycle.use(PeriodicService.notifications(interval: config.notificationIntervalSeconds))
        app.lifecycle.use(PeriodicService.memos(interval: config.memoIntervalSeconds))
        app.lifecycle.use(PeriodicService.textModels(interval: config.textIntervalSeconds))
    }
}

func routes(_ app: Application) throws {
    let spec = try OpenAPIDocument.load()
    app.get("openapi.json") { _ in
        Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(data: spec))
    }
    app.get("health") { req async throws -> [String: String] in
        _ = try await Municipality.query(on: req.db).count()
        return ["status": "ok"]
    }

    // GeoReport v2 for other systems: its own key parameter and error format, no sessions.
    try app.register(collection: Open311Controller())
    // VK's Callback API for the official pages (госпаблики): a secret in the body, plain-text answers.
    try app.register(collection: VKCallbackController())

    let api = app.grouped("api", "v1").grouped(TokenAuthenticator(), SessionAuthenticator(), CSRFMiddleware())
    try api.register(collection: SessionController())

    let signedIn = api.grouped(Principal.guardMiddleware(throwing: Problem.unauthorized))
    let municipalities = MunicipalitiesController()
    try signedIn.register(collection: municipalities)

    let tenant = signedIn.grouped("municipalities", ":municipality").grouped(TenantMiddleware())
    municipalities.bootTenant(routes: tenant)
    try tenant.register(collection: CasesController())
    try tenant.register(collection: OrganisationsController())
    try tenant.register(collection: BlocksController())
    try tenant.register(collection: RubricsController())
    try tenant.register(collection: TerritoriesController())
    try tenant.register(collection: UsersController())
    try tenant.register(collection: TokensController())
    try tenant.register(collection: RegulationController())
    try tenant.register(collection: CalendarController())
    try tenant.register(collection: NotificationsController())
    try tenant.register(collection: AnswerTemplatesController())
    try tenant.register(collection: ImportsController())
    try tenant.register(collection: ConnectorsController())
    try tenant.register(collection: AnalyticsController())
    try tenant.register(collection: TextModelsController())
    try tenant.register(collection: AutoRulesController())
    try tenant.register(collection: RiskLexiconController())
    try tenant.register(collection: ClustersController())
    try tenant.register(collection: RisksController())
    try tenant.register(collection: OutreachController())
    try tenant.register(collection: CentreMembersController())
    try tenant.register(collection: MeetingsController())
    try tenant.register(collection: RoadmapsController())
    try tenant.register(collection: PollsController())
    try tenant.register(collection: PracticesController())

    try WebRoutes.register(app)
}

/// The OpenAPI document shipped with the server: the contract of `/api/v1`.
enum OpenAPIDocument {
    static func load() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources") else {
            throw Abort(.internalServerError, reason: "openapi.json is missing from the bundle")
        }
        return try Data(contentsOf: url)
    }
}
