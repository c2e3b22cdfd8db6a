import Fluent
import Foundation
import OtklikCore

/// Builds the full case card: the case, its history, clocks, answer versions and the actions the reader
/// may take now.
enum CaseCard {
    /// Everything a card is built from, read once: the API's card and the web page both use it.
    struct Contents {
        var record: CaseRecord
        var history: [CaseEvent]
        var clocks: [CaseClock]
        var answers: [CaseAnswer]
        var schedule: WorkSchedule
    }

    static func contents(_ id: UUID, access: TenantAccess, on db: any Database) async throws -> Contents {
        guard let record = try await CaseQueries.scoped(access, on: db).filter(\.$id == id).first() else {
            throw Problem.notFound("Обращение не найдено или недоступно вам.")
        }
        let history = try await CaseEvent.query(on: db)
            .filter(\.$tenantID == access.tenantID).filter(\.$caseID == id)
            .sort(\.$occurredAt).sort(\.$id).all()
        let clocks = try await CaseClock.query(on: db).filter(\.$caseID == id).sort(\.$startedAt).sort(\.$id).all()
        let answers = try await CaseAnswer.query(on: db).filter(\.$caseID == id).sort(\.$version).all()
        let schedule = try await TenantRegulation.schedule(tenantID: access.tenantID, on: db)
        return Contents(record: record, history: history, clocks: clocks, answers: answers, schedule: schedule)
    }

    static func dto(_ c: Contents, access: TenantAccess, now: Date) -> CaseDTO {
        var dto = CaseDTO(c.record, showPersonalData: access.seesPersonalData, history: c.history)
        dto.clocks = c.clocks.map { ClockDTO($0, now: now, schedule: c.schedule) }
        dto.answers = c.answers.map(AnswerDTO.init)
        dto.allowed_actions = allowedActions(c.record, actor: ActionActor(access)).map { ActionDTO(action: $0.rawValue, title: $0.title) }
        return dto
    }

    static func load(_ id: UUID, access: TenantAccess, now: Date, on db: any Database) async throws -> CaseDTO {
        dto(try await contents(id, access: access, on: db), access: access, now: now)
    }

    static func allowedActions(_ record: CaseRecord, actor: ActionActor) -> [CaseAction] {
        CaseAction.allCases.filter { action in
            action != .acceptBySilence && actor.may(action, on: record)
                && Lifecycle.refusal(action, in: record.lifecycleState) == nil
        }
    }
}
