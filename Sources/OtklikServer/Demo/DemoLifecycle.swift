import Fluent
import Foundation
import OtklikCore
import Vapor

/// Moves the demo's cases through the real lifecycle engine, as the demo's people would have: taken in
/// work, routed, answered (sometimes late, sometimes returned), approved, published, rated or accepted by
/// silence. Every step is a real action with its checks, events and clocks, timed in the past; a case
/// stops where «now» catches up with it. Seeded, so every demo load tells the same story.
struct DemoLifecycle {
    let app: Application
    let tenantID: UUID
    let now: Date

    private struct People {
        var actors: [String: ActionActor] = [:]
        var answering: [UUID: ActionActor] = [:]     // organisation → its executor (or head)
        var executorIDs: [UUID: UUID] = [:]
    }

    /// Walks the cases nobody has touched yet, newest first (the queue and the monitor care about those
    /// most), at most `limit` of them; reports progress every 500 cases. Resumable: a case once acted on
    /// is not walked again.
    func run(limit: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        let db = app.db
        let people = try await loadPeople()
        let regulation = try await TenantRegulation.load(tenantID: tenantID, on: db)
        let service = LifecycleService(db: db, tenantID: tenantID, notifiers: [], regulation: regulation)
        var query = CaseRecord.query(on: db).filter(\.$tenantID == tenantID).filter(\.$version == 1)
            .sort(\.$receivedAt, .descending)
        if let limit { query = query.limit(limit) }
        let cases = try await query.all()
        let numbers = try await CaseRecord.query(on: db).filter(\.$tenantID == tenantID).all(\.$number)
        var rng = SplitMix64(seed: 20_261_121)
        var processed = 0
        for (index, c) in cases.enumerated() {
            try Task.checkCancellation()
            if index % 500 == 0 { progress?(index, cases.count) }
            let age = now.timeIntervalSince(c.receivedAt)
            // The last hours' cases wait in the queue untouched.
            if age < 3 * 3600 || Int.random(in: 0..<100, using: &rng) < 4 { continue }
            var step = Step(service: service, schedule: regulation.schedule, caseID: c.id!, now: now, at: c.receivedAt)
            let operatorActor = people.actors[[CaseChannel.incidentManager.rawValue, CaseChannel.manualMonitoring.rawValue,
                                               CaseChannel.officialPages.rawValue, CaseChannel.governorPages.rawValue]
                .contains(c.channel) ? "im" : "pos"]!
            let mcu = people.actors["mcu"]!
            let profile = regulation.profile(of: c)
            processed += 1
            // Some messages are not messages at all (spam, flood): rejected at once.
            let roll = Int.random(in: 0..<100, using: &rng)
            let punctual = Int.random(in: 0..<100, using: &rng) < 85
            let firstDelay = punctual ? Int.random(in: 5...50, using: &rng) : Int.random(in: 70...400, using: &rng)
            if roll < 3 {
                guard try await step.run(.close, by: operatorActor, after: firstDelay, ["result": .string("rejected"), "comment": .string("Не является сообщением о проблеме")]) else { continue }
                continue
            }
            if roll < 5, let original = numbers.filter({ $0 < c.number && $0 > c.number - 300 }).randomElement(using: &rng) {
                guard try await step.run(.markDuplicate, by: operatorActor, after: firstDelay, ["duplicate_of": .string(String(original))]) else { continue }
                continue
            }
            if profile.firstResponse != nil {
                guard try await step.run(.firstResponse, by: operatorActor, after: firstDelay,
                                         ["text": .string("Здравствуйте! Ваше сообщение передано ответственным, ответ будет дан в установленный срок.")]) else { continue }
            } else if profile.takeInWork != nil {
                guard try await step.run(.takeInWork, by: operatorActor, after: firstDelay) else { continue }
            }
            guard let org = c.organisationID, let answerer = people.answering[org] else {
                // Nobody to route to in the demo's books: the operator leaves it in work.
                continue
            }
            var assign: [String: JSONValue] = ["organisation_id": .string(org.uuidString)]
            if let exec = people.executorIDs[org] { assign["executor_id"] = .string(exec.uuidString) }
            guard try await step.run(.assign, by: operatorActor, after: Int.random(in: 5...40, using: &rng), assign) else { continue }
            let late = Int.random(in: 0..<100, using: &rng) < 12
            let answerAfter = late ? Int.random(in: 600...4_000, using: &rng) : Int.random(in: 60...420, using: &rng)
            let resolved = Int.random(in: 0..<100, using: &rng) < 62
            let answer: [String: JSONValue] = ["text": .string(resolved ? "Работы выполнены, проблема устранена." : "Даны разъяснения: работы запланированы, сроки указаны в ответе."),
                                               "result": .string(resolved ? "resolved" : "explained")]
            guard try await step.run(.submitAnswer, by: answerer, after: answerAfter, answer) else { continue }
            if Int.random(in: 0..<100, using: &rng) < 15 {
                guard try await step.run(.returnForRework, by: operatorActor, after: Int.random(in: 20...180, using: &rng),
                                         ["comment": .string("Уточните адрес и сроки выполнения работ")]) else { continue }
                guard try await step.run(.submitAnswer, by: answerer, after: Int.random(in: 60...600, using: &rng), answer) else { continue }
            }
            guard try await step.run(.approve, by: mcu, after: Int.random(in: 15...120, using: &rng)) else { continue }
            guard try await step.run(.publish, by: operatorActor, after: Int.random(in: 5...60, using: &rng)) else { continue }
            guard let window = profile.feedbackWindow else {
                _ = try await step.run(.close, by: operatorActor, after: Int.random(in: 5...60, using: &rng))
                continue
            }
            let windowEnd = regulation.schedule.deadline(window, from: step.at).due
            let reaction = Int.random(in: 0..<100, using: &rng)
            if profile.silenceAccepts && (c.channel == CaseChannel.incidentManager.rawValue ? reaction < 85 : reaction < 30) {
                // Silence: the monitor accepts the answer when the window ends.
                _ = try await step.run(.acceptBySilence, by: .monitor, at: windowEnd.addingTimeInterval(60))
                continue
            }
            let rating: Int = [1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5, 5].randomElement(using: &rng)!
            var feedback: [String: JSONValue] = c.channel == CaseChannel.incidentManager.rawValue
                ? ["text": .string("Ничего не изменилось, проблема осталась")] : ["rating": .number(Double(rating))]
            if rating <= 3 && c.channel != CaseChannel.incidentManager.rawValue { feedback["text"] = .string("Проблема не решена") }
            _ = try await step.run(.recordFeedback, by: operatorActor, after: Int.random(in: 60...900, using: &rng), feedback)
        }
        return processed
    }

    /// One case's walk through time: each action happens some working minutes after the previous one.
    private struct Step {
        let service: LifecycleService
        let schedule: WorkSchedule
        let caseID: UUID
        let now: Date
        var at: Date

        /// false when the moment has not come yet (the case stays where it is).
        mutating func run(_ action: CaseAction, by actor: ActionActor, after workingMinutes: Int,
                          _ payload: [String: JSONValue] = [:]) async throws -> Bool {
            try await run(action, by: actor, at: schedule.deadline(.workingHours(minutes: workingMinutes), from: at).due, payload)
        }

        mutating func run(_ action: CaseAction, by actor: ActionActor, at moment: Date,
                          _ payload: [String: JSONValue] = [:]) async throws -> Bool {
            guard moment < now else { return false }
            at = moment
            _ = try await service.perform(action, caseID: caseID, payload: payload, actor: actor, expectedVersion: nil, now: moment)
            return true
        }
    }

    private func loadPeople() async throws -> People {
        var people = People()
        let users = try await User.query(on: app.db).filter(\.$tenantID == tenantID).all()
        let grants = try await RoleAssignment.query(on: app.db).filter(\.$tenantID == tenantID).all()
        for user in users {
            guard let id = user.id else { continue }
            let mine = grants.filter { $0.userID == id }
            let roles = Set(mine.compactMap { Role(rawValue: $0.role) })
            let orgs = Set(mine.compactMap(\.organisationID))
            let actor = ActionActor(userID: id, label: user.fullName, roles: roles,
                                    visibleOrganisationIDs: orgs.isEmpty ? nil : orgs)
            people.actors[String(user.login.dropFirst("demo.".count))] = actor
            for grant in mine where grant.role == Role.executor.rawValue || grant.role == Role.organisationHead.rawValue {
                guard let org = grant.organisationID else { continue }
                if grant.role == Role.executor.rawValue || people.answering[org] == nil {
                    people.answering[org] = actor
                    if grant.role == Role.executor.rawValue { people.executorIDs[org] = id }
                }
            }
        }
        return people
    }
}
