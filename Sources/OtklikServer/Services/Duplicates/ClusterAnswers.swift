import Fluent
import Foundation
import OtklikCore
import SQLKit

/// One answer for one problem: the main case's published answer given to the cluster's other messages
/// («ответить всем в группе») and to the cases merged into it as duplicates, so that every author hears it.
enum ClusterAnswers {
    struct Copied {
        var record: CaseAnswer
        var sourceNumber: Int
        var version: Int { record.version }
    }

    /// A new published answer of `member` with the text of its cluster's main case's latest published answer.
    /// Answers of its own still under review give way to it (returned, saying why).
    static func copyMainAnswer(to member: CaseRecord, actor: ActionActor, now: Date, on db: any Database) async throws -> Copied {
        guard let mainID = member.clusterID, mainID != member.id,
              let main = try await CaseRecord.query(on: db).filter(\.$tenantID == member.tenantID).filter(\.$id == mainID).first() else {
            throw Problem.conflict("Обращение не входит в группу похожих или само является основным.")
        }
        guard let source = try await CaseAnswer.query(on: db).filter(\.$caseID == mainID)
            .filter(\.$state == CaseAnswer.State.published.rawValue).sort(\.$version, .descending).first() else {
            throw Problem.conflict("У основного обращения группы №\(main.number) ещё нет опубликованного ответа: сначала опубликуйте его.")
        }
        let own = try await CaseAnswer.query(on: db).filter(\.$caseID == member.id!).sort(\.$version).all()
        for pending in own where [CaseAnswer.State.submitted.rawValue, CaseAnswer.State.approved.rawValue].contains(pending.state) {
            pending.state = CaseAnswer.State.returned.rawValue
            pending.reviewerLabel = actor.label
            pending.reviewedAt = now
            pending.reviewComment = "Заменён ответом основного обращения группы №\(main.number)."
            try await pending.update(on: db)
        }
        let answer = copy(source, to: member, version: (own.last?.version ?? 0) + 1, by: actor.label, now: now)
        try await answer.create(on: db)
        return Copied(record: answer, sourceNumber: main.number)
    }

    /// After the main case's answer is published: the closed duplicates of it that have no published answer
    /// get this one, with a history entry each. Returns how many.
    static func shareWithDuplicates(of main: CaseRecord, answer: CaseAnswer, actor: ActionActor, now: Date, on db: any Database) async throws -> Int {
        let duplicates = try await CaseRecord.query(on: db).filter(\.$tenantID == main.tenantID)
            .filter(\.$duplicateOfID == main.id!).all()
        guard !duplicates.isEmpty else { return 0 }
        let ids = duplicates.map { $0.id! }
        var latest: [UUID: CaseAnswer] = [:]
        for a in try await CaseAnswer.query(on: db).filter(\.$caseID ~~ ids).all() where a.version > (latest[a.caseID]?.version ?? 0) {
            latest[a.caseID] = a
        }
        var shared = 0
        for d in duplicates {
            if latest[d.id!]?.state == CaseAnswer.State.published.rawValue && latest[d.id!]?.text == answer.text { continue }
            let copy = copy(answer, to: d, version: (latest[d.id!]?.version ?? 0) + 1, by: actor.label, now: now)
            try await copy.create(on: db)
            try await CaseEvent(tenantID: d.tenantID, caseID: d.id!, kind: CaseEventKind.answerShared.rawValue, actorUserID: actor.userID,
                                actorLabel: actor.label, at: now, comment: nil,
                                details: ["notice": "Заявителю передан ответ основного обращения №\(main.number).",
                                          "answer_version": String(copy.version)]).create(on: db)
            try await (db as! any SQLDatabase).update("cases")
                .set(SQLIdentifier("version"), to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1")))
                .set("updated_at", to: now).where("id", .equal, d.id!).run()
            shared += 1
        }
        return shared
    }

    /// The source's text, result and author, published on `record` by the person who gives it (the reviewer).
    private static func copy(_ source: CaseAnswer, to record: CaseRecord, version: Int, by label: String, now: Date) -> CaseAnswer {
        let answer = CaseAnswer(tenantID: record.tenantID, caseID: record.id!, version: version, text: source.text, result: source.result,
                                attachmentsJSON: source.attachmentsJSON, authorUserID: source.authorUserID,
                                authorLabel: source.authorLabel, at: now, state: .published)
        answer.reviewerLabel = label
        answer.reviewedAt = now
        return answer
    }
}
