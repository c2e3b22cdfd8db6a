import Fluent
import Foundation
import OtklikCore

/// A meeting of the МЦУ.
final class MeetingRecord: Model, @unchecked Sendable {
    static let schema = "meetings"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "number") var number: Int
    @Field(key: "form") var form: String
    @Field(key: "status") var status: String
    @Field(key: "starts_at") var startsAt: Date
    @OptionalField(key: "place") var place: String?
    @OptionalField(key: "chair_member_id") var chairMemberID: UUID?
    @OptionalField(key: "secretary_member_id") var secretaryMemberID: UUID?
    @OptionalField(key: "signed_at") var signedAt: Date?
    @OptionalField(key: "signed_by") var signedBy: String?
    @Field(key: "version") var version: Int
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var meetingStatus: MeetingStatus { MeetingStatus(rawValue: status) ?? .planned }
    var meetingForm: MeetingForm { MeetingForm(rawValue: form) ?? .inPerson }
}

final class MeetingItemRecord: Model, @unchecked Sendable {
    static let schema = "meeting_items"
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "title") var title: String
    @OptionalField(key: "speaker") var speaker: String?
    @OptionalField(key: "notes") var notes: String?
    /// What the item discusses: «case:1234», «risk:5», «cluster:<id>», «rating:organisations».
    @Field(key: "links_json") var linksJSON: String
    init() {}
}

final class MeetingParticipantRecord: Model, @unchecked Sendable {
    static let schema = "meeting_participants"
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @OptionalField(key: "member_id") var memberID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @Field(key: "present") var present: Bool
    init() {}
}

final class MeetingDecisionRecord: Model, @unchecked Sendable {
    static let schema = "meeting_decisions"
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @Field(key: "item_id") var itemID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "text") var text: String
    @Field(key: "organisation_id") var organisationID: UUID
    @OptionalField(key: "executor_user_id") var executorUserID: UUID?
    @Field(key: "co_executors_json") var coExecutorsJSON: String
    @Field(key: "due_on") var dueOn: String
    @OptionalField(key: "control_user_id") var controlUserID: UUID?
    @OptionalField(key: "votes_yes") var votesYes: Int?
    @OptionalField(key: "votes_no") var votesNo: Int?
    @OptionalField(key: "votes_abstain") var votesAbstain: Int?
    @OptionalField(key: "assignment_id") var assignmentID: UUID?
    init() {}

    var votes: Votes? { votesYes.map { Votes(yes: $0, no: votesNo ?? 0, abstain: votesAbstain ?? 0) } }
    /// In person without a count the decision is the meeting's; by correspondence it needs a majority.
    func adopted(_ form: MeetingForm) -> Bool { votes?.adopted ?? (form == .inPerson) }
}

/// An assignment under control.
final class AssignmentRecord: Model, @unchecked Sendable {
    static let schema = "assignments"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "number") var number: Int
    @Field(key: "source") var source: String
    @OptionalField(key: "meeting_id") var meetingID: UUID?
    @OptionalField(key: "decision_id") var decisionID: UUID?
    @Field(key: "text") var text: String
    @Field(key: "organisation_id") var organisationID: UUID
    @OptionalField(key: "executor_user_id") var executorUserID: UUID?
    @Field(key: "co_executors_json") var coExecutorsJSON: String
    @OptionalField(key: "control_user_id") var controlUserID: UUID?
    @Field(key: "due_on") var dueOn: String
    @Field(key: "due_at") var dueAt: Date
    @Field(key: "status") var status: String
    @OptionalField(key: "report_text") var reportText: String?
    @OptionalField(key: "reported_at") var reportedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @Field(key: "extensions") var extensions: Int
    @OptionalField(key: "remind_at") var remindAt: Date?
    @OptionalField(key: "reminded_at") var remindedAt: Date?
    @OptionalField(key: "overdue_at") var overdueAt: Date?
    @Field(key: "escalation_level") var escalationLevel: Int
    @OptionalField(key: "next_escalation_at") var nextEscalationAt: Date?
    @Field(key: "version") var version: Int
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var assignmentStatus: AssignmentStatus { AssignmentStatus(rawValue: status) ?? .onControl }
}

final class AssignmentEventRecord: Model, @unchecked Sendable {
    static let schema = "assignment_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "assignment_id") var assignmentID: UUID
    @Field(key: "kind") var kind: String
    @OptionalField(key: "actor_user_id") var actorUserID: UUID?
    @Field(key: "actor_label") var actorLabel: String
    @Field(key: "occurred_at") var occurredAt: Date
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "details_json") var detailsJSON: String
    init() {}

    init(_ a: AssignmentRecord, kind: String, actorUserID: UUID?, actorLabel: String, at now: Date, comment: String? = nil, details: [String: String] = [:]) {
        id = TimeOrderedUUID.make(at: now)
        tenantID = a.tenantID
        assignmentID = a.id!
        self.kind = kind
        self.actorUserID = actorUserID
        self.actorLabel = actorLabel
        occurredAt = now
        self.comment = comment
        detailsJSON = JSONText.object(details)
    }
}
