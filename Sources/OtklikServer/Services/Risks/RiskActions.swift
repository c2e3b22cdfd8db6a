import Fluent
import Foundation
import OtklikCore
import Vapor

/// The stages of отработка as actions on a risk. Each checks the stage (core `RiskAction.next`), reads
/// its payload, changes the risk, writes history and audit, and posts to the alert chat the events the
/// decree wants there (criticality, publication, closing, escalation, reopening).
extension RiskService {
    func act(_ id: UUID, _ action: RiskAction, _ body: [String: JSONValue]) async throws -> RiskRecord {
        try access.requireRiskManagement()
        var reader = PayloadReader(body)
        let version = reader.int("version", range: 1...Int(Int32.max), required: true)
        let current = try await find(id)
        guard let next = action.next(from: current.riskStatus) else {
            try reader.check()
            throw Problem.conflict(action.refusal(at: current.riskStatus))
        }
        switch action {
        case .startVerification:
            let note = reader.string("note", max: 4_000)
            try reader.check()
            return try await change(id, version: version!) { risk, tx in
                risk.status = next.rawValue
                if let note { risk.verificationNote = note }
                try await event(risk, .verificationStarted, comment: note, details: [:], on: tx)
                try await audit(risk, action, tx)
            }

        case .prepareResponse:
            let note = reader.string("verification_note", max: 4_000)
            let text = reader.string("response_text", required: true, max: 6_000)
            let platforms = RiskInput.lines(&reader, "platforms")
            if platforms.isEmpty && !reader.issues.contains(where: { $0.field == "platforms" }) {
                reader.issues.append(FieldIssue("platforms", "укажите площадки, где будет размещена отработка (например: официальная страница администрации ВКонтакте)"))
            }
            try reader.check()
            return try await change(id, version: version!) { risk, tx in
                risk.status = next.rawValue
                if let note { risk.verificationNote = note }
                risk.responseText = text
                risk.responsePlatforms = platforms.joined(separator: "\n")
                try await event(risk, .responsePrepared, comment: text, details: ["platforms": platforms.joined(separator: "; ")], on: tx)
                try await audit(risk, action, tx)
            }

        case .publish:
            let placements = RiskInput.placements(&reader)
            let at = reader.date("published_at") ?? now
            if at > now.addingTimeInterval(300) { reader.issues.append(FieldIssue("published_at", "время публикации не может быть в будущем")) }
            try reader.check()
            return try await change(id, version: version!) { risk, tx in
                for p in placements {
                    let r = RiskPlacementRecord()
                    r.id = TimeOrderedUUID.make(at: now)
                    r.tenantID = risk.tenantID
                    r.riskID = risk.id!
                    r.url = p.url
                    r.place = p.place
                    r.platform = p.platform.rawValue
                    r.publishedAt = at
                    try await r.create(on: tx)
                }
                risk.status = next.rawValue
                if risk.publishedAt == nil { risk.publishedAt = at }
                // The first official reaction is made: the reaction clock stops.
                if risk.reactedAt == nil { risk.reactedAt = at; risk.nextEscalationAt = nil }
                try await event(risk, .published, details: ["links": placements.map(\.url).joined(separator: "\n")], on: tx)
                try await audit(risk, action, tx, extra: ["links": placements.map(\.url).joined(separator: " ")])
                let all = try await RiskPlacementRecord.query(on: tx).filter(\.$riskID == risk.id!).sort(\.$publishedAt).all()
                let (zone, m) = try await place(tx)
                let a = RiskAlerts(db: tx, publicURL: publicURL, notifiers: notifiers)
                let text = RiskAlertText.published(a.facts(risk, municipality: m, zone: zone), response: risk.responseText ?? "",
                                                   platforms: risk.platforms.isEmpty ? Array(Set(all.map(\.place))).sorted() : risk.platforms,
                                                   links: all.map(\.url))
                try await a.post(text, about: risk, event: "published/\(all.count)", title: "Отработка риска №\(risk.number) опубликована", at: now)
            }

        case .addSnapshot:
            let takenAt = reader.date("taken_at") ?? now
            let publications = reader.int("publications", range: Int.min...Int.max, required: true)
            let comments = reader.int("comments", range: Int.min...Int.max, required: true)
            let negative = reader.int("negative_percent", range: Int.min...Int.max, required: true)
            let reach = reader.int("reach", range: Int.min...Int.max)
            let note = reader.string("note", max: 2_000)
            if let publications, let comments, let negative {
                reader.issues += RiskSnapshot.issues(publications: publications, comments: comments, negativePercent: negative, reach: reach)
            }
            if takenAt > now.addingTimeInterval(300) { reader.issues.append(FieldIssue("taken_at", "время замера не может быть в будущем")) }
            try reader.check()
            return try await change(id, version: version!) { risk, tx in
                let s = RiskSnapshotRecord()
                s.id = TimeOrderedUUID.make(at: now)
                s.tenantID = risk.tenantID
                s.riskID = risk.id!
                s.takenAt = takenAt
                s.publications = publications!
                s.comments = comments!
                s.negativePercent = negative!
                s.reach = reach
                s.note = note
                s.enteredBy = access.principal.label
                try await s.create(on: tx)
                risk.status = next.rawValue
                try await event(risk, .snapshot, comment: note, details: ["publications": String(publications!), "comments": String(comments!),
                                                                           "negative_percent": String(negative!)], on: tx)
                try await audit(risk, action, tx, extra: ["publications": String(publications!), "comments": String(comments!), "negative_percent": String(negative!)])
            }

        case .changeCriticality:
            let level = reader.oneOf("criticality", RiskCriticality.self, required: true)
            let reason = reader.string("reason", max: 2_000)
            if reason == nil && !reader.issues.contains(where: { $0.field == "reason" }) {
                reader.issues.append(FieldIssue("reason", "укажите причину изменения критичности"))
            }
            if let level, level == current.riskCriticality { reader.issues.append(FieldIssue("criticality", "критичность уже «\(level.title)»")) }
            try reader.check()
            let schedule = try await TenantRegulation.schedule(tenantID: access.tenantID, on: db)
            let rules = try await RiskReactionRules.load(tenantID: access.tenantID, on: db)
            return try await change(id, version: version!) { risk, tx in
                let old = risk.riskCriticality
                risk.criticality = level!.rawValue
                if risk.reactedAt == nil {
                    // Counted from the change; a raised level never moves the deadline later.
                    let clock = RiskReactionRules.clock(level!, from: now, rules: rules, schedule: schedule)
                    let due = level! > old ? min(risk.reactionDueAt, clock.due) : clock.due
                    if due != risk.reactionDueAt {
                        risk.reactionDueAt = due
                        risk.remindAt = min(clock.remind, due)
                        risk.remindedAt = nil
                        if due > now { risk.overdueAt = nil; risk.escalationLevel = 0; risk.nextEscalationAt = nil }
                    }
                }
                try await event(risk, .criticalityChanged, comment: reason, details: ["from": old.title, "to": level!.title], on: tx)
                try await audit(risk, action, tx, extra: ["from": old.rawValue, "reason": reason!])
                let (zone, m) = try await place(tx)
                let a = RiskAlerts(db: tx, publicURL: publicURL, notifiers: notifiers)
                try await a.post(RiskAlertText.criticalityChanged(a.facts(risk, municipality: m, zone: zone), from: old, reason: reason!),
                                 about: risk, event: "criticality/\(risk.version + 1)", title: "Риск №\(risk.number): критичность \(level!.title)", at: now)
            }

        case .close:
            let summary = reader.string("summary", max: 2_000) ?? "Дальнейшего распространения нет, негативной реакции нет."
            try reader.check()
            let snapshots = try await RiskSnapshotRecord.query(on: db).filter(\.$riskID == id).all().map(\.snapshot)
            if let refusal = RiskReaction.assess(snapshots, publishedAt: current.publishedAt).closingRefusal {
                throw Problem.conflict(refusal)
            }
            return try await change(id, version: version!) { risk, tx in
                risk.status = next.rawValue
                risk.closedAt = now
                risk.outcome = summary
                risk.nextEscalationAt = nil
                try await event(risk, .closed, comment: summary, details: [:], on: tx)
                try await audit(risk, action, tx)
                let last = snapshots.max { $0.at < $1.at }
                let (zone, m) = try await place(tx)
                let a = RiskAlerts(db: tx, publicURL: publicURL, notifiers: notifiers)
                let text = RiskAlertText.closed(a.facts(risk, municipality: m, zone: zone), summary: summary, last: last,
                                                lastAt: last.map { TimeText.formatLocal($0.at, in: zone) })
                try await a.post(text, about: risk, event: "closed/\(risk.version + 1)",
                                                                         title: "Риск №\(risk.number) отработан", at: now)
            }

        case .escalate:
            let target = reader.oneOf("to", RiskEscalationTarget.self, required: true)
            let reason = reader.string("reason", max: 2_000)
            if reason == nil && !reader.issues.contains(where: { $0.field == "reason" }) {
                reader.issues.append(FieldIssue("reason", "укажите причину эскалации"))
            }
            try reader.check()
            return try await change(id, version: version!) { risk, tx in
                risk.status = next.rawValue
                risk.escalatedTo = target!.rawValue
                risk.outcome = reason
                risk.nextEscalationAt = nil
                try await event(risk, .escalated, comment: reason, details: ["to": target!.title], on: tx)
                try await audit(risk, action, tx, extra: ["to": target!.rawValue, "reason": reason!])
                let (zone, m) = try await place(tx)
                let a = RiskAlerts(db: tx, publicURL: publicURL, notifiers: notifiers)
                try await a.post(RiskAlertText.escalated(a.facts(risk, municipality: m, zone: zone), to: target!.title.replacingOccurrences(of: "куратору", with: "куратор").replacingOccurrences(of: "в ЦУР", with: "ЦУР"), reason: reason!),
                                 about: risk, event: "escalated/\(risk.version + 1)", title: "Риск №\(risk.number) эскалирован", at: now)
                try await a.notify(risk, title: "Риск №\(risk.number) эскалирован \(target!.title)", body: reason!, kind: .risk,
                                   eventKey: "risk/\(risk.id!.uuidString)/escalated-notice/\(risk.version + 1)", at: now,
                                   extraRoles: target == .curator ? [.curator] : [.regionalCentre])
            }

        case .reopen:
            let reason = reader.string("reason", max: 2_000)
            if reason == nil && !reader.issues.contains(where: { $0.field == "reason" }) {
                reader.issues.append(FieldIssue("reason", "укажите, почему риск возвращается в работу (новые публикации, негатив)"))
            }
            try reader.check()
            return try await change(id, version: version!) { risk, tx in
                risk.status = next.rawValue
                risk.closedAt = nil
                try await event(risk, .reopened, comment: reason, details: [:], on: tx)
                try await audit(risk, action, tx, extra: ["reason": reason!])
                let (zone, m) = try await place(tx)
                let a = RiskAlerts(db: tx, publicURL: publicURL, notifiers: notifiers)
                try await a.post(RiskAlertText.reopened(a.facts(risk, municipality: m, zone: zone), reason: reason!),
                                 about: risk, event: "reopened/\(risk.version + 1)", title: "Риск №\(risk.number) возвращён в работу", at: now)
            }
        }
    }

    private func audit(_ risk: RiskRecord, _ action: RiskAction, _ tx: any Database, extra: [String: String] = [:]) async throws {
        struct Entry: Encodable { var risk: RiskAudit; var details: [String: String] }
        try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "risk.\(action.rawValue)", entity: "risk",
                               entityID: risk.id!.uuidString, after: Entry(risk: RiskAudit(risk), details: extra))
    }
}
