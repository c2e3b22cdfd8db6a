import Foundation
@testable import OtklikCore
import Testing

private func utc(_ s: String) -> Date { try! TimeText.parseRFC3339(s) }
private let moscow = WorkSchedule(zone: TimeZone(identifier: "Europe/Moscow")!)

@Suite("Регламентные профили каналов по REGULATIONS.md")
struct RegulationTests {
    // Every case below arrives on Friday 20 Nov 2026 at 10:00 Moscow time (07:00Z).
    static let receipt = "2026-11-20T10:00:00+03:00"

    @Test("Часы, запускаемые при поступлении, для каждого профиля", arguments: [
        // «Инцидент Менеджмент»: first answer within 1 working hour → 11:00; the final term starts at assignment.
        ("incident_manager", ["first_response=2026-11-20T08:00:00Z"]),
        // ПОС: the same working day (17:00), final 8 working days: 23…27 Nov, 30 Nov, 1, 2 Dec → 2 Dec 17:00.
        ("pos", ["take_in_work=2026-11-20T14:00:00Z", "final_answer=2026-12-02T14:00:00Z"]),
        // Regional platform: 9 working hours = 7 h on Friday + 2 h on Monday → Mon 10:00; 14 calendar days
        // → Fri 4 Dec, a working day → 17:00.
        ("regional_platform", ["take_in_work=2026-11-23T07:00:00Z", "final_answer=2026-12-04T14:00:00Z"]),
        // Governor's pages: the first 18:00 after receipt, the same Friday.
        ("governor_pages", ["final_answer=2026-11-20T15:00:00Z"]),
        // 59-ФЗ: registration 3 days → Mon 23 Nov 17:00; forwarding 7 days → Fri 27 Nov 17:00; 30 days →
        // Sun 20 Dec is off → Mon 21 Dec 17:00.
        ("appeal_59fz", ["take_in_work=2026-11-23T14:00:00Z", "forward=2026-11-27T14:00:00Z", "final_answer=2026-12-21T14:00:00Z"]),
        // Manual monitoring and official pages are social-network sources: a first response within 1 working hour.
        ("manual_monitoring", ["take_in_work=2026-11-20T14:00:00Z", "first_response=2026-11-20T08:00:00Z", "final_answer=2026-12-02T14:00:00Z"]),
        ("official_pages", ["take_in_work=2026-11-20T14:00:00Z", "first_response=2026-11-20T08:00:00Z", "final_answer=2026-12-02T14:00:00Z"]),
        // The rest: the same working day, 8 working days, no first-response clock.
        ("hotline", ["take_in_work=2026-11-20T14:00:00Z", "final_answer=2026-12-02T14:00:00Z"]),
        ("email", ["take_in_work=2026-11-20T14:00:00Z", "final_answer=2026-12-02T14:00:00Z"]),
        ("personal_reception", ["take_in_work=2026-11-20T14:00:00Z", "final_answer=2026-12-02T14:00:00Z"]),
        ("web_form", ["take_in_work=2026-11-20T14:00:00Z", "final_answer=2026-12-02T14:00:00Z"]),
        ("telegram_bot", ["take_in_work=2026-11-20T14:00:00Z", "final_answer=2026-12-02T14:00:00Z"]),
        ("open311", ["take_in_work=2026-11-20T14:00:00Z", "final_answer=2026-12-02T14:00:00Z"]),
    ])
    func intakeClocks(key: String, expected: [String]) {
        let profile = RegulationProfile.shipped(ProfileKey(rawValue: key)!)
        let clocks = ClockPlanner.atIntake(profile, receivedAt: utc(Self.receipt), sourceDeadline: nil, schedule: moscow)
        #expect(clocks.map { "\($0.kind.rawValue)=\(TimeText.formatRFC3339($0.due))" } == expected)
    }

    @Test("Каждый канал и 59-ФЗ имеют профиль; окно оценки и молчание — как в регламенте")
    func everyChannelHasAProfile() {
        #expect(ProfileKey.allCases.count == CaseChannel.allCases.count + 1)
        let im = RegulationProfile.shipped(.channel(.incidentManager))
        #expect(im.feedbackWindow == .daily(minutes: 2880) && im.silenceAccepts && im.finalFromAssignment)
        #expect(im.finalAnswer == .workingHours(minutes: 540))        // default 1 working day = 9 working hours
        let fz = RegulationProfile.shipped(.appeal59FZ)
        #expect(fz.maxExtensions == 1 && fz.maxExtensionDays == 30 && fz.feedbackWindow == nil)
        #expect(RegulationProfile.shipped(.channel(.regionalPlatform)).feedbackWindow == nil)
        #expect(RegulationProfile.shipped(.channel(.governorPages)).feedbackWindow == nil)
    }

    @Test("ПОС: срок из выгрузки ПОС важнее 8 рабочих дней")
    func posSourceDeadlineWins() {
        let due = utc("2026-11-27T14:00:00Z")
        let clocks = ClockPlanner.atIntake(.shipped(.channel(.pos)), receivedAt: utc(Self.receipt), sourceDeadline: due, schedule: moscow)
        let final = clocks.first { $0.kind == .finalAnswer }!
        #expect(final.due == due && final.rule == "source_deadline")
    }

    @Test("59-ФЗ выбирается по правовому режиму, а не по каналу")
    func regimeDecidesProfile() {
        #expect(ProfileKey(channel: .pos, regime: .appeal59FZ) == .appeal59FZ)
        #expect(ProfileKey(channel: .pos, regime: .message) == .channel(.pos))
    }

    @Test("Напоминание за 1 рабочий час: через выходные назад; для суточных сроков — по часам")
    func reminders() {
        // Due Monday 23 Nov 08:30 Moscow: one working hour before is Friday 16:30.
        #expect(moscow.reminder(for: .workingHours(minutes: 60), due: utc("2026-11-23T05:30:00Z"), minutesBefore: 60)
                == utc("2026-11-20T13:30:00Z"))
        // 18:00 on Saturday: 17:00 the same Saturday, every hour counts.
        #expect(moscow.reminder(for: .byLocalTime(hour: 18, minute: 0), due: utc("2026-11-21T15:00:00Z"), minutesBefore: 60)
                == utc("2026-11-21T14:00:00Z"))
    }

    @Test("Оставшееся рабочее время: через выходные, и со знаком минус после срока")
    func remainingWorkingTime() {
        // Fri 16:00 → Mon 09:00: one hour on Friday, one on Monday.
        #expect(moscow.workingSeconds(from: utc("2026-11-20T13:00:00Z"), to: utc("2026-11-23T06:00:00Z")) == 7_200)
        #expect(moscow.workingSeconds(from: utc("2026-11-23T06:00:00Z"), to: utc("2026-11-20T13:00:00Z")) == -7_200)
        #expect(WorkingSpan.russian(seconds: 7_200 + 900) == "2 рабочих часа 15 минут")
        #expect(WorkingSpan.russian(seconds: -(3_600 * 25), working: false) == "25 часов")
    }

    @Test("Переопределения: категория точнее срочности, ближайшая категория точнее родителя")
    func overrides() {
        var urgent = ProfilePatch(); urgent.finalAnswer = .set(.workingHours(minutes: 120))
        var roads = ProfilePatch(); roads.finalAnswer = .set(.workingDays(3))
        var potholes = ProfilePatch(); potholes.finalAnswer = .set(.workingDays(2)); potholes.firstResponse = .off
        var channel = ProfilePatch(); channel.finalAnswer = .set(.workingDays(10))
        let book = RegulationBook(channelPatches: [.channel(.pos): channel], overrides: [
            .init(key: nil, categoryID: nil, urgent: true, patch: urgent),
            .init(key: nil, categoryID: "roads", urgent: nil, patch: roads),
            .init(key: .channel(.manualMonitoring), categoryID: "potholes", urgent: nil, patch: potholes),
        ])
        #expect(book.profile(for: .channel(.pos), categoryPath: [], urgent: false).finalAnswer == .workingDays(10))
        #expect(book.profile(for: .channel(.pos), categoryPath: [], urgent: true).finalAnswer == .workingHours(minutes: 120))
        #expect(book.profile(for: .channel(.pos), categoryPath: ["potholes", "roads"], urgent: true).finalAnswer == .workingDays(3))
        let mm = book.profile(for: .channel(.manualMonitoring), categoryPath: ["potholes", "roads"], urgent: false)
        #expect(mm.finalAnswer == .workingDays(2) && mm.firstResponse == nil)
    }

    @Test("Текстовая запись сроков читается и пишется без потерь; ошибки — по-русски", arguments: [
        "working_hours:60", "working_days:0", "calendar_days:30", "daily:2880", "by_local_time:18:00",
    ])
    func specRoundTrip(spec: String) throws {
        #expect(try ClockRule.parse(spec: spec).get().spec == spec)
    }

    @Test("Неверные записи сроков отклоняются", arguments: ["", "working_hours", "weeks:2", "working_days:-1", "by_local_time:25:00", "daily:abc"])
    func badSpecs(spec: String) {
        guard case .failure(let e) = ClockRule.parse(spec: spec) else { Issue.record("принято: \(spec)"); return }
        #expect(e.description.contains("не удалось понять срок"))
    }

    @Test("Русские подписи сроков")
    func russianTitles() {
        #expect(ClockRule.workingHours(minutes: 60).russian == "1 рабочий час")
        #expect(ClockRule.workingDays(8).russian == "8 рабочих дней")
        #expect(ClockRule.calendarDays(14).russian == "14 календарных дней")
        #expect(ClockRule.daily(minutes: 2880).russian == "48 часов (все дни недели)")
        #expect(ClockRule.byLocalTime(hour: 18, minute: 0).russian == "до 18:00 (ежедневно)")
    }
}

@Suite("Жизненный цикл обращения")
struct LifecycleTests {
    @Test("Переходы процесса 003 §2.1", arguments: [
        (CaseAction.takeInWork, CaseStatus.new, CaseStatus.inWork),
        (.firstResponse, .new, .inWork),
        (.assign, .inWork, .assigned),
        (.assign, .new, .assigned),
        (.submitAnswer, .assigned, .onReview),
        (.returnForRework, .onReview, .returned),
        (.submitAnswer, .returned, .onReview),
        (.approve, .onReview, .approved),
        (.acceptBySilence, .awaitingFeedback, .closed),
        (.reopen, .awaitingFeedback, .reopened),
        (.reopen, .closed, .reopened),
        (.takeInWork, .reopened, .inWork),
        (.forward, .inWork, .closed),
        (.markDuplicate, .new, .closed),
    ])
    func transitions(action: CaseAction, from: CaseStatus, to: CaseStatus) {
        let state = LifecycleState(status: from, hasOrganisation: true)
        #expect(Lifecycle.refusal(action, in: state) == nil)
        #expect(Lifecycle.target(action, from: from) == to)
    }

    @Test("Недопустимые переходы отклоняются с объяснением", arguments: [
        (CaseAction.publish, CaseStatus.onReview),
        (.approve, .assigned),
        (.submitAnswer, .new),
        (.takeInWork, .closed),
        (.recordFeedback, .inWork),
        (.acceptBySilence, .published),
        (.returnForRework, .awaitingFeedback),
        (.close, .closed),
        (.assign, .onReview),
    ])
    func illegal(action: CaseAction, from: CaseStatus) {
        let refusal = Lifecycle.refusal(action, in: LifecycleState(status: from, hasOrganisation: true))
        #expect(refusal != nil)
        #expect(refusal?.description.contains("«\(from.title)»") == true)
    }

    @Test("Состояние, а не только статус: первичный ответ один, перенос — один запрос за раз")
    func stateChecks() {
        #expect(Lifecycle.refusal(.firstResponse, in: .init(status: .inWork, firstResponseGiven: true)) != nil)
        #expect(Lifecycle.refusal(.requestExtension, in: .init(status: .assigned, hasOrganisation: true, extensionPending: true)) != nil)
        #expect(Lifecycle.refusal(.approveExtension, in: .init(status: .assigned, hasOrganisation: true)) != nil)
        #expect(Lifecycle.refusal(.submitAnswer, in: .init(status: .reopened, hasOrganisation: false)) != nil)
    }

    @Test("Переназначение возвращённого ответа оставляет его на доработке")
    func reassignReturned() {
        #expect(Lifecycle.refusal(.assign, in: LifecycleState(status: .returned, hasOrganisation: true)) == nil)
        #expect(Lifecycle.target(.assign, from: .returned) == nil)
    }

    @Test("Оценка 4–5 закрывает, 1–3 или комментарий без оценки — повторное рассмотрение", arguments: [
        (5, false, CaseStatus.closed), (4, true, .closed), (3, false, .reopened), (1, true, .reopened),
    ])
    func feedback(rating: Int, comment: Bool, expected: CaseStatus) {
        #expect(Lifecycle.afterFeedback(rating: rating, hasComment: comment) == expected)
    }

    @Test("Комментарий без оценки возвращает в работу («Инцидент Менеджмент»)")
    func commentReopens() {
        #expect(Lifecycle.afterFeedback(rating: nil, hasComment: true) == .reopened)
        #expect(Lifecycle.afterPublish(feedbackWindow: true) == .awaitingFeedback)
        #expect(Lifecycle.afterPublish(feedbackWindow: false) == .published)
    }

    @Test("Права: исполнитель отвечает, но не согласует; согласуют ответственный за канал и руководители; молчание — только монитор")
    func roles() {
        #expect(CaseAction.submitAnswer.roles.contains(.executor))
        #expect(!CaseAction.approve.roles.contains(.executor))
        #expect(CaseAction.approve.roles.contains(.channelOperator))
        #expect(CaseAction.approve.roles.contains(.mcuHead))
        #expect(!CaseAction.approve.roles.contains(.editor))
        #expect(CaseAction.classify.roles == [.channelOperator, .mcuHead])
        #expect(CaseAction.acceptBySilence.roles.isEmpty)
        #expect(!CaseAction.takeInWork.roles.contains(.analyst))
        #expect(LifecycleRefusal.roleMayNot(action: .approve).description.contains("Руководитель МЦУ"))
    }
}
