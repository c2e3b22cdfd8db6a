import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// Votes, public discussions and the centre's own questions (decree 000: «обратная связь в формате
/// результатов голосований, общественных обсуждений»): imported from a CSV/XLSX file (all rows or none),
/// or recorded by hand; linked to a topic and a roadmap; shown next to the complaints of the same topic;
/// and the topics most complained about without a recent vote are suggested as questions to put to one.
struct Polls {
    let db: any Database
    let access: TenantAccess
    let now: Date

    static let kinds = ["vote": "голосование ПОС", "discussion": "общественное обсуждение", "own": "вопрос МЦУ"]

    struct DTO: Content {
        struct Option: Content { var text: String; var votes: Int; var percent: Int }
        var id: UUID
        var kind: String
        var kind_title: String
        var question: String
        var territory: String?
        var from_on: String?
        var to_on: String?
        var total: Int
        var options: [Option]
        var category: RiskDTO.Ref?
        var roadmap: RiskDTO.Ref?
        /// Complaints of the linked topic (with subtopics) over the poll's period, or the 90 days before its end.
        var complaints: Int?
    }

    struct Suggestion: Content { var category: RiskDTO.Ref; var cases: Int; var question: String }

    func list() async throws -> [PollRecord] {
        try access.requireGovernanceReading()
        return try await PollRecord.query(on: db).filter(\.$tenantID == access.tenantID).sort(\.$createdAt, .descending).limit(300).all()
    }

    /// The file's polls, written in one transaction; `kind`: vote or discussion.
    func importFile(_ data: Data, kind: String) async throws -> [PollRecord] {
        try access.requireGoverning()
        guard kind == "vote" || kind == "discussion" else {
            throw Problem.validation([FieldIssue("kind", "вид: vote (голосование ПОС) или discussion (общественное обсуждение)")])
        }
        guard !data.isEmpty else { throw Problem.validation([FieldIssue("file", "файл пуст")]) }
        var source: SpreadsheetSource
        do { source = try SpreadsheetSource.open(data) } catch { throw Problem.validation([FieldIssue("file", "файл не читается: \(error.russian)")]) }
        var rows: [SpreadsheetSource.Row] = []
        do {
            while true {
                let chunk = try source.next(1_000, afterHeader: 0)
                if chunk.isEmpty { break }
                rows += chunk
                if rows.count > 20_000 { throw Problem.validation([FieldIssue("file", "больше 20 000 строк: это не итоги голосования")]) }
            }
        } catch let failure as SpreadsheetSource.Failure { throw Problem.validation([FieldIssue("file", failure.russian)]) }
        let header = source.leadingRows.first?.cells ?? []
        let polls: [PollFile.Poll]
        switch PollFile.read(header: header, rows: rows.map { ($0.line, $0.cells) }) {
        case .success(let p): polls = p
        case .failure(let p): throw Problem.validation(p.issues, detail: "Файл не загружен: " + p.issues.prefix(10).map(\.description).joined(separator: "; "))
        }
        return try await db.transaction { tx in
            var out: [PollRecord] = []
            for p in polls {
                out.append(try await write(question: p.question, kind: kind, territory: p.territory, from: p.from, to: p.to,
                                           options: p.options.map { ($0.text, $0.votes) }, categoryID: nil, roadmapID: nil, on: tx))
            }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "poll.import", entity: "poll", entityID: nil,
                                   after: ["kind": kind, "polls": String(polls.count)])
            return out
        }
    }

    /// The centre's own question. Body: question, options [{text, votes}], territory, from_on, to_on, category_id, roadmap_id.
    func create(_ body: [String: JSONValue]) async throws -> PollRecord {
        try access.requireGoverning()
        var r = PayloadReader(body)
        let question = r.string("question", required: true, max: 1_000)
        var options: [(String, Int)] = []
        if case .array(let items)? = body["options"] {
            for (i, item) in items.enumerated() {
                guard case .object(let o) = item, case .string(let text)? = o["text"], !text.trimmed.isEmpty else { r.issues.append(FieldIssue("options[\(i)]", "вариант без текста")); continue }
                var votes = 0
                if case .number(let n)? = o["votes"] { votes = Int(n) }
                if votes < 0 { r.issues.append(FieldIssue("options[\(i)]", "число голосов не может быть отрицательным")); continue }
                options.append((text.trimmed, votes))
            }
        }
        if options.count < 2 && !r.issues.contains(where: { $0.field.hasPrefix("options") }) { r.issues.append(FieldIssue("options", "нужны хотя бы два варианта ответа")) }
        let territory = r.string("territory", max: 200)
        let from = r.day("from_on"), to = r.day("to_on")
        let category = r.uuid("category_id"), roadmap = r.uuid("roadmap_id")
        _ = try await ReferenceBooks.requireInTenant(Rubric.self, category, field: "category_id", what: "Тема", access: access, on: db, issues: &r.issues)
        if let roadmap, try await RoadmapRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == roadmap).count() == 0 {
            r.issues.append(FieldIssue("roadmap_id", "дорожная карта не найдена в этом муниципальном образовании"))
        }
        try r.check()
        let chosen = options
        return try await db.transaction { tx in
            let p = try await write(question: question!, kind: "own", territory: territory, from: from, to: to, options: chosen,
                                    categoryID: category, roadmapID: roadmap, on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "poll.create", entity: "poll",
                                   entityID: p.id!.uuidString, after: ["question": p.question])
            return p
        }
    }

    /// Links a poll to a topic and a roadmap. Body: category_id, roadmap_id (null unlinks).
    func link(_ id: UUID, _ body: [String: JSONValue]) async throws -> PollRecord {
        try access.requireGoverning()
        guard let p = try await PollRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound("Голосование не найдено.")
        }
        var r = PayloadReader(body)
        let category = r.uuid("category_id"), roadmap = r.uuid("roadmap_id")
        _ = try await ReferenceBooks.requireInTenant(Rubric.self, category, field: "category_id", what: "Тема", access: access, on: db, issues: &r.issues)
        if let roadmap, try await RoadmapRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == roadmap).count() == 0 {
            r.issues.append(FieldIssue("roadmap_id", "дорожная карта не найдена в этом муниципальном образовании"))
        }
        try r.check()
        if r.has("category_id") { p.categoryID = category }
        if r.has("roadmap_id") { p.roadmapID = roadmap }
        try await db.transaction { tx in
            try await p.update(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "poll.link", entity: "poll", entityID: p.id!.uuidString,
                                   after: ["category_id": p.categoryID?.uuidString ?? "", "roadmap_id": p.roadmapID?.uuidString ?? ""])
        }
        return p
    }

    func dtos(_ polls: [PollRecord]) async throws -> [DTO] {
        guard !polls.isEmpty else { return [] }
        let options = Dictionary(grouping: try await PollOptionRecord.query(on: db).filter(\.$pollID ~~ polls.compactMap(\.id)).sort(\.$position).all(), by: \.pollID)
        let rubrics = Dictionary(uniqueKeysWithValues: try await Rubric.query(on: db).withDeleted().filter(\.$tenantID == access.tenantID).all().map { ($0.id!, $0.name) })
        let maps = Dictionary(uniqueKeysWithValues: try await RoadmapRecord.query(on: db).filter(\.$tenantID == access.tenantID).all().map { ($0.id!, $0.title) })
        var out: [DTO] = []
        for p in polls {
            let opts = options[p.id!] ?? []
            let total = opts.reduce(0) { $0 + $1.votes }
            var complaints: Int?
            if let c = p.categoryID { complaints = try await complaintsCount(category: c, poll: p) }
            out.append(DTO(id: p.id!, kind: p.kind, kind_title: Self.kinds[p.kind] ?? p.kind, question: p.question, territory: p.territory,
                           from_on: p.fromOn, to_on: p.toOn, total: total,
                           options: opts.map { .init(text: $0.text, votes: $0.votes, percent: total == 0 ? 0 : Int((Double($0.votes) * 100 / Double(total)).rounded())) },
                           category: p.categoryID.flatMap { id in rubrics[id].map { .init(id: id, name: $0) } },
                           roadmap: p.roadmapID.flatMap { id in maps[id].map { .init(id: id, name: $0) } }, complaints: complaints))
        }
        return out
    }

    /// Topics with the most complaints in the last 30 days and no vote or discussion in the last 90 days
    /// (decree 000: «выявление приоритетов для опросов»).
    func suggestions(limit: Int = 5) async throws -> [Suggestion] {
        try access.requireGovernanceReading()
        let since = now.addingTimeInterval(-30 * 86_400)
        let sql = db as! any SQLDatabase
        struct Row: Decodable { var category_id: UUID; var n: Int }
        let rows = try await sql.select().column("category_id").column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("cases")
            .where("tenant_id", .equal, access.tenantID).where("received_at", .greaterThanOrEqual, since).where("category_id", .isNot, SQLLiteral.null)
            .groupBy("category_id").all(decoding: Row.self)
        // Counted per top-level topic: a vote is put on «ЖКХ», not on a single fact.
        let rubrics = try await Rubric.query(on: db).withDeleted().filter(\.$tenantID == access.tenantID).all()
        let parent = Dictionary(uniqueKeysWithValues: rubrics.compactMap { r in r.parentID.map { (r.id!, $0) } })
        let names = Dictionary(uniqueKeysWithValues: rubrics.map { ($0.id!, $0.name) })
        func top(_ id: UUID) -> UUID { var x = id; for _ in 0..<8 { guard let p = parent[x] else { break }; x = p }; return x }
        var counts: [UUID: Int] = [:]
        for r in rows { counts[top(r.category_id), default: 0] += r.n }
        let recentCutoff = LocalDay(now.addingTimeInterval(-90 * 86_400), in: access.zone).iso
        let recent = Set(try await PollRecord.query(on: db).filter(\.$tenantID == access.tenantID).all()
            .filter { ($0.toOn ?? LocalDay($0.createdAt, in: access.zone).iso) >= recentCutoff }.compactMap(\.categoryID).map(top))
        return counts.filter { !recent.contains($0.key) }.sorted { $0.value > $1.value }.prefix(limit).map { id, n in
            let name = names[id] ?? "—"
            return Suggestion(category: .init(id: id, name: name), cases: n,
                              question: "Какие меры по теме «\(name)» жители считают первоочередными?")
        }
    }

    // MARK: helpers

    private func write(question: String, kind: String, territory: String?, from: LocalDay?, to: LocalDay?, options: [(String, Int)],
                       categoryID: UUID?, roadmapID: UUID?, on tx: any Database) async throws -> PollRecord {
        let p = PollRecord()
        p.id = TimeOrderedUUID.make(at: now)
        p.tenantID = access.tenantID
        p.kind = kind
        p.question = question
        p.territory = territory
        p.fromOn = from?.iso
        p.toOn = to?.iso
        p.categoryID = categoryID
        p.roadmapID = roadmapID
        p.createdBy = access.principal.label
        p.createdAt = now
        try await p.create(on: tx)
        for (i, o) in options.enumerated() {
            let r = PollOptionRecord()
            r.id = TimeOrderedUUID.make(at: now)
            r.pollID = p.id!
            r.position = i + 1
            r.text = o.0
            r.votes = o.1
            try await r.create(on: tx)
        }
        return p
    }

    private func complaintsCount(category: UUID, poll: PollRecord) async throws -> Int {
        let ids = try await Trees.descendants(Rubric.self, of: [category], tenantID: access.tenantID, on: db)
        let end = poll.toOn.flatMap(LocalDay.init) ?? LocalDay(now, in: access.zone)
        let start = poll.fromOn.flatMap(LocalDay.init) ?? end.adding(days: -90)
        let from = start.start(in: access.zone), until = end.adding(days: 1).start(in: access.zone)
        return try await CaseRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$categoryID ~~ Array(ids))
            .filter(\.$receivedAt >= from).filter(\.$receivedAt < until).count()
    }
}
