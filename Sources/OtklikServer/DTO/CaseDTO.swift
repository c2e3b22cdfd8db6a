import Foundation
import OtklikCore
import Vapor

/// A case as the API shows it. Author's personal data only to roles that answer the author.
struct CaseDTO: Content, Sendable {
    struct Author: Content, Sendable {
        var name: String?
        var phone: String?
        var email: String?
        var profile_url: String?
    }
    struct Location: Content, Sendable {
        var address: String?
        var latitude: Double?
        var longitude: Double?
        var territory_id: UUID?
    }
    struct Event: Content, Sendable {
        var id: UUID
        var kind: String
        var kind_title: String
        var occurred_at: String
        var actor: String
        var comment: String?
        var details: [String: String]
    }

    var id: UUID
    var number: Int
    var channel: String
    var channel_title: String
    var external_id: String?
    var received_at: String
    var legal_regime: String
    var status: String
    var status_title: String
    var result: String?
    var title: String?
    var text: String
    var source_url: String?
    var platform: String?
    var publication_kind: String?
    var author: Author?
    /// True when the author's data exists but the reader's role may not see it.
    var author_hidden: Bool
    var location: Location
    var attachments: [String]
    var source_category: String?
    var source_deadline: String?
    var category_id: UUID?
    var block_id: UUID?
    var organisation_id: UUID?
    var executor_id: UUID?
    var tags: [String]
    var urgent: Bool
    /// The risk lexicon's score of the text (0…100), its findings by signal, candidate information risk.
    var risk_score: Int
    var risk_signals: [String: [String]]
    var risk_candidate: Bool
    var reopen_count: Int
    var return_count: Int
    var extensions_used: Int
    var extension_request: [String: String]?
    var first_response_at: String?
    var duplicate_of_id: UUID?
    /// The cluster of similar messages (one problem) the case belongs to: the main case's id.
    var cluster_id: UUID?
    var forwarded_to: String?
    var feedback_rating: Int?
    var feedback_comment: String?
    var accepted_by_silence: Bool
    var closed_at: String?
    var version: Int
    var created_at: String
    var updated_at: String
    var history: [Event]?
    /// The case card's extras (one case only): clocks, answer versions, what the reader may do now.
    var clocks: [ClockDTO]?
    var answers: [AnswerDTO]?
    var allowed_actions: [ActionDTO]?

    init(_ c: CaseRecord, showPersonalData: Bool, history: [CaseEvent]? = nil) {
        id = c.id!
        number = c.number
        channel = c.channel
        channel_title = CaseChannel(rawValue: c.channel)?.title ?? c.channel
        external_id = c.externalID
        received_at = TimeText.formatRFC3339(c.receivedAt)
        legal_regime = c.legalRegime
        status = c.status
        status_title = CaseStatus(rawValue: c.status)?.title ?? c.status
        result = c.result
        title = c.title
        text = c.text
        source_url = c.sourceURL
        platform = c.platform
        publication_kind = c.publicationKind
        let hasAuthor = c.authorName != nil || c.authorPhone != nil || c.authorEmail != nil || c.authorProfileURL != nil
        if showPersonalData && hasAuthor {
            author = Author(name: c.authorName, phone: c.authorPhone, email: c.authorEmail, profile_url: c.authorProfileURL)
        }
        author_hidden = hasAuthor && !showPersonalData
        location = Location(address: c.address, latitude: c.latitude, longitude: c.longitude, territory_id: c.territoryID)
        attachments = JSONText.decodeArray(c.attachmentsJSON)
        source_category = c.sourceCategory
        source_deadline = c.sourceDeadline.map(TimeText.formatRFC3339)
        category_id = c.categoryID
        block_id = c.blockID
        organisation_id = c.organisationID
        executor_id = c.executorID
        tags = JSONText.decodeArray(c.tagsJSON)
        urgent = c.urgent
        let risk = RiskText.assessment(score: c.riskScore, json: c.riskSignalsJSON)
        risk_score = risk.score
        risk_signals = Dictionary(uniqueKeysWithValues: risk.hits.map { ($0.key.rawValue, $0.value) })
        risk_candidate = c.riskCandidate
        reopen_count = c.reopenCount
        return_count = c.returnCount
        extensions_used = c.extensionsUsed
        extension_request = c.extensionRequestJSON.map(JSONText.decodeObject)
        first_response_at = c.firstResponseAt.map(TimeText.formatRFC3339)
        duplicate_of_id = c.duplicateOfID
        cluster_id = c.clusterID
        forwarded_to = c.forwardedTo
        feedback_rating = c.feedbackRating
        feedback_comment = c.feedbackComment
        accepted_by_silence = c.acceptedBySilence
        closed_at = c.closedAt.map(TimeText.formatRFC3339)
        version = c.version
        created_at = TimeText.formatRFC3339(c.createdAt)
        updated_at = TimeText.formatRFC3339(c.updatedAt)
        self.history = history?.map { e in
            Event(id: e.id!, kind: e.kind,
                  kind_title: CaseEventKind(rawValue: e.kind)?.title ?? CaseAction(rawValue: e.kind)?.title ?? e.kind,
                  occurred_at: TimeText.formatRFC3339(e.occurredAt), actor: e.actorLabel, comment: e.comment,
                  details: JSONText.decodeObject(e.detailsJSON))
        }
    }
}

struct CasePage: Content, Sendable {
    var items: [CaseDTO]
    var next_cursor: String?
}

/// A clock as the case card shows it: the deadline, whether it is met, and the working time left.
struct ClockDTO: Content, Sendable {
    var id: UUID
    var kind: String
    var title: String
    var rule: String
    var rule_title: String
    var started_at: String
    var due_at: String
    var due_local: String
    var original_due_at: String
    var stopped_at: String?
    var outcome: String?
    var outcome_title: String?
    var overdue: Bool
    /// Open clocks: working seconds until the deadline (negative once it has passed).
    var remaining_working_seconds: Int?
    var remaining_text: String?
    var escalation_level: Int
    var used_fallback: Bool

    init(_ c: CaseClock, now: Date, schedule: WorkSchedule) {
        id = c.id!
        kind = c.kind
        title = CaseClockKind(rawValue: c.kind)?.title ?? c.kind
        rule = c.rule
        rule_title = ClockPlanner.russian(rule: c.rule)
        started_at = TimeText.formatRFC3339(c.startedAt)
        due_at = TimeText.formatRFC3339(c.dueAt)
        due_local = TimeText.formatLocal(c.dueAt, in: schedule.zone)
        original_due_at = TimeText.formatRFC3339(c.originalDueAt)
        stopped_at = c.stoppedAt.map(TimeText.formatRFC3339)
        outcome = c.outcome
        outcome_title = c.outcome.flatMap(ClockOutcome.init(rawValue:))?.title
        overdue = c.stoppedAt == nil && now > c.dueAt && CaseClockKind(rawValue: c.kind)?.countsAsOverdue != false
        if c.stoppedAt == nil {
            let reading = ClockReading(c, now: now, schedule: schedule)
            remaining_working_seconds = reading.seconds
            remaining_text = reading.text
        }
        escalation_level = c.escalationLevel
        used_fallback = c.usedFallback
    }
}

struct AnswerDTO: Content, Sendable {
    var version: Int
    var text: String
    var result: String
    var result_title: String
    var attachments: [String]
    var author: String
    var created_at: String
    var state: String
    var review_comment: String?
    var reviewer: String?
    var reviewed_at: String?

    init(_ a: CaseAnswer) {
        version = a.version
        text = a.text
        result = a.result
        result_title = CaseResult(rawValue: a.result)?.title ?? a.result
        attachments = JSONText.decodeArray(a.attachmentsJSON)
        author = a.authorLabel
        created_at = TimeText.formatRFC3339(a.createdAt)
        state = a.state
        review_comment = a.reviewComment
        reviewer = a.reviewerLabel
        reviewed_at = a.reviewedAt.map(TimeText.formatRFC3339)
    }
}

struct ActionDTO: Content, Sendable {
    var action: String
    var title: String
}
