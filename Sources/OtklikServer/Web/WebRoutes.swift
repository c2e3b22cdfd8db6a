import Foundation
import Leaf
import LeafKit
import Vapor

/// The operator's web workspace: server-rendered pages over the same services as the API.
enum WebRoutes {
    static func configure(_ app: Application) throws {
        // Found through a known file: `resourceURL` differs between platforms' bundle layouts.
        guard let resources = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")?
            .deletingLastPathComponent() else {
            throw Abort(.internalServerError, reason: "Resources are missing from the bundle")
        }
        let views = resources.appendingPathComponent("Views").path + "/"
        app.views.use(.leaf)
        // Not `.toVisibleFiles`: a development build's bundle lives under the hidden `.build` folder.
        app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
                                                      sandboxDirectory: views, viewDirectory: views))
        app.leaf.cache.isEnabled = true
        app.middleware.use(FileMiddleware(publicDirectory: resources.appendingPathComponent("Public").path + "/",
                                          defaultFile: nil, advancedETagComparison: true))
    }

    static func register(_ app: Application) throws {
        let web = app.grouped(SessionAuthenticator(), WebCSRF())
        let signIn = SignInPages()
        web.get("login", use: signIn.loginForm)
        web.post("login", use: signIn.login)

        let user = web.grouped(WebSignedIn())
        user.post("logout", use: signIn.logout)
        user.get("password", use: signIn.passwordForm)
        user.post("password", use: signIn.changePassword)
        user.get(use: signIn.home)
        user.get("region", use: RegionPage().show)
        user.get("region", "memo.docx", use: RegionPage().docx)

        let m = user.grouped("m", ":municipality").grouped(TenantMiddleware())
        m.get { req in WebPage.redirect(req, to: "/m/\(try req.tenant.slug)/inbox") }
        let queue = QueuePage(), queueActions = QueueActions()
        m.get("inbox", use: queue.inbox)
        m.get("cases", use: queue.all)
        m.post("cases", "bulk", use: queueActions.bulk)
        let newCase = NewCasePage()
        m.get("cases", "new", use: newCase.show)
        m.post("cases", "new", use: newCase.create)
        m.post("views", use: queueActions.saveView)
        m.post("views", "delete", use: queueActions.deleteView)
        let card = CaseCardPage()
        m.get("cases", ":caseID", use: card.show)
        m.post("cases", ":caseID", ":action", use: card.act)
        let notices = NotificationsPage()
        m.get("notifications", use: notices.show)
        m.get("dashboard", use: DashboardPage().show)
        m.get("dashboard", "export", use: DashboardPage().export)
        m.get("ratings", use: RatingsPage().show)
        m.get("memo", use: MemoPage().show)
        m.get("heatmap", use: HeatMapPage().show)
        m.get("map", use: MapPage().show)
        m.on(.POST, "map", "boundaries", body: .collect(maxSize: "16mb"), use: MapPage().uploadBoundaries)
        m.get("forecast", use: ForecastPage().show)
        m.get("memos", use: MemoArchivePage().show)
        m.get("memos", ":id", use: MemoArchivePage().download)
        m.get("memo.docx", use: MemoPage().docx)
        m.get("memo.xlsx", use: MemoPage().xlsx)
        m.get("ratings", "export", use: RatingsPage().export)
        m.get("cases", "export", use: CaseExport().download)
        m.post("ratings", "weights", use: RatingsPage().saveWeights)
        m.post("notifications", "read-all", use: notices.markAllRead)
        m.post("notifications", ":id", "read", use: notices.markRead)
        let imports = ImportPages()
        m.get("imports", use: imports.list)
        m.on(.POST, "imports", body: .collect(maxSize: ByteCount(value: ImportRuns.maxUploadBytes)), use: imports.upload)
        m.get("imports", ":id", use: imports.show)
        m.post("imports", ":id", "commit", use: imports.commit)
        m.post("imports", ":id", "recheck", use: imports.recheck)
        m.get("imports", ":id", "report.xlsx", use: imports.report)
        let admin = AdminPages()
        m.get("admin", use: admin.index)
        m.get("admin", "templates", use: admin.templates)
        m.post("admin", "templates", use: admin.saveTemplate)
        m.post("admin", "templates", ":id", use: admin.saveTemplate)
        m.post("admin", "templates", ":id", "delete", use: admin.deleteTemplate)
        m.get("admin", "audit", use: admin.audit)
        let settings = SettingsPage()
        m.get("admin", "settings", use: settings.show)
        m.post("admin", "settings", use: settings.save)
        let regulation = RegulationPage()
        m.get("admin", "regulation", use: regulation.show)
        m.post("admin", "regulation", ":key", use: regulation.save)
        let calendar = CalendarPage()
        m.get("admin", "calendar", use: calendar.show)
        m.post("admin", "calendar", "day", use: calendar.editDay)
        m.post("admin", "calendar", "import", use: calendar.importYear)
        m.post("admin", "calendar", "reset", use: calendar.reset)
        let profiles = ImportProfilePages()
        m.get("admin", "import-profiles", use: profiles.list)
        m.post("admin", "import-profiles", use: profiles.create)
        m.get("admin", "import-profiles", ":id", use: profiles.edit)
        m.post("admin", "import-profiles", ":id", use: profiles.save)
        m.on(.POST, "admin", "import-profiles", ":id", "sample", body: .collect(maxSize: ByteCount(value: ImportRuns.maxUploadBytes)),
             use: profiles.sample)
        m.post("admin", "import-profiles", ":id", "delete", use: profiles.delete)
        let mappings = ImportMappingPages()
        m.get("admin", "import-mappings", use: mappings.show)
        m.post("admin", "import-mappings", use: mappings.put)
        m.post("admin", "import-mappings", ":id", "delete", use: mappings.delete)
        let connectors = ConnectorsPage()
        m.get("admin", "connectors", use: connectors.show)
        m.post("admin", "connectors", use: connectors.save)
        m.post("admin", "connectors", ":id", use: connectors.save)
        m.post("admin", "connectors", ":id", "delete", use: connectors.delete)
        m.get("admin", "connectors", ":id", "deliveries", use: connectors.deliveries)
        m.post("admin", "connectors", ":id", "deliveries", ":delivery", "retry", use: connectors.retry)
        let outbox = NotificationLogPage()
        m.get("admin", "connectors", ":id", "notifications", use: outbox.show)
        m.post("admin", "connectors", ":id", "notifications", ":delivery", "retry", use: outbox.retry)
        m.post("admin", "connectors", ":id", "test", use: outbox.test)
        let users = UsersPage()
        m.get("admin", "users", use: users.show)
        m.post("admin", "users", use: users.create)
        m.post("admin", "users", ":id", use: users.update)
        m.post("admin", "users", ":id", "reset", use: users.resetPassword)
        m.post("admin", "users", ":id", "roles", use: users.addRole)
        m.post("admin", "users", ":id", "roles", ":roleID", "remove", use: users.removeRole)
        let books = ReferenceBookPages()
        m.get("admin", "books", ":book", use: books.show)
        m.post("admin", "books", ":book", use: books.create)
        m.post("admin", "books", ":book", ":id", use: books.update)
        m.post("admin", "books", ":book", ":id", "archive", use: books.archive)
    }
}
