import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/clusters…` and the cluster links of a case: clusters of similar messages
/// (one problem, N messages), and the answered cases like a given one.
struct ClustersController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let clusters = routes.grouped("clusters")
        clusters.get(use: list)
        clusters.get(":clusterID", use: show)
        clusters.post(":clusterID", "main", use: makeMain)
        clusters.post(":clusterID", "merge", use: merge)
        clusters.post(":clusterID", "answer-all", use: answerAll)
        let cases = routes.grouped("cases", ":caseID")
        cases.post("cluster", use: link)
        cases.delete("cluster", use: unlink)
        cases.get("similar-answers", use: similarAnswers)
    }

    struct Detail: Content {
        var id: UUID
        var main_case_id: UUID
        var title: String
        /// All messages of the cluster; `cases` lists those the reader may see.
        var size: Int
        var open: Int
        var may_change: Bool
        var cases: [CaseDTO]
    }

    struct ClusterList: Content { var items: [Clusters.Summary] }

    func list(req: Request) async throws -> ClusterList {
        let access = try req.tenant
        let limit = min(max((try? req.query.get(Int.self, at: "limit")) ?? 100, 1), 500)
        return ClusterList(items: try await clusters(req, access).list(limit: limit))
    }

    func show(req: Request) async throws -> Detail {
        let access = try req.tenant
        return try await detail(try clusterID(req), req: req, access: access)
    }

    /// Body `{"with": 1234}` (or `"1234"`, or the other case's id): joins that case's cluster.
    func link(req: Request) async throws -> Detail {
        let access = try req.tenant
        let body = try req.jsonObject()
        let ref: String
        switch body["with"] {
        case .number(let n)?: ref = String(Int(n))
        case .string(let s)? where !s.trimmed.isEmpty: ref = s
        default: throw Problem.validation([FieldIssue("with", "укажите номер обращения, с которым связать это")])
        }
        let id = try caseID(req)
        try await clusters(req, access).link(id, with: ref)
        let record = try await CaseRecord.find(id, on: req.db)!
        return try await detail(record.clusterID!, req: req, access: access)
    }

    /// Takes the case out of its cluster; answers with its card.
    func unlink(req: Request) async throws -> CaseDTO {
        let access = try req.tenant
        let id = try caseID(req)
        try await clusters(req, access).unlink(id)
        return try await CaseCard.load(id, access: access, now: req.now, on: req.db)
    }

    /// Body `{"case_id": "…"}`: that member becomes the main case (the cluster takes its id).
    func makeMain(req: Request) async throws -> Detail {
        let access = try req.tenant
        var reader = PayloadReader(try req.jsonObject())
        let caseID = reader.uuid("case_id", required: true)
        try reader.check()
        let cluster = try clusterID(req)
        let members = try await clusters(req, access).requireMembers(cluster)
        guard let id = caseID, members.contains(where: { $0.id == id }) else {
            throw Problem.validation([FieldIssue("case_id", "обращение не входит в эту группу")])
        }
        try await clusters(req, access).makeMain(id)
        return try await detail(id, req: req, access: access)
    }

    func merge(req: Request) async throws -> Clusters.Report {
        let access = try req.tenant
        return try await clusters(req, access).merge(try clusterID(req), notifiers: req.application.notifiers)
    }

    func answerAll(req: Request) async throws -> Clusters.Report {
        let access = try req.tenant
        return try await clusters(req, access).answerAll(try clusterID(req), notifiers: req.application.notifiers)
    }

    struct SimilarList: Content { var items: [SimilarAnswers.Item] }

    func similarAnswers(req: Request) async throws -> SimilarList {
        let access = try req.tenant
        let id = try caseID(req)
        guard let record = try await CaseQueries.scoped(access, on: req.db).filter(\.$id == id).first() else {
            throw Problem.notFound("Обращение не найдено или недоступно вам.")
        }
        return SimilarList(items: try await SimilarAnswers.find(for: record, access: access, on: req.db))
    }

    // MARK: - Helpers

    func detail(_ id: UUID, req: Request, access: TenantAccess) async throws -> Detail {
        let c = clusters(req, access)
        let cluster = try await c.load(id)
        return Detail(id: id, main_case_id: id, title: cluster.title, size: cluster.size, open: cluster.open, may_change: c.mayChange,
                      cases: cluster.members.map { CaseDTO($0, showPersonalData: access.seesPersonalData) })
    }

    private func clusters(_ req: Request, _ access: TenantAccess) -> Clusters {
        Clusters(db: req.db, access: access, now: req.now)
    }

    private func clusterID(_ req: Request) throws -> UUID {
        try req.uuidParameter("clusterID", notFound: Clusters.notFound)
    }

    private func caseID(_ req: Request) throws -> UUID {
        try req.uuidParameter("caseID", notFound: "Обращение не найдено или недоступно вам.")
    }
}
