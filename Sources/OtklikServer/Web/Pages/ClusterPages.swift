import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Группы похожих обращений»: the list of clusters, one cluster's page with its cluster-wide actions, and
/// the card's forms that link a case to another or take it out.
struct ClusterPages {
    struct Row: Encodable {
        var href: String
        var mainNumber: Int
        var title: String
        var size: Int
        var open: Int
        var period: String
    }
    struct ListContext: Encodable {
        var layout: Layout
        var rows: [Row]
    }
    struct Member: Encodable {
        var id: String
        var number: Int
        var href: String
        var title: String
        var received: String
        var status: String
        var closed: Bool
        var isMain: Bool
        var address: String?
        var duplicate: Bool
    }
    struct Context: Encodable {
        var layout: Layout
        var id: String
        var title: String
        var mainNumber: Int?
        var size: Int
        var open: Int
        var hidden: Int
        var members: [Member]
        var mayChange: Bool
        var mainPublished: Bool
    }

    func list(req: Request) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        let rows = try await Clusters(db: req.db, access: access, now: req.now).list(limit: 200).map { s in
            let first = RussianDate.day(s.first_received_at, in: zone), last = RussianDate.day(s.last_received_at, in: zone)
            return Row(href: "/m/\(access.slug)/clusters/\(s.id.uuidString)", mainNumber: s.main_number, title: s.title,
                       size: s.size, open: s.open, period: first == last ? first : "\(first) — \(last)")
        }
        return try await WebPage.render(req, "clusters", ListContext(
            layout: try await WebPage.layout(req, title: "Группы похожих обращений", active: "clusters", access: access), rows: rows))
    }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try uuid(req, "clusterID")
        let clusters = Clusters(db: req.db, access: access, now: req.now)
        let cluster = try await clusters.load(id)
        let zone = access.zone
        let published = try await CaseAnswer.query(on: req.db).filter(\.$caseID == id)
            .filter(\.$state == CaseAnswer.State.published.rawValue).first() != nil
        return try await WebPage.render(req, "cluster", Context(
            layout: try await WebPage.layout(req, title: "Группа похожих обращений", active: "clusters", access: access),
            id: id.uuidString, title: cluster.title, mainNumber: cluster.main?.number, size: cluster.size,
            open: cluster.open, hidden: cluster.size - cluster.members.count,
            members: cluster.members.map { c in
                Member(id: c.id!.uuidString, number: c.number, href: "/m/\(access.slug)/cases/\(c.id!.uuidString)",
                       title: Clusters.title(c), received: RussianDate.dateTime(c.receivedAt, in: zone), status: c.caseStatus.title,
                       closed: c.caseStatus == .closed, isMain: c.id == id, address: c.address, duplicate: c.duplicateOfID == id)
            },
            mayChange: clusters.mayChange, mainPublished: published))
    }

    // MARK: - Changes (forms)

    /// From the card: «Связать с обращением №…».
    func link(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try uuid(req, "caseID")
        let card = "/m/\(access.slug)/cases/\(id.uuidString)"
        let with = (try req.form["with"]) ?? ""
        return try await run(req, back: card) {
            try await Clusters(db: req.db, access: access, now: req.now).link(id, with: with)
            return "Обращение включено в группу обращения №\(with.replacingOccurrences(of: "№", with: "").trimmed)."
        }
    }

    func unlink(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try uuid(req, "caseID")
        let back = (try req.form["back"]).flatMap { $0.hasPrefix("/m/\(access.slug)/") ? $0 : nil } ?? "/m/\(access.slug)/cases/\(id.uuidString)"
        return try await run(req, back: back) {
            try await Clusters(db: req.db, access: access, now: req.now).unlink(id)
            return "Обращение исключено из группы."
        }
    }

    func makeMain(req: Request) async throws -> Response {
        let access = try req.tenant
        let cluster = try uuid(req, "clusterID")
        guard let caseID = (try req.form["case_id"]).flatMap(UUID.init(uuidString:)) else {
            return WebPage.redirect(req, to: "/m/\(access.slug)/clusters/\(cluster.uuidString)", flash: "Не выбрано обращение.", error: true)
        }
        return try await run(req, back: "/m/\(access.slug)/clusters/\(cluster.uuidString)", then: "/m/\(access.slug)/clusters/\(caseID.uuidString)") {
            let clusters = Clusters(db: req.db, access: access, now: req.now)
            guard try await clusters.requireMembers(cluster).contains(where: { $0.id == caseID }) else {
                throw Problem.conflict("Обращение не входит в эту группу.")
            }
            try await clusters.makeMain(caseID)
            return "Основное обращение группы изменено."
        }
    }

    func merge(req: Request) async throws -> Response {
        let access = try req.tenant
        let cluster = try uuid(req, "clusterID")
        return try await run(req, back: "/m/\(access.slug)/clusters/\(cluster.uuidString)") {
            let report = try await Clusters(db: req.db, access: access, now: req.now).merge(cluster, notifiers: req.application.notifiers)
            return Self.text(report, done: "Отмечены дубликатами основного обращения")
                + (report.done.isEmpty ? "" : " Ответ основного обращения будет передан и их заявителям.")
        }
    }

    func answerAll(req: Request) async throws -> Response {
        let access = try req.tenant
        let cluster = try uuid(req, "clusterID")
        return try await run(req, back: "/m/\(access.slug)/clusters/\(cluster.uuidString)") {
            let report = try await Clusters(db: req.db, access: access, now: req.now).answerAll(cluster, notifiers: req.application.notifiers)
            return Self.text(report, done: "Ответ основного обращения опубликован по обращениям")
        }
    }

    /// «Done: №…; skipped: №… — why» in one line.
    static func text(_ report: Clusters.Report, done: String) -> String {
        var parts: [String] = []
        if !report.done.isEmpty { parts.append(done + ": " + report.done.map { "№\($0)" }.joined(separator: ", ") + ".") }
        if !report.skipped.isEmpty {
            parts.append("Пропущены: " + report.skipped.map { "№\($0.number) — \($0.reason)" }.joined(separator: "; ") + ".")
        }
        return parts.isEmpty ? "Открытых обращений в группе, кроме основного, нет." : parts.joined(separator: " ")
    }

    private func run(_ req: Request, back: String, then: String? = nil, _ work: () async throws -> String) async throws -> Response {
        do {
            let message = try await work()
            return WebPage.redirect(req, to: then ?? back, flash: message)
        } catch let problem as Problem where [403, 404, 409, 422].contains(problem.statusCode) {
            let why = problem.errors?.map(\.reason).joined(separator: "; ") ?? problem.detail ?? problem.title
            return WebPage.redirect(req, to: back, flash: why.prefix(1).uppercased() + why.dropFirst(), error: true)
        }
    }

    private func uuid(_ req: Request, _ name: String) throws -> UUID {
        try req.uuidParameter(name, notFound: name == "caseID" ? "Обращение не найдено или недоступно вам." : Clusters.notFound)
    }
}
